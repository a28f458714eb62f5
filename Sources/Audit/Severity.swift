/// How much a finding matters, lowest first.
public enum Severity: String, CaseIterable, Codable, Comparable, Sendable {
    case info, low, medium, high

    var rank: Int { Severity.allCases.firstIndex(of: self)! }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// The lowest severity that makes an audit fail (`--fail-on`), or `never`.
public enum FailThreshold: String, CaseIterable, Codable, Sendable {
    case high, medium, low, info, never

    /// Whether a finding of `severity` fails the audit.
    public func fails(_ severity: Severity) -> Bool {
        guard let threshold = Severity(rawValue: rawValue) else { return false }
        return severity >= threshold
    }
}
