import Audit

/// A diff laid out once for every format: the verdict line, one row per field of the policy
/// that differs, one per service change and one per finding change, as plain strings each
/// format escapes and arranges its own way.
struct DiffRows {
    static let serviceHeaders = ["change", "address", "port", "node", "classification", "catalog_key", "protocol", "before"]
    static let findingHeaders = ["change", "severity", "kind", "location", "message", "fails"]
    static let policyHeaders = ["field", "baseline", "current"]

    let diff: ResultDiff
    var services: [[String]] = []
    /// Every finding change, as each format lists it: new, no longer waived, now waived,
    /// repeated `no-traffic`, resolved; whether it makes the diff worse.
    var findingChanges: [(change: String, finding: Finding, fails: Bool)] = []
    var findings: [[String]] { findingChanges.map { row($0.change, $0.finding, fails: $0.fails) } }
    /// The finding changes that make the diff worse (`ResultDiff.failing`).
    var failing: [Finding] { diff.failing }

    init(_ diff: ResultDiff) {
        self.diff = diff
        func row(_ change: String, _ state: ResultDiff.ServiceState, before: String = "") -> [String] {
            [change, state.address, "\(state.port)", state.node ?? "", state.classification.rawValue, state.catalogKey ?? "",
             state.protocol ?? "", before]
        }
        services = diff.newServices.map { row("new", $0) } + diff.vanishedServices.map { row("vanished", $0) }
            + diff.changedServices.map { change in
                let before = change.changed.map { field -> String in
                    let old = change.before
                    let value = switch field {
                    case "classification": old.classification.rawValue
                    case "catalog_key": old.catalogKey ?? "none"
                    case "protocol": old.protocol ?? "none"
                    default: old.node ?? "none"
                    }
                    return "\(field) \(value)"
                }
                return row("changed", change.after, before: before.joined(separator: ", "))
            }
        func changes(_ change: String, _ list: [Finding], failing: Bool) -> [(change: String, finding: Finding, fails: Bool)] {
            list.map { (change, $0, failing && $0.fails(under: diff.failOn)) }
        }
        findingChanges = changes("new", diff.newFindings, failing: true) + changes("unwaived", diff.unwaivedFindings, failing: true)
            + changes("repeated", diff.repeatedNoTraffic, failing: true) + changes("waived", diff.waivedFindings, failing: false)
            + changes("resolved", diff.resolvedFindings, failing: false)
    }

    private func row(_ change: String, _ finding: Finding, fails: Bool) -> [String] {
        [change, finding.severity.rawValue, finding.kind.rawValue, finding.location, finding.message, fails ? "yes" : "no"]
    }

    /// One row per field of the policy section the two results give differently
    /// (`ResultDiff.policyChanges`), each value cut as `PolicyChange.shown` cuts it: what the
    /// text, Markdown and HTML reports show (the CSV and JSON keep the values whole).
    var policy: [[String]] {
        diff.policyChanges.map { [$0.field, PolicyChange.shown($0.baseline), PolicyChange.shown($0.current)] }
    }

    /// Whether the two results were audited under one policy, in words: "the same in both
    /// results", or "different in allowed_ports, nodes: ..." with the warning a reader of a
    /// diff needs, since such a diff lists findings that only the policy made new or resolved.
    var policyLine: String {
        guard !diff.policyChanges.isEmpty else { return "the same in both results" }
        return "different in \(diff.policyChanges.map(\.field).joined(separator: ", ")): services and findings may be new, "
            + "resolved or changed by the policy, not by the traffic"
    }

    /// `WORSE` or `NOT WORSE`.
    var headline: String { diff.worse ? "WORSE" : "NOT WORSE" }

    /// Why: "2 new findings at or above --fail-on medium; 1 finding no longer waived at or
    /// above --fail-on medium", "the current audit saw nothing, as the baseline's did", or
    /// what did change.
    var reason: String {
        if diff.worse {
            func findings(_ count: Int, _ what: String) -> String? {
                count == 0 ? nil : "\(count) \(what)finding\(count == 1 ? "" : "s")"
            }
            let threshold = " at or above --fail-on \(diff.failOn.rawValue)"
            let new = diff.newFindings.filter { $0.fails(under: diff.failOn) }.count
            let unwaived = diff.unwaivedFindings.filter { $0.fails(under: diff.failOn) }.count
            return [findings(new, "new ").map { $0 + threshold },
                    findings(unwaived, "").map { $0 + " no longer waived" + threshold },
                    diff.repeatedNoTraffic.isEmpty ? nil : "the current audit saw nothing (no-traffic), as the baseline's did"]
                .compactMap { $0 }.joined(separator: "; ")
        }
        if diff.isEmpty { return "no change in services or findings" }
        return "no new finding at or above --fail-on \(diff.failOn.rawValue)"
    }

    /// "3 new, 1 vanished, 0 changed services; 2 new, 1 resolved findings".
    var counts: String {
        "\(diff.newServices.count) new, \(diff.vanishedServices.count) vanished, \(diff.changedServices.count) changed services; "
            + "\(diff.newFindings.count) new, \(diff.resolvedFindings.count) resolved findings"
            + (diff.unwaivedFindings.isEmpty && diff.waivedFindings.isEmpty ? ""
                : ", \(diff.unwaivedFindings.count) no longer waived, \(diff.waivedFindings.count) newly waived")
    }

    /// "baseline.json (offset 4, cluster, 2 cores: 22 services, 9 findings)".
    static func describe(_ side: ResultDiff.Side) -> String {
        "\(side.path) (\(side.profile), offset \(side.offset), \(side.mode.rawValue), \(side.cores) core\(side.cores == 1 ? "" : "s"): "
            + "\(side.services) services, \(side.findings) findings, \(side.compliant ? "compliant" : "not compliant"))"
    }
}
