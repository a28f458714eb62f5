/// How much a finding matters, lowest first.
public enum Severity: String, CaseIterable, Codable, Comparable, Sendable {
    case info, low, medium, high

    /// Its place, lowest first. A switch: `allCases.firstIndex(of:)` made the array of
    /// cases at every comparison, and reports compare once per finding or more.
    var rank: Int {
        switch self {
        case .info: 0
        case .low: 1
        case .medium: 2
        case .high: 3
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// The lowest severity that makes an audit fail (`--fail-on`), or `never`.
public enum FailThreshold: String, CaseIterable, Codable, Sendable {
    case high, medium, low, info, never

    /// The lowest severity that fails; nil for `never`.
    public var lowestFailing: Severity? {
        switch self {
        case .high: .high
        case .medium: .medium
        case .low: .low
        case .info: .info
        case .never: nil
        }
    }

    /// Whether a finding of `severity` fails the audit.
    public func fails(_ severity: Severity) -> Bool {
        guard let threshold = lowestFailing else { return false }
        return severity >= threshold
    }
}
