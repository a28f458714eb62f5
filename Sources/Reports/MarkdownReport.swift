import Audit

/// The report for change tickets and wikis (GitHub-flavoured Markdown): the verdict, the
/// evidence, the policy, the findings and the services as tables. Text from the result is
/// escaped, so an address, path or message cannot turn into markup or a link.
public enum MarkdownReport {
    /// The report as one string (`write`, collected in memory).
    public static func render(_ result: AuditResult) -> String {
        ByteSink.collect { write(result, to: $0) }
    }

    /// Writes the report to `sink` line by line; the services table a row at a time.
    public static func write(_ result: AuditResult, to sink: ByteSink) {
        let verdict = Verdict(result)
        let policy = result.policy
        let coverage = result.coverage
        /// Writes one line (or several, joined) and its line end.
        func line(_ text: String) {
            sink.write(text)
            sink.write(byte: UInt8(ascii: "\n"))
        }
        line("# dasaudit compliance report: \(verdict.headline)")
        line("")
        line("**\(verdict.headline)**: \(escaped(verdict.reason)).")
        line("")
        line(table(["Findings", "high", "medium", "low", "info", "Services", "Connections", "Packets"],
                         [["count"] + Severity.allCases.reversed().map { "\(result.summary.findings[$0.rawValue] ?? 0)" }
                             + ["\(result.services.count)", "\(coverage.connections)", "\(coverage.packets)"]]))

        line("")
        line("## Evidence")
        line("")
        line("- Tool: \(escaped("\(result.tool.name) \(result.tool.version)")), result schema \(escaped(result.schema))")
        if let evidence = result.evidence {
            line("- Command line: \(escaped(evidence.commandLineText))")
            if let auditedText = evidence.auditedText { line("- Audited: \(auditedText)") }
            line("- Policy SHA-256: \(evidence.policySha256.markdownDigest)")
        }
        if let points = result.capturePointsText { line("- Captured at: \(escaped(points))") }
        line("- Capture window: " + (coverage.windowText ?? "no packets") + (result.incompleteText.map { "; **incomplete**: \($0)" } ?? ""))
        if let oneWay = result.oneWayText { line("- **One direction**: \(oneWay)") }
        if let steps = coverage.clockStepsText { line("- **Clock**: \(steps)") }
        if let cut = coverage.cutByEndText { line("- Cut by the end: \(cut)") }
        if let tunneled = coverage.tunneledText { line("- Tunnels: \(escaped(tunneled))") }
        if let skipped = result.skippedText { line("- Packets without a segment of their own: \(skipped)") }
        if let cut = result.cutInTunnelsText { line("- **Cut inside tunnels**: \(cut)") }
        if let unjoined = result.unjoinedFragmentsText { line("- **Fragments not joined**: \(unjoined)") }
        if let missed = coverage.missedDataText { line("- **Capture loss**: \(missed)") }
        if let udp = coverage.udpText { line("- UDP: \(udp)") }
        if let copies = coverage.copiesText { line("- Copies: \(copies)") }
        if let found = result.copiesFoundBySampleText { line("- **Copies found without --deduplicate**: \(found)") }
        if let sums = result.checksumsNotJudgedText { line("- **Checksums not judged**: \(sums)") }
        if let translated = coverage.translatedText { line("- Address translation: \(escaped(translated))") }
        if let evicted = coverage.evictedAtCapText {
            line("- **Memory bound reached**: \(evicted)")
        }
        if let low = coverage.countedLowText { line("- **Counts lower bounds**: \(low)") }
        if let clock = coverage.clockText { line("- Clocks: \(escaped(clock))") }
        if let gaps = coverage.gapsText { line("- " + ((coverage.captureGaps ?? []).isEmpty ? "Gaps" : "**Gaps**") + ": \(escaped(gaps))") }
        if let lone = coverage.loneResetsText { line("- Lone RSTs: \(lone)") }
        if let unjudged = result.unjudgedText { line("- **Not judged**: \(unjudged)") }
        if let capped = coverage.clientCountsCappedText {
            line("- **Clients bound reached**: \(capped)")
        }
        if let unlisted = coverage.unlistedText {
            line("- **Not listed** (the caps on listed endpoints, reached by a scan or a flood): \(unlisted)")
        }
        if let drops = coverage.drops {
            line("- Dropped while capturing: \(drops.total) packets (\(drops.kernel) by the kernel, \(drops.interface) by the interface)")
        }
        if let unknown = result.unknownDropsText {
            line("- Drops not known: \(unknown)")
        }
        if let short = result.shortSnaplenText { line("- **Payloads cut**: \(short)") }
        if let lengths = result.wireLengthsNotBelievedText { line("- **Wire lengths not believed**: \(lengths)") }
        line("")
        line(table(["Input", "SHA-256", "Bytes", "Link type", "Snaplen", "Packets", "First packet", "Last packet", "Status"],
                         result.inputs.enumerated().map { index, input in
                             let proof = result.evidence.flatMap { $0.inputs.indices.contains(index) ? $0.inputs[index] : nil }
                             return [escaped(input.path), escaped(proof?.sha256 ?? proof?.note ?? "-"),
                                     proof?.sizeBytes.map { "\($0)" } ?? "-", escaped(input.linkTypeName ?? "-"),
                                     input.snaplen.map { "\($0)" } ?? "-", "\(input.packets)",
                                     input.firstSeen.map { "\($0)" } ?? "-", input.lastSeen.map { "\($0)" } ?? "-",
                                     escaped(input.error ?? input.incompleteReason.map { "incomplete: \($0)" } ?? "complete")]
                         }))

        line("")
        line("## Policy")
        line("")
        line("Offset \(policy.offset), mode \(policy.mode.rawValue), \(policy.cores) core\(policy.cores == 1 ? "" : "s") per node; "
            + "groups \(escaped(policy.groups.joined(separator: ", "))); \(escaped(policy.executorsText)); "
            + "ephemeral range \(escaped(policy.ephemeralRange)); --fail-on \(policy.failOn.rawValue).")

        line("")
        line("## Findings (\(result.findings.count))")
        line("")
        if result.findings.isEmpty {
            line("None.")
        } else {
            // Findings of one kind on the same ports across hosts are one row (`FindingGroup`),
            // written as it is made: tens of thousands of findings are never one text.
            let table = MarkdownTable(headers: ["Severity", "Fails", "Kind", "Where", "Message", "Remediation"])
            table.write(FindingGroup.grouping(result.findings), to: sink) { group, cells in
                let finding = group.findings[0]
                cells.add(literal: finding.severity.rawValue)
                cells.add(text: finding.waiverText ?? (finding.fails(under: policy.failOn) ? "yes" : "no"))
                cells.add(text: group.title)
                if group.findings.count == 1 {
                    cells.add(text: finding.location)
                } else {
                    let hosts = group.hosts
                    cells.add(text: hosts.prefix(10).joined(separator: ", ") + (hosts.count > 10 ? " and \(hosts.count - 10) more" : ""))
                }
                cells.add(text: group.message)
                cells.add(text: group.remediation)
            }
        }

        line("")
        line("## Services (\(result.services.count))")
        line("")
        if result.services.isEmpty {
            line("None: no connection carried traffic.")
        } else {
            let nodes = result.services.contains { $0.node != nil }
            let headers = ["Address", "Port", "Classification", "Catalog key", "Protocol", "Connections", "Packets", "Bytes", "Clients"]
            let table = MarkdownTable(headers: (nodes ? ["Node"] : []) + headers,
                                      rightAligned: Set([1, 5, 6, 7, 8].map { nodes ? $0 + 1 : $0 }))
            table.write(result.services, to: sink) { service, cells in
                if nodes { cells.add(text: service.node ?? "-") }
                cells.add(text: service.address)
                cells.add(count: service.port)
                cells.add(literal: service.classification.rawValue)
                switch service.catalogKeys.count {
                case 0: cells.add(text: service.hint ?? "-")
                case 1: cells.add(text: service.catalogKeys[0])
                default: cells.add(text: service.catalogKeys.joined(separator: ", "))
                }
                cells.add(text: service.protocolText)
                cells.add(count: service.connections)
                cells.add(count: service.packets)
                cells.add(count: service.bytes)
                cells.add(count: service.clients)
            }
        }

        let egress = EgressTable.rows(result)
        if !egress.isEmpty {
            line("")
            line("## " + EgressTable.title(egress))
            line("")
            line(table(EgressTable.headers, egress.map { $0.map(escaped) }, rightAligned: EgressTable.numeric))
        }

        if !result.unusedOpenings.isEmpty {
            line("")
            line("## Unused openings (\(result.unusedOpenings.count))")
            line("")
            line(table(["Port", "Catalog key", "Group", "Node", "Normally bound"], result.unusedOpenings.map { opening in
                ["\(opening.port)", escaped(opening.catalogKey), escaped(opening.group), escaped(opening.node ?? "any"),
                 opening.normallyBound ? "yes" : "no"]
            }, rightAligned: [0]))
        }
        line("")
        line("*Written by \(escaped(result.tool.name)) \(escaped(result.tool.version)); the JSON result has every number.*")
    }

    /// A pipe table, its lines joined (no line end after the last); cells must already be escaped.
    static func table(_ headers: [String], _ rows: [[String]], rightAligned: Set<Int> = []) -> String {
        MarkdownTable(headers: headers, rightAligned: rightAligned).text(rows)
    }

    /// `text` as literal Markdown text (`String.markdownEscaped`).
    static func escaped(_ text: String) -> String { text.markdownEscaped }
}
