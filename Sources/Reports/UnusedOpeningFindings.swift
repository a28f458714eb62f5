import Audit

/// The unused-opening findings as the terminal summary shows them: in the unused-openings
/// table, not among the other findings, so the table and the line under the findings say
/// which of them are waived, as HTML and Markdown do by listing them with the waived
/// findings (the findings header's "N waived" counts them all).
struct UnusedOpeningFindings {
    /// The unused-opening findings, and how many of them are waived.
    let count: Int
    let waived: Int
    /// The waiver of each waived one, by node and port: a waiver tells findings apart by
    /// their host and port only, so two openings of one port on one node share it.
    private let waivers: [Key: Finding.AppliedWaiver]
    /// The waivers' text when every waived one has the same, for the summary line.
    private let sharedWaiverText: String?

    private struct Key: Hashable {
        var node: String?
        var port: UInt16?
    }

    init(_ result: AuditResult) {
        let findings = result.findings.filter { $0.kind == .unusedOpening }
        let waivedFindings = findings.filter(\.isWaived)
        count = findings.count
        waived = waivedFindings.count
        var waivers: [Key: Finding.AppliedWaiver] = [:]
        for finding in waivedFindings { waivers[Key(node: finding.node, port: finding.port)] = finding.waiver }
        self.waivers = waivers
        let texts = Set(waivedFindings.compactMap(\.waiverText))
        sharedWaiverText = texts.count == 1 ? texts.first : nil
    }

    /// The waiver that covers `opening`'s finding, or nil.
    func waiver(of opening: UnusedOpening) -> Finding.AppliedWaiver? {
        waivers.isEmpty ? nil : waivers[Key(node: opening.node, port: opening.port)]
    }

    /// For the table's title: "", ", all waived" or ", 12 waived".
    var waivedCountText: String {
        waived == 0 ? "" : waived == count ? ", all waived" : ", \(waived) waived"
    }

    /// The line under the findings that points at the table, or nil without such findings:
    /// "and 73 unused-opening findings (low, or info where normally unbound), all waived
    /// [waived until 2099-12-31: all unused ok]: the table above, which shows 30 of the 73".
    func summaryLine(shown: Int, openings: Int) -> String? {
        guard count > 0 else { return nil }
        let waivedText = waived == 0 ? "" : (waived == count ? (count == 1 ? ", waived" : ", all waived") : ", \(waived) waived")
            + (sharedWaiverText.map { " [\($0)]" } ?? " (the table's WAIVED column)")
        let partial = shown < openings ? ", which shows \(shown) of the \(openings)" : ""
        return "  and \(count) unused-opening finding\(count == 1 ? "" : "s") (low, or info where normally unbound)"
            + "\(waivedText): the table above\(partial)"
    }
}
