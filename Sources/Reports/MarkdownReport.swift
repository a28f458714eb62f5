import Audit

/// The report for change tickets and wikis (GitHub-flavoured Markdown): the verdict, the
/// evidence, the policy, the findings and the services as tables. Text from the result is
/// escaped, so an address, path or message cannot turn into markup or a link.
public enum MarkdownReport {
    public static func render(_ result: AuditResult) -> String {
        let verdict = Verdict(result)
        let policy = result.policy
        let coverage = result.coverage
        var out: [String] = []
        out.append("# dasaudit compliance report: \(verdict.headline)")
        out.append("")
        out.append("**\(verdict.headline)**: \(escaped(verdict.reason)).")
        out.append("")
        out.append(table(["Findings", "high", "medium", "low", "info", "Services", "Connections", "Packets"],
                         [["count"] + Severity.allCases.reversed().map { "\(result.summary.findings[$0.rawValue] ?? 0)" }
                             + ["\(result.services.count)", "\(coverage.connections)", "\(coverage.packets)"]]))

        out.append("")
        out.append("## Evidence")
        out.append("")
        out.append("- Tool: \(escaped("\(result.tool.name) \(result.tool.version)")), result schema \(escaped(result.schema))")
        if let evidence = result.evidence {
            out.append("- Command line: \(escaped(evidence.commandLineText))")
            out.append("- Policy SHA-256: \(evidence.policySha256.markdownDigest)")
        }
        if let points = result.capturePointsText { out.append("- Captured at: \(escaped(points))") }
        out.append("- Capture window: " + (coverage.windowText ?? "no packets") + (coverage.complete ? "" : "; **incomplete**: an input was unusable or cut short"))
        if let unlisted = coverage.unlistedText {
            out.append("- **Not listed** (the caps on listed endpoints, reached by a scan or a flood): \(unlisted)")
        }
        if let drops = coverage.drops {
            out.append("- Dropped by the live capture: \(drops.total) packets (\(drops.kernel) by the kernel, \(drops.interface) by the interface)")
        }
        out.append("")
        out.append(table(["Input", "SHA-256", "Bytes", "Link type", "Packets", "First packet", "Last packet", "Status"],
                         result.inputs.enumerated().map { index, input in
                             let proof = result.evidence.flatMap { $0.inputs.indices.contains(index) ? $0.inputs[index] : nil }
                             return [escaped(input.path), escaped(proof?.sha256 ?? proof?.note ?? "-"),
                                     proof?.sizeBytes.map { "\($0)" } ?? "-", escaped(input.linkTypeName ?? "-"), "\(input.packets)",
                                     input.firstSeen.map { "\($0)" } ?? "-", input.lastSeen.map { "\($0)" } ?? "-",
                                     escaped(input.error ?? "complete")]
                         }))

        out.append("")
        out.append("## Policy")
        out.append("")
        out.append("Offset \(policy.offset), mode \(policy.mode.rawValue), \(policy.cores) core\(policy.cores == 1 ? "" : "s") per node; "
            + "groups \(escaped(policy.groups.joined(separator: ", "))); executors \(escaped(policy.executorAllowed)) "
            + "(band \(escaped(policy.executorBand))); ephemeral range \(escaped(policy.ephemeralRange)); --fail-on \(policy.failOn.rawValue).")

        out.append("")
        out.append("## Findings (\(result.findings.count))")
        out.append("")
        if result.findings.isEmpty {
            out.append("None.")
        } else {
            // Findings of one kind on the same ports across hosts are one row (`FindingGroup`).
            out.append(table(["Severity", "Fails", "Kind", "Where", "Message", "Remediation"],
                             FindingGroup.grouping(result.findings).map { group in
                let finding = group.findings[0]
                let hosts = group.hosts
                let place = group.findings.count == 1 ? finding.location
                    : hosts.prefix(10).joined(separator: ", ") + (hosts.count > 10 ? " and \(hosts.count - 10) more" : "")
                return [finding.severity.rawValue, escaped(finding.waiverText ?? (finding.fails(under: policy.failOn) ? "yes" : "no")),
                        escaped(group.title), escaped(place), escaped(group.message), escaped(group.remediation)]
            }))
        }

        out.append("")
        out.append("## Services (\(result.services.count))")
        out.append("")
        if result.services.isEmpty {
            out.append("None: no connection carried traffic.")
        } else {
            let nodes = result.services.contains { $0.node != nil }
            out.append(table((nodes ? ["Node"] : []) + ["Address", "Port", "Classification", "Catalog key", "Protocol", "Connections", "Packets", "Bytes", "Clients"],
                             result.services.map { service in
                                 (nodes ? [escaped(service.node ?? "-")] : []) + [escaped(service.address), "\(service.port)", service.classification.rawValue,
                                  escaped(service.catalogKeys.isEmpty ? service.hint ?? "-" : service.catalogKeys.joined(separator: ", ")),
                                  escaped(service.protocolText), "\(service.connections)", "\(service.packets)", "\(service.bytes)", "\(service.clients)"]
                             }, rightAligned: Set([1, 5, 6, 7, 8].map { nodes ? $0 + 1 : $0 })))
        }

        let egress = EgressTable.rows(result)
        if !egress.isEmpty {
            out.append("")
            out.append("## " + EgressTable.title(egress))
            out.append("")
            out.append(table(EgressTable.headers, egress.map { $0.map(escaped) }, rightAligned: EgressTable.numeric))
        }

        if !result.unusedOpenings.isEmpty {
            out.append("")
            out.append("## Unused openings (\(result.unusedOpenings.count))")
            out.append("")
            out.append(table(["Port", "Catalog key", "Group", "Node", "Normally bound"], result.unusedOpenings.map { opening in
                ["\(opening.port)", escaped(opening.catalogKey), escaped(opening.group), escaped(opening.node ?? "any"),
                 opening.normallyBound ? "yes" : "no"]
            }, rightAligned: [0]))
        }
        out.append("")
        out.append("*Written by \(escaped(result.tool.name)) \(escaped(result.tool.version)); the JSON result has every number.*")
        return out.joined(separator: "\n") + "\n"
    }

    /// A pipe table; cells must already be escaped.
    static func table(_ headers: [String], _ rows: [[String]], rightAligned: Set<Int> = []) -> String {
        let rule = headers.indices.map { rightAligned.contains($0) ? "---:" : "---" }
        return ([headers, rule] + rows).map { "| " + $0.joined(separator: " | ") + " |" }.joined(separator: "\n")
    }

    /// `text` as literal Markdown text (`String.markdownEscaped`).
    static func escaped(_ text: String) -> String { text.markdownEscaped }
}
