import Audit

extension AuditResult {
    /// Where the packets were captured, for a report's evidence: each capture point's name
    /// and how it was named (`a (named with --capture-point), b (...)`), or nil in results
    /// made before capture points. Raw text, from the result: each renderer escapes it.
    public var capturePointsText: String? {
        guard let points = capturePoints, !points.isEmpty else { return nil }
        return points.map { "\($0.name) (\($0.basisText))" }.joined(separator: ", ")
    }

    /// The capture points' names alone, space-separated (CSV, JUnit properties).
    var capturePointNames: String {
        (capturePoints ?? []).map(\.name).joined(separator: " ")
    }
}
