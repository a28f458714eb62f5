/// A diff as CSV, each field a `csvField` as in `CSVReport` (RFC 4180, never a formula):
/// one row per change, fields of the policy (`what` = policy, `change` = changed, then
/// `field`, `baseline` and `current` at the end, the values whole), services, then findings,
/// with a `what` column saying which; the columns of the other kinds are left empty.
enum DiffCSV {
    static func render(_ rows: DiffRows) -> String {
        let header = ["what"] + DiffRows.serviceHeaders + DiffRows.findingHeaders.dropFirst() + DiffRows.policyHeaders
        let serviceBlank = Array(repeating: "", count: DiffRows.serviceHeaders.count - 1)
        let findingBlank = Array(repeating: "", count: DiffRows.findingHeaders.count - 1)
        let policyBlank = Array(repeating: "", count: DiffRows.policyHeaders.count)
        let policy = rows.diff.policyChanges.map { change in
            ["policy", "changed"] + serviceBlank + findingBlank + [change.field, change.baseline, change.current]
        }
        let lines = [header] + policy
            + rows.services.map { ["service"] + $0 + findingBlank + policyBlank }
            + rows.findings.map { ["finding", $0[0]] + serviceBlank + $0.dropFirst() + policyBlank }
        return lines.map { $0.map(\.csvField).joined(separator: ",") + "\r\n" }.joined()
    }
}
