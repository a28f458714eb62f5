import Audit
import Wire

/// The audit as JUnit XML, so a CI system shows it as tests: one test case per policy
/// check, failed by the findings that concern it and fail the audit (`Finding.fails`).
///
/// Three suites: `dasaudit.findings` (one case per finding kind: "no unexpected-port"),
/// `dasaudit.services` (one per service: "this endpoint is explained by the policy") and
/// `dasaudit.openings` (one per port the policy expects: "it carried traffic"). Findings
/// that do not fail the audit (below the threshold, or waived) are listed in the case's `system-out`. The first suite's properties
/// carry the result's counts and verdict. Text from the result is escaped as XML and its
/// control characters made visible (`String.htmlEscaped`): CI systems print case names,
/// failures and `system-out` in build logs, where a raw escape sequence would act.
public enum JUnitReport {
    /// How much text of findings a test case lists, in its `failure` and in its
    /// `system-out` each, in bytes of XML: past it, how many more there are and where they
    /// all are. libxml2, under most JUnit readers (xmllint, lxml, junitparser), refuses a
    /// text node above 10 MB, and 40,000 findings of one kind made an 11.7 MB `failure`.
    /// 1 MB is about 2,900 findings as audits word them; with a message and a remediation
    /// read back of at most `Finding.longestText` bytes each, and no byte escaped to more
    /// than 6 (`&quot;`), one finding's line is under 200 kB, so a case's text stays under
    /// 1.2 MB whatever the findings say.
    public static let listedFindingBytes = 1_000_000



    /// The JUnit XML of `result` as one string (`write`, collected in memory).
    public static func render(_ result: AuditResult) -> String {
        ByteSink.collect { write(result, to: $0) }
    }

    /// Writes the JUnit XML of `result` to `sink` one test case at a time: the services'
    /// cases (one per service) are made as they are written, after a first pass that
    /// counts their failures for the suite's header.
    public static func write(_ result: AuditResult, to sink: ByteSink) {
        let failOn = result.summary.failOn
        let verdict = Verdict(result)
        // The no-traffic case from the verdict: it fails even a result that lacks the finding.
        // The findings of each kind gathered once: a filter of all findings for each kind, and
        // for each expected port, copied every finding (its strings retained and released).
        let findingsOfKind = Dictionary(grouping: result.findings, by: \.kind)
        let kindCases = Finding.Kind.allCases.map { kind in
            TestCase(classname: "dasaudit.findings", name: "no \(kind.rawValue) finding",
                     findings: kind == .noTraffic ? verdict.noTrafficFindings
                        : findingsOfKind[kind] ?? [], failOn: failOn)
        }
        // Findings by endpoint, so that each service finds its own in constant time.
        let findingsByEndpoint = Dictionary(grouping: result.findings.filter { $0.address != nil && $0.port != nil }) {
            EndpointKey(address: $0.address!, port: $0.port!)
        }
        let serviceCases = result.services.lazy.map { service in
            TestCase(classname: "dasaudit.services",
                     name: "\(service.endpoint) \(service.classification.rawValue)" + (service.catalogKeys.first.map { " \($0)" } ?? ""),
                     findings: findingsByEndpoint[EndpointKey(address: service.address, port: service.port)] ?? [], failOn: failOn,
                     note: "\(service.connections) connections, \(service.packets) packets, \(service.bytes) bytes; "
                        + "protocol \(service.protocolText)")
        }
        let openingCases = openings(result).map { opening in
            TestCase(classname: "dasaudit.openings", name: "\(opening.key) (\(opening.ports)) carries traffic",
                     findings: (findingsOfKind[.unusedOpening] ?? []).filter { $0.port.map(opening.portSet.contains) == true },
                     failOn: failOn)
        }
        var properties: [(String, String)] = [
            ("verdict", verdict.headline), ("fail_on", failOn.rawValue), ("services", "\(result.services.count)"),
            ("connections", "\(result.coverage.connections)"), ("packets", "\(result.coverage.packets)"),
            ("complete", "\(result.coverage.complete)"),
            ("service_connections_not_listed", "\(result.coverage.serviceConnectionsNotListed)"),
            ("attempts_not_listed", "\(result.coverage.attemptsNotListed)"),
            ("open_connections_evicted_at_cap", "\(result.coverage.openConnectionsEvictedAtCap ?? 0)"),
        ]
        properties += Severity.allCases.reversed().map { ("findings.\($0.rawValue)", "\(result.summary.findings[$0.rawValue] ?? 0)") }
        if result.coverage.tunneledSegments > 0 { properties.append(("tunneled_segments", "\(result.coverage.tunneledSegments)")) }
        if result.coverage.translatedConnections > 0 {
            properties.append(("translated_connections", "\(result.coverage.translatedConnections)"))
        }
        if let oneWay = result.coverage.connectionsSeenOneWay, oneWay > 0 {
            properties.append(("connections_seen_one_way", "\(oneWay)"))
        }
        if let low = result.coverage.connectionsCountedLow, low > 0 {
            properties.append(("connections_counted_low", "\(low)"))
        }
        if let clock = result.coverage.clockText { properties.append(("clock", clock)) }
        if let gaps = result.coverage.captureGaps, !gaps.isEmpty { properties.append(("capture_gaps", "\(gaps.count)")) }
        if let gaps = result.coverage.gapsText { properties.append(("capture_gaps_text", gaps)) }
        if let cut = result.coverage.connectsCutByEnd, cut > 0 { properties.append(("connects_cut_by_end", "\(cut)")) }
        if let missed = result.coverage.missedBytes, missed > 0 {
            properties.append(("connections_with_missed_data", "\(result.coverage.connectionsWithMissedData ?? 0)"))
            properties.append(("missed_bytes", "\(missed)"))
        }
        if let steps = result.coverage.clockStepsBack, steps > 0 { properties.append(("clock_steps_back", "\(steps)")) }
        if result.coverage.duplicatePackets > 0 { properties.append(("duplicate_packets", "\(result.coverage.duplicatePackets)")) }
        if let cut = result.coverage.skipped[SkipReason.truncatedInTunnel.name], cut > 0 {
            properties.append(("cut_in_tunnels", "\(cut)"))
        }
        properties += result.coverage.skipped.sorted { $0.key < $1.key }.map { ("skipped.\($0.key)", "\($0.value)") }
        if let udp = result.coverage.udp {
            properties.append(("udp_packets", "\(udp.packets)"))
            let shaped = udp.vxlanShapedPorts
            if !shaped.isEmpty { properties.append(("udp_ports_shaped_like_vxlan", shaped.map(String.init).joined(separator: " "))) }
        }
        if let evidence = result.evidence { properties.append(("policy_sha256", evidence.policySha256)) }
        if result.capturePoints != nil { properties.append(("capture_points", result.capturePointNames)) }

        // Counted from the findings, not by making each service's case twice (once to count,
        // once to write): that was half of the report's time with tens of thousands of services.
        let serviceFailures = result.services.count { service in
            findingsByEndpoint[EndpointKey(address: service.address, port: service.port)]?.contains { $0.fails(under: failOn) } == true
        }
        let tests = kindCases.count + result.services.count + openingCases.count
        let failures = kindCases.filter(\.failed).count + serviceFailures + openingCases.filter(\.failed).count
        let head: Markup = """
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites name="dasaudit" tests="\(tests)" failures="\(failures)" errors="0" time="0">

        """
        sink.write(head.description)
        let props = properties.map { name, value -> Markup in "<property name=\"\(name)\" value=\"\(value)\"/>\n" }
        writeSuite("dasaudit.findings", kindCases, count: kindCases.count, failures: kindCases.filter(\.failed).count,
                   properties: "<properties>\n\(props)</properties>\n", to: sink)
        writeSuite("dasaudit.services", serviceCases, count: result.services.count, failures: serviceFailures, to: sink)
        writeSuite("dasaudit.openings", openingCases, count: openingCases.count, failures: openingCases.filter(\.failed).count, to: sink)
        sink.write("</testsuites>\n")
    }

    /// One `<testsuite>`: its header, `properties`, then each case as it comes.
    private static func writeSuite(_ name: String, _ cases: some Sequence<TestCase>, count: Int, failures: Int,
                                   properties: Markup = "", to sink: ByteSink) {
        let head: Markup = """
        <testsuite name="\(name)" tests="\(count)" failures="\(failures)" errors="0" skipped="0" time="0">
        \(properties)
        """
        sink.write(head.description)
        for testCase in cases { testCase.write(to: sink) }
        sink.write("</testsuite>\n")
    }

    /// The ports the policy expects, by catalog key: those that carried traffic (services
    /// the audit classified expected or executor) and those that did not (unused openings).
    static func openings(_ result: AuditResult) -> [(key: String, ports: String, portSet: Set<UInt16>)] {
        var ports: [String: Set<UInt16>] = [:]
        for service in result.services where service.classification == .expected || service.classification == .executor {
            if let key = service.catalogKey { ports[key, default: []].insert(service.port) }
        }
        for opening in result.unusedOpenings { ports[opening.catalogKey, default: []].insert(opening.port) }
        return ports.map { key, set in (key, set.sorted().map(String.init).joined(separator: ", "), set) }
            .sorted { ($0.portSet.min() ?? 0, $0.key) < ($1.portSet.min() ?? 0, $1.key) }
    }

    /// A server endpoint as the result names it.
    struct EndpointKey: Hashable {
        var address: String
        var port: UInt16
    }

    /// One check: failed by its findings that fail the audit; the others are listed.
    struct TestCase {
        var classname: String
        var name: String
        var failing: [Finding]
        var other: [Finding]
        var note: String?

        init(classname: String, name: String, findings: [Finding], failOn: FailThreshold, note: String? = nil) {
            self.classname = classname
            self.name = name
            failing = findings.filter { $0.fails(under: failOn) }
            other = findings.filter { !$0.fails(under: failOn) }
            self.note = note
            self.failOn = failOn
        }

        private var failOn: FailThreshold

        var failed: Bool { !failing.isEmpty }

        /// Writes the `<testcase>` element, its failure and its `system-out`.
        func write(to sink: ByteSink) {
            sink.write(("<testcase classname=\"\(classname)\" name=\"\(name)\" time=\"0\">\n" as Markup).description)
            if !failing.isEmpty {
                let open: Markup = """
                    <failure type="\(failing[0].kind.rawValue)" message="\(failing.count) finding\(failing.count == 1 ? "" : "s") failing the audit at --fail-on \(failOn.rawValue)">
                    """
                sink.write(open.description)
                Self.writeLines(failing, to: sink, afterText: false)
                sink.write("</failure>\n" as StaticString)
            }
            if note != nil || !other.isEmpty {
                sink.write("<system-out>" as StaticString)
                if let note { sink.write(note.htmlEscaped) }
                Self.writeLines(other, to: sink, afterText: note != nil)
                sink.write("</system-out>\n" as StaticString)
            }
            sink.write("</testcase>\n" as StaticString)
        }

        /// Writes the lines of `findings` (`line`), one under another (under text already
        /// written when `afterText`), up to `JUnitReport.listedFindingBytes` (one at least),
        /// then how many more there are and where they are all listed. Each line's pieces
        /// go into the sink escaped, without the line made as one text first.
        static func writeLines(_ findings: [Finding], to sink: ByteSink, afterText: Bool) {
            var bytes = 0, shown = 0
            for finding in findings {
                let pieces = line(finding)
                bytes += pieces.reduce(0) { $0 + $1.utf8.count } + 1
                if bytes > JUnitReport.listedFindingBytes && shown > 0 { break }
                if shown > 0 || afterText { sink.write(byte: UInt8(ascii: "\n")) }
                for piece in pieces { sink.write(piece) }
                shown += 1
            }
            let more = findings.count - shown
            guard more > 0 else { return }
            if shown > 0 || afterText { sink.write(byte: UInt8(ascii: "\n")) }
            sink.write("... and \(more) more finding\(more == 1 ? "" : "s"): all are in the JSON result and the Markdown and HTML reports")
        }

        /// "[high] unexpected-port 127.0.0.4:31337: message" and its remediation; a waived
        /// finding starts "(waived until ...: reason) [high]". In pieces, each escaped.
        static func line(_ finding: Finding) -> [String] {
            var pieces: [String] = []
            if let waiver = finding.waiverText { pieces.append("(" + waiver.htmlEscaped + ") ") }
            pieces.append("[\(finding.severity.rawValue)] \(finding.kind.rawValue)")
            let location = finding.location
            if !location.isEmpty { pieces.append(" " + location.htmlEscaped) }
            pieces += [": ", finding.message.htmlEscaped, "\n  Remediation: ", finding.remediation.htmlEscaped]
            return pieces
        }
    }
}
