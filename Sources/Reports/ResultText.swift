import Audit
import Foundation
import Wire

extension ServiceSummary {
    /// The catalog keys of the port, main key first; empty outside the catalog.
    var catalogKeys: [String] { (catalogKey.map { [$0] } ?? []) + alsoCatalogKeys }

    /// What the service speaks, with its TLS versions: "tls 1.2, 1.3", "thrift"; "-" in a
    /// result made before protocols were recognized (docs/protocols.md).
    var protocolText: String {
        guard let name = self.protocol else { return "-" }
        let versions = tlsVersions ?? []
        return versions.isEmpty ? name : "\(name) \(versions.joined(separator: ", "))"
    }

    /// The hint as a short label where a catalog key would be (the text and port-matrix
    /// tables): up to its first colon, with "?" for a guess ("spark.ui.port+1?"), without
    /// for an allowed service, whose hint is its reason ("dasaudit's own metrics endpoint
    /// (--metrics-listen)"); nil without a hint.
    var hintLabel: String? {
        hint.map { String($0.prefix { $0 != ":" }) + (classification == .allowed ? "" : "?") }
    }
}

extension Finding {
    /// "waived until 2027-01-31: reason", or nil when no waiver covers the finding.
    var waiverText: String? { isWaived ? waiver.map { "waived until \($0.expires): \($0.reason)" } : nil }

    /// Where the finding points: "address:port", "port 7079", an address, or "", with the
    /// declared node when there is one ("master-1 127.0.0.1:7079").
    var location: String {
        let place = switch (address, port) {
        case let (address?, port?): endpointText(address, port)
        case let (nil, port?): "port \(port)"
        case let (address?, nil): address
        case (nil, nil): ""
        }
        // Not a joined array: this is made once a finding, in every report.
        guard let node, !node.isEmpty else { return place }
        return place.isEmpty ? node : node + " " + place
    }
}

extension AuditResult {
    /// The pcapng inputs whose recorded drops are not known, and why, or nil when there is
    /// none: not read to their end (`DropsSource.unread`), or past belief
    /// (`DropsSource.implausible`): "2 pcapng inputs not read to their end (cut short,
    /// broken or stopped): the drops their recorder counted are not known".
    var unknownDropsText: String? {
        func unknown(_ source: DropsSource, _ why: (_ one: Bool) -> String) -> String? {
            let count = inputs.filter { $0.dropsSource == source }.count
            guard count > 0 else { return nil }
            return (count == 1 ? "a pcapng input " : "\(count) pcapng inputs ") + why(count == 1)
                + ": the drops \(count == 1 ? "its" : "their") recorder counted are not known"
        }
        let texts = [
            unknown(.unread) { "not read to \($0 ? "its" : "their") end (cut short, broken or stopped)" },
            unknown(.implausible) { _ in "whose statistics record more drops than a capture could (above 2^48), not believed" },
        ].compactMap { $0 }
        return texts.isEmpty ? nil : texts.joined(separator: "; ")
    }
}

extension AuditResult {
    /// The records whose wire length was not believed, summed over the inputs (each says
    /// its own in `wire_lengths_not_believed`, absent when none).
    var wireLengthsNotBelieved: UInt64 {
        inputs.reduce(UInt64(0)) { $0.addingSaturated($1.wireLengthsNotBelieved ?? 0) }
    }

    /// The records whose wire length was not believed, over every input, or nil when there
    /// was none: "3 records claimed a wire length above 1 MiB, more than a link carries (in 1
    /// of 2 inputs): not believed, each counted at its captured bytes". What the text,
    /// Markdown, HTML and CSV coverage say, as each input's `wire_lengths_not_believed` does.
    var wireLengthsNotBelievedText: String? {
        let counts = inputs.compactMap(\.wireLengthsNotBelieved).filter { $0 > 0 }
        guard !counts.isEmpty else { return nil }
        let total = wireLengthsNotBelieved
        let which = inputs.count == 1 ? "" : " (in \(counts.count) of \(inputs.count) inputs)"
        return "\(total) record\(total == 1 ? "" : "s") claimed a wire length above 1 MiB, more than a link carries\(which): "
            + "not believed, \(total == 1 ? "counted" : "each counted") at \(total == 1 ? "its" : "their") captured bytes"
    }
}

extension AuditResult {
    /// The copies dropped in inputs whose first segments held copies (`InputSample`), or nil
    /// when no input's did: "257 copies dropped in 1 input that holds every packet twice
    /// without naming two interfaces, found by its first TCP segments (looked for as with
    /// --deduplicate)". What the text, Markdown and HTML coverage say, as each such input's
    /// `duplicates_found_by_sample` does; they are among the `duplicate` packets.
    var copiesFoundBySampleText: String? {
        let counts = inputs.compactMap(\.duplicatesFoundBySample)
        guard !counts.isEmpty else { return nil }
        let total = counts.reduce(UInt64(0)) { $0.addingSaturated($1) }
        let which = counts.count == inputs.count ? "\(counts.count) input\(counts.count == 1 ? "" : "s")"
            : "\(counts.count) of \(inputs.count) inputs"
        let one = counts.count == 1
        return "\(total) cop\(total == 1 ? "y" : "ies") dropped in \(which) that hold\(one ? "s" : "") every packet twice "
            + "without naming two interfaces, found by \(one ? "its" : "their") first TCP segments "
            + "(looked for as with --deduplicate)"
    }
}

extension AuditResult {
    /// The inputs whose TCP checksums were not judged (`checksums_not_judged`: their first
    /// segments' sums were mostly wrong, an anonymized or rewritten capture), or nil when
    /// every input's were: "TCP checksums not judged: 572 of the 572 sums judged among its
    /// first TCP segments were wrong, too many for damage on a link: ...". What the text,
    /// Markdown and HTML coverage say.
    var checksumsNotJudgedText: String? {
        let samples = inputs.compactMap(\.checksumsNotJudged)
        guard !samples.isEmpty else { return nil }
        let wrong = samples.reduce(UInt64(0)) { $0.addingSaturated($1.wrong) }
        let judged = samples.reduce(UInt64(0)) { $0.addingSaturated($1.judged) }
        let one = samples.count == 1
        let which = inputs.count == 1 ? "" : " in \(samples.count) of \(inputs.count) inputs"
        return "TCP checksums not judged\(which): \(wrong) of the \(judged) sums judged among \(one ? "its" : "their") first "
            + "TCP segments were wrong, too many for damage on a link: not computed over the captured bytes "
            + "(an anonymized or rewritten capture), so no segment was set aside as damaged"
    }
}

extension AuditResult {
    /// The connections of which one side only was captured (`connections_seen_one_way`), or
    /// nil when there were none: "6 connections seen in one direction only: the capture may
    /// hold one direction (...)". What such a capture cannot show is said with it: a
    /// refused connect looks unanswered from the client's side, and an unanswered one is
    /// not in the server's. Under a `--filter` the filter is named first: BPF's `tcp` and
    /// `port` read only the IPv6 header's own next-header field, so a side that sends a
    /// hop-by-hop or destination options header before TCP is filtered out, and the capture
    /// point is not to blame.
    var oneWayText: String? {
        guard let oneWay = coverage.connectionsSeenOneWay, oneWay > 0 else { return nil }
        let filtered = evidence?.captureFilter == nil ? ""
            : "the --filter may be why (BPF's tcp and port do not look past an IPv6 extension header, so a side that sends "
                + "hop-by-hop or destination options before TCP is filtered out: add 'or ip6 protochain 6' to the filter, "
                + "or audit without it); or "
        return "\(oneWay) connection\(oneWay == 1 ? "" : "s") seen in one direction only: \(filtered)the capture may hold one "
            + "direction (a SPAN port mirroring one way, asymmetric routing, tcpdump -Q in or out), so refused connects cannot be "
            + "told from unanswered ones, and what the unseen side sent is not audited"
    }
}

extension Coverage {
    /// "start to end (12.345 s)", or nil when the capture held no packets.
    var windowText: String? {
        captureStart.map { start in
            "\(start) to \(captureEnd.map { "\($0)" } ?? "?") (\(String(format: "%.3f", durationSeconds)) s)"
        }
    }

    /// What the caps on listed endpoints left out (a scan or a flood), or nil when every
    /// endpoint is listed: "1200 connections (3600 packets, 240000 bytes) to services
    /// past the listed ones; 900000 attempts on endpoints past the listed ones".
    var unlistedText: String? {
        var parts: [String] = []
        if serviceConnectionsNotListed > 0 {
            parts.append("\(serviceConnectionsNotListed) connections (\(servicePacketsNotListed) packets, \(serviceBytesNotListed) bytes) "
                + "to services past the listed ones")
        }
        if attemptsNotListed > 0 { parts.append("\(attemptsNotListed) attempts on endpoints past the listed ones") }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    /// A merge's connections whose counts are lower bounds (seen at two capture points whose
    /// windows each reach past the other's), or nil when there were none.
    var countedLowText: String? {
        guard let low = connectionsCountedLow, low > 0 else { return nil }
        return "\(low) connection\(low == 1 ? " was" : "s were") seen at two capture points whose windows each reach past "
            + "the other's: \(low == 1 ? "its" : "their") packet and byte counts, the larger sighting's, are a lower bound"
    }

    /// A merge's gaps in a capture point's windows (`capture_gaps`, `capture_gaps_joined`),
    /// or nil when it joined none and has none: "capture point n1 has no input from ... to
    /// ... (600.0 s); 2 gaps of up to 2 s between windows of a capture point, 0.52 s in all,
    /// joined". At most five gaps are named, then how many more.
    var gapsText: String? {
        let gaps = captureGaps ?? [], shown = 5
        var parts = gaps.prefix(shown).map {
            "capture point \($0.capturePoint) has no input from \($0.from) to \($0.to) (\(CaptureGaps.secondsText($0.seconds)))"
        }
        if gaps.count > shown { parts.append("\(gaps.count - shown) more gap\(gaps.count - shown == 1 ? "" : "s")") }
        if let joined = captureGapsJoined, joined.count > 0 {
            parts.append("\(joined.count) gap\(joined.count == 1 ? "" : "s") of up to \(CaptureGaps.toleranceText) between windows "
                + "of a capture point, \(CaptureGaps.secondsText(joined.seconds)) in all, joined")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    /// A merge's clock when it moved any capture point's times (`clock_of`, `clock_offsets`),
    /// else nil: "times in capture point n1's clock: n3's moved back 30.000 s (its clock
    /// ahead, measured from the handshakes both saw)".
    var clockText: String? {
        guard let clock = clockOf, let offsets = clockOffsets, !offsets.isEmpty else { return nil }
        let moves = offsets.map { offset in
            "\(offset.capturePoint)'s moved \(offset.secondsAhead >= 0 ? "back" : "on") "
                + "\(CaptureGaps.secondsText(offset.secondsAhead.magnitude))"
                + (offset.clockOf == clock ? "" : " into \(offset.clockOf)'s")
        }
        return "times in capture point \(clock)'s clock: " + moves.joined(separator: ", ")
            + " (clocks apart, measured from the handshakes both saw)"
    }

    /// The unanswered connects the end of the capture cut (`connects_cut_by_end`), or nil
    /// when there were none: their answer may have come after the capture stopped.
    var cutByEndText: String? {
        guard let cut = connectsCutByEnd, cut > 0 else { return nil }
        return "\(cut) connect\(cut == 1 ? "" : "s") cut by the end of the capture: every try came in the last 3 s "
            + "before it ended, so the answer may have come after it; counted unanswered, not judged"
    }

    /// The steps back of the packet time (`clock_steps_back`), or nil when there were none:
    /// the window, first to last packet, is then not how long the capture ran.
    var clockStepsText: String? {
        guard let steps = clockStepsBack, steps > 0 else { return nil }
        return "the packet time went back by more than 1 s \(steps == 1 ? "once" : "\(steps) times") (a clock stepped "
            + "back while the capture ran): the window is not how long the capture ran"
    }

    /// What the bound on recorded client addresses left out, or nil when it was not reached.
    /// Port-scan detection reads the same records, so a scanner first seen past it is
    /// missed, not only undercounted.
    var clientCountsCappedText: String? {
        guard clientCountsCapped else { return nil }
        return "more client addresses than the bound of 1,048,576 (endpoint, client) pairs: the client counts are lower "
            + "bounds, and port scans by clients past the bound are not found"
    }

    /// The copies of packets captured again on another interface (`tcpdump -i any` on a host
    /// that bridges or routes), each counted once, or nil when there were none.
    var copiesText: String? {
        guard duplicatePackets > 0 else { return nil }
        return "\(duplicatePackets) copies of packets captured again on another interface, counted once"
    }

    /// The TCP segments taken out of tunnels (a capture on an underlay), or nil when none was:
    /// "719 TCP segments taken out of tunnels (vxlan 719), audited by their inner addresses".
    var tunneledText: String? {
        guard let tunneled, !tunneled.isEmpty else { return nil }
        let kinds = tunneled.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return "\(tunneledSegments) TCP segments taken out of tunnels (\(kinds)), audited by their inner addresses"
    }

    /// The connections captured twice, before and after address translation on the
    /// capturing host, and audited once, or nil when there were none: "14 connections
    /// captured again after address translation (NAT), audited once, as they reached the
    /// server or left the host: 10.96.0.10:80 -> 10.207.0.2:9763 (3), ...". The eight
    /// translations with the most connections are named.
    var translatedText: String? {
        guard let translated, !translated.isEmpty else { return nil }
        let shown = translated.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(Self.translationsNamed)
        let more = translated.count - shown.count
        let named = shown.map { "\($0.key) (\($0.value))" }.joined(separator: ", ") + (more > 0 ? ", and \(more) more" : "")
        return "\(translatedConnections) connections captured again after address translation (NAT), audited once, "
            + "as they reached the server or left the host: \(named)"
    }

    static let translationsNamed = 8

    /// The connections audited once although captured before and after address translation.
    var translatedConnections: UInt64 { (translated ?? [:]).values.reduce(0) { $0.addingSaturated($1) } }

    /// The TCP segments taken out of tunnels, over every tunnel.
    var tunneledSegments: UInt64 { (tunneled ?? [:]).values.reduce(0) { $0.addingSaturated($1) } }

    /// The packets set aside as copies of a packet captured on another interface.
    var duplicatePackets: UInt64 { skipped[SkipReason.duplicate.name] ?? 0 }

    /// The lone RSTs counted apart (`lone_resets`), or nil when there were none:
    /// "2000 lone RSTs without ACK (...)".
    var loneResetsText: String? {
        guard let lone = loneResets, lone > 0 else { return nil }
        return "\(lone) lone RST\(lone == 1 ? "" : "s") without ACK, the only packets of their connection (a spoofed RST flood's, "
            + "or answers to packets not captured): no connection, service or finding made of them"
    }

    /// The bytes one side acknowledged that the capture never held (`missed_bytes`), or nil
    /// when there were none: "capture loss: 41280 bytes acknowledged that the capture never
    /// held, in 3 connections (...)".
    var missedDataText: String? {
        guard let missed = missedBytes, missed > 0 else { return nil }
        let connections = connectionsWithMissedData ?? 0
        return "capture loss: \(missed) byte\(missed == 1 ? "" : "s") acknowledged that the capture never held, in "
            + "\(connections) connection\(connections == 1 ? "" : "s") (packets lost before they were captured, which their "
            + "receivers got)"
    }

    /// The connections the table's cap evicted while open, or nil when none was:
    /// "12 connections evicted while open at the connection-table cap (...)".
    var evictedAtCapText: String? {
        guard let evicted = openConnectionsEvictedAtCap, evicted > 0 else { return nil }
        return "\(evicted) connections evicted while open at the connection-table cap (262,144 at once; a later packet "
            + "of one counts as a new, mid-stream connection, so their counts are split)"
    }
}
