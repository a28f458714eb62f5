/// A diff as CSV, each field a `csvField` as in `CSVReport` (RFC 4180, never a formula):
/// one row per change, services then findings, with a `what` column saying which; the
/// columns of the other kind are left empty.
enum DiffCSV {
    static func render(_ rows: DiffRows) -> String {
        let header = ["what"] + DiffRows.serviceHeaders + DiffRows.findingHeaders.dropFirst()
        let serviceBlank = Array(repeating: "", count: DiffRows.serviceHeaders.count - 1)
        let findingBlank = Array(repeating: "", count: DiffRows.findingHeaders.count - 1)
        let lines = [header]
            + rows.services.map { ["service"] + $0 + findingBlank }
            + rows.findings.map { ["finding", $0[0]] + serviceBlank + $0.dropFirst() }
        return lines.map { $0.map(\.csvField).joined(separator: ",") + "\r\n" }.joined()
    }
}
