import Audit

extension JUnitReport {
    /// A finding's line in a test case: "[high] unexpected-port 127.0.0.4:31337: message"
    /// and its remediation under it; a waived finding's starts "(waived until ...: reason)
    /// [high]". Its texts are escaped as they are written, without the line made first.
    struct FindingLine {
        let finding: Finding
        let waiver: String?
        let location: String

        init(_ finding: Finding) {
            self.finding = finding
            waiver = finding.waiverText
            location = finding.location
        }

        /// No fewer bytes than the line takes once escaped: its texts' bytes six times over,
        /// as no byte escapes to more (`&quot;`), and room for its words and punctuation
        /// ("(", ") ", "[medium] ", the longest kind, " ", ": ", "\n  Remediation: ": 61 bytes).
        var mostBytes: Int {
            6 * ((waiver?.utf8.count ?? 0) + location.utf8.count + finding.message.utf8.count + finding.remediation.utf8.count)
                + 100
        }

        /// The bytes the line takes once escaped, counted by writing it where they go nowhere.
        var escapedBytes: Int {
            let counter = ByteSink { _ in }
            write(to: counter)
            return Int(counter.bytesWritten)
        }

        /// The line as markup, for a document made in memory (`DiffJUnit`).
        var markup: Markup { Markup(stringLiteral: ByteSink.collect(write)) }

        func write(to sink: ByteSink) {
            if let waiver {
                sink.write(byte: UInt8(ascii: "("))
                sink.write(htmlEscaping: waiver)
                sink.write(") " as StaticString)
            }
            sink.write(byte: UInt8(ascii: "["))
            sink.write(finding.severity.rawValue)
            sink.write("] " as StaticString)
            sink.write(finding.kind.rawValue)
            if !location.isEmpty {
                sink.write(byte: UInt8(ascii: " "))
                sink.write(htmlEscaping: location)
            }
            sink.write(": " as StaticString)
            sink.write(htmlEscaping: finding.message)
            sink.write("\n  Remediation: " as StaticString)
            sink.write(htmlEscaping: finding.remediation)
        }
    }

    /// Writes the lines of the `count` findings of `findings` that pass `isListed`, one
    /// under another (under text already written when `afterText`), up to
    /// `listedFindingBytes` of them (one at least), then how many more there are and where
    /// they are all listed.
    static func writeLines(_ findings: [Finding], where isListed: (Finding) -> Bool, count: Int,
                           to sink: ByteSink, afterText: Bool) {
        var bytes = 0, shown = 0
        for finding in findings where isListed(finding) {
            let line = FindingLine(finding)
            // Whether a line fits needs its escaped length before it is written: only a line
            // that could pass the limit is measured first; the others are counted as written.
            if shown > 0, bytes + line.mostBytes + 1 > listedFindingBytes, bytes + line.escapedBytes + 1 > listedFindingBytes {
                break
            }
            if shown > 0 || afterText { sink.write(byte: UInt8(ascii: "\n")) }
            let start = sink.bytesWritten
            line.write(to: sink)
            bytes += Int(sink.bytesWritten - start) + 1
            shown += 1
        }
        let more = count - shown
        guard more > 0 else { return }
        if shown > 0 || afterText { sink.write(byte: UInt8(ascii: "\n")) }
        sink.write("... and " as StaticString)
        sink.write(decimal: UInt64(more))
        sink.write(more == 1 ? " more finding" as StaticString : " more findings")
        sink.write(": all are in the JSON result and the Markdown and HTML reports" as StaticString)
    }
}
