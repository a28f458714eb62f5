/// How many rows of each long table the terminal summary shows before it says how many it
/// left out: a 65,535-port scan or a flood must not make a summary nobody reads. The other
/// reports stay complete, each table in its own of them (`Table.completeIn`).
enum TableCap {
    static let services = 50
    static let attempts = 30
    static let unusedOpenings = 30
    static let findings = 40

    /// A table of the terminal summary: what its rows hold, and which reports list them all.
    enum Table {
        case services, attempts, unusedOpenings, findings

        /// What one item is called, singular and plural.
        var item: (one: String, many: String) {
            switch self {
            case .services: ("service", "services")
            case .attempts: ("attempted endpoint", "attempted endpoints")
            case .unusedOpenings: ("unused opening", "unused openings")
            case .findings: ("finding", "findings")
            }
        }

        /// The reports that list every row: only the CSV is services alone, and only the
        /// JSON and HTML hold the attempts.
        var completeIn: String {
            switch self {
            case .services: "the JSON result and the CSV, Markdown and HTML reports"
            case .attempts: "the JSON result and the HTML report"
            case .unusedOpenings: "the JSON result and the Markdown and HTML reports"
            case .findings: "the JSON result and the Markdown and HTML reports"
            }
        }

        /// Whether a row can hold several items: attempts' port runs, findings' groups.
        var rowsCollapse: Bool { self == .attempts || self == .findings }
    }

    /// The line under `table` that showed `shown` of `total` rows, or nil when it showed
    /// all. Where rows collapse items, `hiddenItems` (the items of the rows left out) is
    /// said beside the rows, so that neither count passes for the other: "... and 12 more
    /// rows (340 attempted endpoints): all are in the JSON result and the HTML report".
    static func moreLine(_ table: Table, shown: Int, total: Int, hiddenItems: Int = 0) -> String? {
        guard total > shown else { return nil }
        let rows = total - shown
        func items(_ count: Int) -> String { "\(count) \(count == 1 ? table.item.one : table.item.many)" }
        let what = table.rowsCollapse ? "\(rows) more row\(rows == 1 ? "" : "s") (\(items(hiddenItems)))"
            : "\(rows) more \(rows == 1 ? table.item.one : table.item.many)"
        return "  ... and \(what): all are in \(table.completeIn)"
    }
}
