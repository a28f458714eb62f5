import Audit

/// The terminal summary: coverage, services, attempts, unused openings, findings and the
/// verdict, as aligned tables. ANSI colour only when asked (on a terminal). Every text
/// taken from the result is shown `terminalEscaped` (tables escape their cells), so the
/// only control sequences in the output are the report's own colours.
public struct TextReport {
    public var color: Bool

    public init(color: Bool) { self.color = color }

    public func render(_ result: AuditResult) -> String {
        var out: [String] = []
        let policy = result.policy
        out.append(bold("dasaudit \(result.tool.version.terminalEscaped)") + ": offset \(policy.offset), mode \(policy.mode.rawValue), "
            + "\(policy.cores) core\(policy.cores == 1 ? "" : "s") per node, \(policy.executorsText.terminalEscaped)")
        out.append(coverageLine(result))
        if let audited = result.evidence?.auditedText { out.append("audited: \(audited)") }
        if let points = result.capturePointsText { out.append("captured at: \(points.terminalEscaped)") }
        for input in result.inputs where input.error != nil {
            out.append(paint("  ! \(input.error!.terminalEscaped)", .yellow))
        }

        out.append("")
        out.append(bold("Services (\(result.services.count))"))
        if result.services.isEmpty {
            out.append("  none: no connection carried traffic")
        } else {
            let withNodes = result.services.contains { $0.node != nil }
            var table = TextTable(headers: (withNodes ? ["NODE"] : []) + ["ADDRESS", "PORT", "CLASSIFICATION", "CATALOG KEY",
                                                                          "PROTOCOL", "CONNS", "PACKETS", "BYTES", "CLIENTS"],
                                  rightAligned: Set([1, 5, 6, 7, 8].map { withNodes ? $0 + 1 : $0 }))
            for service in result.services.prefix(TableCap.services) {
                let key = ([service.catalogKey] + service.alsoCatalogKeys.map { $0 as String? }).compactMap { $0 }.joined(separator: " | ")
                table.rows.append((withNodes ? [service.node ?? "-"] : []) + [
                    service.address, "\(service.port)", service.classification.rawValue,
                    key.isEmpty ? (service.hintLabel.map { "(\($0))" } ?? "-") : key,
                    service.protocolText, "\(service.connections)", "\(service.packets)", "\(service.bytes)", "\(service.clients)"])
            }
            out.append(colorRows(table.render(), result.services.prefix(TableCap.services).map(\.classification)))
            if let more = TableCap.moreLine(.services, shown: TableCap.services, total: result.services.count) { out.append(more) }
        }

        let egress = EgressTable.rows(result)
        if !egress.isEmpty {
            out.append("")
            out.append(bold(EgressTable.title(egress)))
            var table = TextTable(headers: EgressTable.headers.map { $0.uppercased() }, rightAligned: EgressTable.numeric)
            table.rows = egress
            out.append(table.render())
        }

        if !result.attempts.isEmpty {
            out.append("")
            out.append(bold("Connection attempts, not traffic (\(result.attempts.count))"))
            var table = TextTable(headers: ["ADDRESS", "PORT", "CATALOG KEY", "REFUSED", "UNANSWERED", "CLIENTS"],
                                  rightAligned: [1, 3, 4, 5])
            let runs = AttemptRun.collapsing(result.attempts)
            for run in runs.prefix(TableCap.attempts) {
                table.rows.append([run.address, run.portText, run.catalogKey ?? "-",
                                   "\(run.refused)", "\(run.unanswered)", "\(run.clients)"])
            }
            out.append(table.render())
            let hidden = runs.dropFirst(TableCap.attempts).reduce(0) { $0 + $1.ports.count }
            if let more = TableCap.moreLine(.attempts, shown: TableCap.attempts, total: runs.count, hiddenItems: hidden) {
                out.append(more)
            }
        }

        if !result.unresolved.isEmpty {
            out.append("")
            out.append(bold("Connections with unknown direction (\(result.unresolved.count))"))
            var table = TextTable(headers: ["ENDPOINT A", "ENDPOINT B", "PACKETS", "BYTES"], rightAligned: [2, 3])
            for connection in result.unresolved.prefix(20) {
                table.rows.append(["\(connection.addressA):\(connection.portA)", "\(connection.addressB):\(connection.portB)",
                                   "\(connection.packets)", "\(connection.bytes)"])
            }
            out.append(table.render())
            if result.unresolved.count > 20 { out.append("  ... and \(result.unresolved.count - 20) more in the JSON result") }
        }

        out.append("")
        // Unused openings are listed here, not among the findings: each one's waiver too.
        let unused = UnusedOpeningFindings(result)
        out.append(bold("Unused openings (\(result.unusedOpenings.count)\(unused.waivedCountText))"))
        if result.unusedOpenings.isEmpty {
            // With no group expected (`expect: []`) there was no port to carry traffic.
            out.append(policy.groups.isEmpty ? "  none: the policy expects no catalog port"
                : "  none: every expected port carried traffic")
        } else {
            let withNodes = result.unusedOpenings.contains { $0.node != nil }
            let withWaivers = unused.waived > 0
            var table = TextTable(headers: (withNodes ? ["NODE"] : []) + ["PORT", "CATALOG KEY", "GROUP", "NOTE"]
                                  + (withWaivers ? ["WAIVED"] : []), rightAligned: [withNodes ? 1 : 0])
            for opening in result.unusedOpenings.prefix(TableCap.unusedOpenings) {
                table.rows.append((withNodes ? [opening.node ?? "-"] : []) + [
                    "\(opening.port)", opening.catalogKey, opening.group,
                    opening.feature.map { "only if \($0) is on" } ?? (opening.normallyBound ? opening.summary : "normally unbound")]
                    + (withWaivers ? [unused.waiver(of: opening).map { "until \($0.expires)" } ?? "-"] : []))
            }
            out.append(table.render())
            if let more = TableCap.moreLine(.unusedOpenings, shown: TableCap.unusedOpenings, total: result.unusedOpenings.count) {
                out.append(more)
            }
        }

        out.append("")
        let counts = Severity.allCases.reversed().map { "\(result.summary.findings[$0.rawValue] ?? 0) \($0.rawValue)" }
        let waived = result.summary.waived > 0 ? ", \(result.summary.waived) waived" : ""
        out.append(bold("Findings (\(result.findings.count): \(counts.joined(separator: ", "))\(waived))"))
        // Unused openings are listed in their own table above; the findings list names the rest.
        // Findings of one kind on the same ports across hosts are one line (`FindingGroup`).
        let listed = FindingGroup.grouping(result.findings.filter { $0.kind != .unusedOpening })
        for group in listed.prefix(TableCap.findings) {
            let severity = group.severity.rawValue.uppercased()
            let label = severity + String(repeating: " ", count: 6 - severity.count)
            let waiver = group.findings[0].waiverText.map { paint(" [\($0)]".terminalEscaped, .dim) } ?? ""
            out.append("  " + paint(label, group.isWaived ? .dim : severityColor(group.severity)) + " "
                + group.title.terminalEscaped + ": " + group.message.terminalEscaped + waiver)
        }
        let hidden = listed.dropFirst(TableCap.findings).reduce(0) { $0 + $1.findings.count }
        if let more = TableCap.moreLine(.findings, shown: TableCap.findings, total: listed.count, hiddenItems: hidden) {
            out.append(more)
        }
        if let line = unused.summaryLine(shown: min(TableCap.unusedOpenings, result.unusedOpenings.count),
                                         openings: result.unusedOpenings.count) {
            out.append(line.terminalEscaped)
        }

        out.append("")
        let verdict = Verdict(result)
        out.append(paint(bold(verdict.headline), verdict.compliant ? .green : .red) + ": " + verdict.reason.terminalEscaped)
        return out.joined(separator: "\n") + "\n"
    }

    private func coverageLine(_ result: AuditResult) -> String {
        let coverage = result.coverage
        let window = coverage.captureStart.map { start in
            "\(start) to \(coverage.captureEnd.map { "\($0)" } ?? "?") (\(formatSeconds(coverage.durationSeconds)))"
        } ?? "no packets"
        let inputs = result.inputs.count == 1 ? result.inputs[0].path.terminalEscaped : "\(result.inputs.count) inputs"
        // Live captures and pcapng files say what the kernel and the interface dropped; pcap files have no such count.
        let drops = coverage.drops.map { drops in
            "; drops: \(drops.kernel) kernel, \(drops.interface) interface"
        } ?? ""
        let shortSnaplen = result.shortSnaplenText.map { paint("; \($0)", .yellow) } ?? ""
        let cutInTunnels = result.cutInTunnelsText.map { paint("; \($0)", .yellow) } ?? ""
        let unjoined = result.unjoinedFragmentsText.map { paint("; \($0)", .yellow) } ?? ""
        return "\(inputs): \(coverage.packets) packets, \(coverage.tcpSegments) TCP, \(coverage.connections) connections; "
            + "\(window)" + (coverage.tunneledText.map { "; \($0.terminalEscaped)" } ?? "")
            + (coverage.copiesText.map { "; \($0)" } ?? "")
            + (result.copiesFoundBySampleText.map { paint("; \($0)", .yellow) } ?? "")
            + (result.checksumsNotJudgedText.map { paint("; \($0)", .yellow) } ?? "")
            + (coverage.translatedText.map { "; \($0.terminalEscaped)" } ?? "") + (coverage.drops.map { $0.total > 0 } == true ? paint(drops, .yellow) : drops)
            + (result.skippedText.map { "; skipped: \($0)" } ?? "")
            + (coverage.complete ? "" : paint("; INCOMPLETE", .yellow)) + cutInTunnels + unjoined
            + (coverage.missedDataText.map { paint("; \($0)", .yellow) } ?? "")
            + (result.oneWayText.map { paint("; \($0)", .yellow) } ?? "")
            + (coverage.clockStepsText.map { paint("; \($0)", .yellow) } ?? "")
            + (coverage.cutByEndText.map { "; \($0)" } ?? "")
            + (result.unjudgedText.map { paint("; \($0)", .yellow) } ?? "")
            + (coverage.udpText.map { "; \($0)" } ?? "")
            + (coverage.clientCountsCappedText.map { paint("; \($0)", .yellow) } ?? "")
            + (coverage.unlistedText.map { paint("; not listed: \($0)", .yellow) } ?? "")
            + (coverage.evictedAtCapText.map { paint("; \($0)", .yellow) } ?? "")
            + (coverage.loneResetsText.map { "; \($0)" } ?? "")
            + (coverage.countedLowText.map { paint("; \($0)", .yellow) } ?? "")
            + (coverage.clockText.map { "; \($0.terminalEscaped)" } ?? "")
            + (coverage.gapsText.map { (coverage.captureGaps ?? []).isEmpty ? "; \($0.terminalEscaped)" : paint("; \($0.terminalEscaped)", .yellow) } ?? "")
            + (result.unknownDropsText.map { "; \($0)" } ?? "") + shortSnaplen
            + (result.wireLengthsNotBelievedText.map { paint("; \($0)", .yellow) } ?? "")
    }

    private func formatSeconds(_ seconds: Double) -> String {
        let tenths = Int((seconds * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) s"
    }

    enum Color: String {
        case red = "31", green = "32", yellow = "33", cyan = "36", dim = "2"
    }

    private func paint(_ text: String, _ color: Color) -> String {
        self.color ? "\u{1B}[\(color.rawValue)m\(text)\u{1B}[0m" : text
    }

    private func bold(_ text: String) -> String { color ? "\u{1B}[1m\(text)\u{1B}[0m" : text }

    private func severityColor(_ severity: Severity) -> Color {
        switch severity {
        case .high: .red
        case .medium: .yellow
        case .low: .cyan
        case .info: .dim
        }
    }

    /// Colours the body rows of a rendered table by each service's classification.
    private func colorRows(_ table: String, _ classifications: [Classification]) -> String {
        guard color else { return table }
        var lines = table.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (index, classification) in classifications.enumerated() where index + 1 < lines.count {
            switch classification {
            case .unexpected, .executorOutOfRange: lines[index + 1] = paint(lines[index + 1], .red)
            case .notInMode, .undeclaredDependency: lines[index + 1] = paint(lines[index + 1], .yellow)
            case .expected, .executor, .allowed, .dependency, .hostLocal: break
            }
        }
        return lines.joined(separator: "\n")
    }
}
