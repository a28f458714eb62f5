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

    /// Writes the JUnit XML of `result` to `sink` one test case at a time: each service's
    /// case is written from the service and its findings (`writeServiceCase`), after a
    /// first pass that counts their failures for the suite's header.
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
        let serviceFindings = findingsOfEachService(result)
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

        // Counted from the findings, not by writing each service's case twice.
        let serviceFailures = serviceFindings.count { $0.contains { $0.fails(under: failOn) } }
        let tests = kindCases.count + result.services.count + openingCases.count
        let failures = kindCases.filter(\.failed).count + serviceFailures + openingCases.filter(\.failed).count
        let head: Markup = """
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites name="dasaudit" tests="\(tests)" failures="\(failures)" errors="0" time="0">

        """
        sink.write(head.description)
        let props = properties.map { name, value -> Markup in "<property name=\"\(name)\" value=\"\(value)\"/>\n" }
        writeSuite("dasaudit.findings", count: kindCases.count, failures: kindCases.filter(\.failed).count,
                   properties: "<properties>\n\(props)</properties>\n", to: sink) {
            for testCase in kindCases { testCase.write(to: sink) }
        }
        writeSuite("dasaudit.services", count: result.services.count, failures: serviceFailures, to: sink) {
            for (service, findings) in zip(result.services, serviceFindings) {
                writeServiceCase(service, findings: findings, failOn: failOn, to: sink)
            }
        }
        writeSuite("dasaudit.openings", count: openingCases.count, failures: openingCases.filter(\.failed).count, to: sink) {
            for testCase in openingCases { testCase.write(to: sink) }
        }
        sink.write("</testsuites>\n")
    }

    /// One `<testsuite>`: its header, `properties`, then the cases `writeCases` writes.
    private static func writeSuite(_ name: String, count: Int, failures: Int, properties: Markup = "", to sink: ByteSink,
                                   cases writeCases: () -> Void) {
        let head: Markup = """
        <testsuite name="\(name)" tests="\(count)" failures="\(failures)" errors="0" skipped="0" time="0">
        \(properties)
        """
        sink.write(head.description)
        writeCases()
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
}
