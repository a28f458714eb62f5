import Audit

/// A diff laid out once for every format: the verdict line, one row per service change and
/// one per finding change, as plain strings each format escapes and arranges its own way.
struct DiffRows {
    static let serviceHeaders = ["change", "address", "port", "node", "classification", "catalog_key", "protocol", "before"]
    static let findingHeaders = ["change", "severity", "kind", "location", "message", "fails"]

    let diff: ResultDiff
    var services: [[String]] = []
    var findings: [[String]] = []
    /// The new findings that make the diff worse (not waived, at or above `fail_on`).
    let failing: [Finding]

    init(_ diff: ResultDiff) {
        self.diff = diff
        failing = diff.newFindings.filter { $0.fails(under: diff.failOn) }
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
        func row(_ change: String, _ finding: Finding, fails: Bool) -> [String] {
            [change, finding.severity.rawValue, finding.kind.rawValue, finding.location, finding.message, fails ? "yes" : "no"]
        }
        findings = diff.newFindings.map { row("new", $0, fails: $0.fails(under: diff.failOn)) }
            + diff.resolvedFindings.map { row("resolved", $0, fails: false) }
    }

    /// `WORSE` or `NOT WORSE`.
    var headline: String { diff.worse ? "WORSE" : "NOT WORSE" }

    /// Why: "2 new findings at or above --fail-on medium", or what did change.
    var reason: String {
        if diff.worse {
            return "\(failing.count) new finding\(failing.count == 1 ? "" : "s") at or above --fail-on \(diff.failOn.rawValue)"
        }
        if diff.isEmpty { return "no change in services or findings" }
        return "no new finding at or above --fail-on \(diff.failOn.rawValue)"
    }

    /// "3 new, 1 vanished, 0 changed services; 2 new, 1 resolved findings".
    var counts: String {
        "\(diff.newServices.count) new, \(diff.vanishedServices.count) vanished, \(diff.changedServices.count) changed services; "
            + "\(diff.newFindings.count) new, \(diff.resolvedFindings.count) resolved findings"
    }

    /// "baseline.json (offset 4, cluster, 2 cores: 22 services, 9 findings)".
    static func describe(_ side: ResultDiff.Side) -> String {
        "\(side.path) (\(side.profile), offset \(side.offset), \(side.mode.rawValue), \(side.cores) core\(side.cores == 1 ? "" : "s"): "
            + "\(side.services) services, \(side.findings) findings, \(side.compliant ? "compliant" : "not compliant"))"
    }
}
