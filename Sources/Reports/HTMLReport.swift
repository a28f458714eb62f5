import Audit
import Foundation

/// The compliance report: one self-contained HTML file for the people who receive an
/// audit, to read on screen, print, or attach to a change ticket.
///
/// It loads nothing: the stylesheet and the chart are inline, there is no script, and a
/// content security policy forbids any load, so the file reads the same offline and cannot
/// call out. Everything taken from the result is escaped (`Markup`). The order answers the
/// reader's questions in turn: the verdict; what it rests on (evidence); the policy; the
/// findings by severity; the traffic; the host x port picture; every service.
public enum HTMLReport {
    /// The content security policy: nothing may load; inline styles and data: images only.
    public static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

    /// The report as one string (`write`, collected in memory).
    public static func render(_ result: AuditResult) -> String {
        ByteSink.collect { write(result, to: $0) }
    }

    /// Writes the report to `sink`; its findings one by one (`HTMLFindings`) and its long
    /// tables row by row (`HTMLServiceTables`).
    public static func write(_ result: AuditResult, to sink: ByteSink) {
        let verdict = Verdict(result)
        let document: Markup = """
        \(HTMLPage.start(title: "\(verdict.headline): dasaudit compliance report", generator: "\(result.tool.name) \(result.tool.version)"))
        \(verdictHeader(result, verdict))
        <nav><a href="#evidence">Evidence</a><a href="#policy">Policy</a><a href="#findings">Findings</a><a href="#traffic">Traffic</a><a href="#matrix">Hosts and ports</a><a href="#services">Services</a></nav>
        <section id="evidence">
        <h2>Evidence</h2>
        \(evidence(result))
        </section>
        <section id="policy">
        <h2>Policy in force</h2>
        \(policy(result))
        </section>
        <section id="findings">
        <h2>Findings (\(result.findings.count))</h2>

        """
        sink.write(document.description)
        HTMLFindings.write(result, to: sink)
        let pictures: Markup = """

        </section>
        <section id="traffic">
        <h2>Traffic per service</h2>
        \(TrafficChart(services: result.services).render())
        </section>
        <section id="matrix">
        <h2>Hosts and ports</h2>
        \(PortMatrix(result).render())
        </section>

        """
        sink.write(pictures.description)
        HTMLServiceTables.write(result, to: sink)
        let end: Markup = """

        <footer>Written by \(result.tool.name) \(result.tool.version) from a \(result.schema) result. \
        This file loads nothing and runs no script; its numbers are those of the JSON result.</footer>
        </body>
        </html>

        """
        sink.write(end.description)
    }

    /// The verdict, first: compliant or not, against which `--fail-on`, and the counts.
    private static func verdictHeader(_ result: AuditResult, _ verdict: Verdict) -> Markup {
        let policy = result.policy
        let severities = Severity.allCases.reversed().map { severity -> Markup in
            let count = result.summary.findings[severity.rawValue] ?? 0
            return "<li data-count=\"findings-\(severity.rawValue)\"><b>\(count)</b>\(severity.rawValue)</li>"
        }
        let window: Markup = result.coverage.windowText.map { "Capture window \($0)." } ?? "The capture held no packets."
        let waived: Markup = result.summary.waived == 0 ? ""
            : "<li data-count=\"waived\"><b>\(result.summary.waived)</b>waived</li>"
        let incomplete: Markup = result.incompleteText.map { " <b>Incomplete:</b> \($0); the audit covers less than was asked." } ?? ""
        return """
        <header class="verdict \(verdict.compliant ? "pass" : "fail")">
        <p class="eyebrow">dasaudit compliance report · offset \(policy.offset) · \(policy.mode.rawValue) mode · \(policy.cores) core\(policy.cores == 1 ? "" : "s") per node</p>
        <h1>\(verdict.headline)</h1>
        <p class="reason">\(verdict.reason.prefix(1).uppercased() + verdict.reason.dropFirst()).</p>
        <ul class="tally">\(severities)<li data-count="services"><b>\(result.services.count)</b>services</li><li data-count="connections"><b>\(result.coverage.connections)</b>connections</li><li data-count="packets"><b>\(result.coverage.packets)</b>packets</li>\(waived)</ul>
        <p class="muted">\(window)\(incomplete)</p>
        </header>
        """
    }

    /// What the verdict rests on: the tool, the command line, the policy digest, and every
    /// input with its hash, size, link type, snapshot length, packets and window.
    private static func evidence(_ result: AuditResult) -> Markup {
        let coverage = result.coverage
        var facts: [(String, Markup)] = [("Tool", "\(result.tool.name) \(result.tool.version), result schema \(result.schema)")]
        if let evidence = result.evidence {
            facts.append(("Command line", "<code class=\"mono wrap\">\(evidence.commandLineText)</code>"))
            if let auditedText = evidence.auditedText { facts.append(("Audited", "\(auditedText)")) }
            facts.append(("Policy SHA-256", "<code class=\"mono wrap\">\(evidence.policySha256)</code> <span class=\"muted\">(of the canonical JSON of the policy below)</span>"))
        } else {
            facts.append(("Command line", "<span class=\"muted\">not recorded: this result was not written by the dasaudit command line</span>"))
        }
        if let points = result.capturePointsText { facts.append(("Captured at", "\(points)")) }
        facts.append(("Read", "\(coverage.packets) packets, \(coverage.tcpSegments) TCP segments, \(coverage.connections) connections"
            + (result.skippedText.map { "; skipped: \($0)" } ?? "")))
        if let oneWay = result.oneWayText { facts.append(("One direction", "<b>\(oneWay)</b>")) }
        if let steps = coverage.clockStepsText { facts.append(("Clock", "<b>\(steps)</b>")) }
        if let cut = coverage.cutByEndText { facts.append(("Cut by the end", "\(cut)")) }
        if let tunneled = coverage.tunneledText { facts.append(("Tunnels", "\(tunneled)")) }
        if let cut = result.cutInTunnelsText { facts.append(("Cut inside tunnels", "<b>\(cut)</b>")) }
        if let unjoined = result.unjoinedFragmentsText { facts.append(("Fragments not joined", "<b>\(unjoined)</b>")) }
        if let missed = coverage.missedDataText { facts.append(("Capture loss", "<b>\(missed)</b>")) }
        if let udp = coverage.udpText { facts.append(("UDP", "\(udp)")) }
        if let copies = coverage.copiesText { facts.append(("Copies", "\(copies)")) }
        if let found = result.copiesFoundBySampleText { facts.append(("Copies found without --deduplicate", "<b>\(found)</b>")) }
        if let sums = result.checksumsNotJudgedText { facts.append(("Checksums not judged", "<b>\(sums)</b>")) }
        if let translated = coverage.translatedText { facts.append(("Address translation", "\(translated)")) }
        if let evicted = coverage.evictedAtCapText {
            facts.append(("Memory bound", "<b>\(evicted)</b>"))
        }
        if let low = coverage.countedLowText { facts.append(("Lower bounds", "<b>\(low)</b>")) }
        if let clock = coverage.clockText { facts.append(("Clocks", "\(clock)")) }
        if let gaps = coverage.gapsText {
            facts.append(("Gaps", (coverage.captureGaps ?? []).isEmpty ? "\(gaps)" : "<b>\(gaps)</b>"))
        }
        if let lone = coverage.loneResetsText { facts.append(("Lone RSTs", "\(lone)")) }
        if let unjudged = result.unjudgedText { facts.append(("Not judged", "<b>\(unjudged)</b>")) }
        if let capped = coverage.clientCountsCappedText {
            facts.append(("Clients bound", "<b>\(capped)</b>"))
        }
        if let unlisted = coverage.unlistedText {
            facts.append(("Not listed", "<b>\(unlisted)</b>: past the caps on listed endpoints, reached only by a scan or a flood; counted above, in no table below"))
        }
        if let drops = coverage.drops {
            facts.append(("Dropped", "<b>\(drops.total)</b> packets lost while capturing: \(drops.kernel) by the kernel (the capture did not keep up), \(drops.interface) by the interface"))
        }
        if let unknown = result.unknownDropsText {
            facts.append(("Drops not known", "\(unknown)"))
        }
        if let short = result.shortSnaplenText { facts.append(("Payloads cut", "<b>\(short)</b>")) }
        if let lengths = result.wireLengthsNotBelievedText { facts.append(("Wire lengths not believed", "<b>\(lengths)</b>")) }
        facts.append(("Complete", result.incompleteText.map { "<b>no</b>: \($0)" } ?? "yes: every input was read to its end"))

        // A drops column only when an input counts drops: a live capture, or a pcapng file that records them.
        let live = result.inputs.contains { $0.drops != nil }
        var inputs = HTMLTable(headers: ["Input", "SHA-256", "Bytes", "Link type", "Snaplen", "Packets", "TCP"]
                                   + (live ? ["Dropped"] : []) + ["First packet", "Last packet", "Status"],
                               numeric: live ? [2, 4, 5, 6, 7] : [2, 4, 5, 6])
        for (index, input) in result.inputs.enumerated() {
            let proof = result.evidence?.inputs.indices.contains(index) == true ? result.evidence!.inputs[index] : nil
            let hash: Markup = proof?.sha256.map { "<span class=\"mono wrap\">\($0)</span>" }
                ?? "<span class=\"muted\">\(proof?.note ?? "not recorded")</span>"
            let link = input.linkTypeName.map { "\($0) (\(input.linkType.map { "\($0)" } ?? "?"))" } ?? "-"
            let status: Markup = input.error.map { "<b>\(input.complete ? "warning" : "incomplete")</b>: \($0)" }
                ?? input.incompleteReason.map { "<b>incomplete</b>: \($0)" } ?? "complete"
            inputs.append(["<span class=\"mono wrap\">\(input.path)</span>", hash, "\(proof?.sizeBytes.map { "\($0)" } ?? "-")", "\(link)",
                           "\(input.snaplen.map { "\($0)" } ?? "-")", "\(input.packets)", "\(input.tcpSegments)"] + (live ? ["\(input.drops.map { "\($0.total)" } ?? "-")"] : [])
                           + ["\(input.firstSeen.map { "\($0)" } ?? "-")", "\(input.lastSeen.map { "\($0)" } ?? "-")", status], cssClass: "input")
        }
        var written: Markup = ""
        if let captures = result.evidence?.writtenCaptures, !captures.isEmpty {
            var table = HTMLTable(headers: ["Written capture", "SHA-256", "Bytes"], numeric: [2])
            for capture in captures {
                // A hash and a note: a capture cut short by a failed write (the note says where).
                let hash: Markup = capture.sha256.map { sha256 in
                    "<span class=\"mono wrap\">\(sha256)</span>" + (capture.note.map { "<br><b>\($0)</b>" } ?? "")
                } ?? "<span class=\"muted\">\(capture.note ?? "not hashed")</span>"
                table.append(["<span class=\"mono wrap\">\(capture.path)</span>", hash,
                              "\(capture.sizeBytes.map { "\($0)" } ?? "-")"])
            }
            written = "<h3>Captures written by the live run (\(captures.count))</h3>\n\(table.render())"
        }
        return "\(facts: facts)\n<h3>Inputs (\(result.inputs.count))</h3>\n\(inputs.render())\(written)"
    }

    /// The policy as the result records it, field by field, so fields added to the policy
    /// (nodes, waivers) show up without a change here.
    private static func policy(_ result: AuditResult) -> Markup {
        guard let data = try? ResultCoding.encoder(canonical: true).encode(result.policy),
              case .object(let fields)? = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            return "<p class=\"muted\">The policy could not be read back.</p>"
        }
        let known = ["profile", "offset", "mode", "cores", "groups", "executor_allowed", "executor_band",
                     "ephemeral_range", "fail_on"]
        let keys = known.filter { fields[$0] != nil } + fields.keys.filter { !known.contains($0) }.sorted()
        var facts: [(String, Markup)] = []
        var tables: [Markup] = []
        for key in keys {
            let label = key == "fail_on" ? "Fails on (--fail-on)" : key.prefix(1).uppercased() + key.dropFirst().replacingOccurrences(of: "_", with: " ")
            if let text = fields[key]!.scalarText {
                facts.append((label, "\(text)"))
            } else if case .object(let object) = fields[key]!, object.isEmpty {
                facts.append((label, "none"))  // an empty map (no base ports moved, no features said)
            } else {
                tables.append("<h3>\(label)</h3>\n\(objectTable(fields[key]!))")
            }
        }
        return "\(facts: facts)\n\(tables)"
    }

    /// A list of objects (or one object) as a table with a column per field.
    private static func objectTable(_ value: JSONValue) -> Markup {
        let objects: [[String: JSONValue]]
        switch value {
        case .object(let object): objects = [object]
        case .array(let values): objects = values.compactMap { if case .object(let object) = $0 { object } else { nil } }
        default: objects = []
        }
        let columns = Array(Set(objects.flatMap(\.keys))).sorted()
        var table = HTMLTable(headers: columns.map { $0.replacingOccurrences(of: "_", with: " ") })
        for object in objects {
            table.append(columns.map { "\(object[$0]?.scalarText ?? "-")" })
        }
        return table.render()
    }
}

extension Markup.StringInterpolation {
    /// A definition list of label and value pairs.
    mutating func appendInterpolation(facts: [(String, Markup)]) {
        let items = facts.map { label, value -> Markup in "<dt>\(label)</dt><dd>\(value)</dd>\n" }
        appendInterpolation("<dl class=\"facts\">\n\(items)</dl>" as Markup)
    }
}
