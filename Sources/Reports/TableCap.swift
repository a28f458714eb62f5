/// How many rows of each long table the terminal summary shows before it says how many it
/// left out: a 65,535-port scan or a flood must not make a summary nobody reads. The JSON
/// and CSV reports stay complete.
enum TableCap {
    static let services = 50
    static let attempts = 30
    static let unusedOpenings = 30
    static let findings = 40

    /// The line under a table that showed `shown` of `total` rows, or nil when it showed all.
    static func moreLine(shown: Int, total: Int) -> String? {
        total > shown ? "  ... and \(total - shown) more (see the JSON/CSV)" : nil
    }
}
