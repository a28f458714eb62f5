import Audit

extension JUnitReport {
    /// A check that is not a service's (a finding kind, a port the policy expects): failed
    /// by its findings that fail the audit; the others are listed.
    struct TestCase {
        var classname: StaticString
        var name: String
        var findings: [Finding]
        var failOn: FailThreshold

        var failed: Bool { findings.contains { $0.fails(under: failOn) } }

        func write(to sink: ByteSink) {
            writeCase(classname: classname, findings: findings, failOn: failOn, to: sink) { $0.write(htmlEscaping: name) }
        }
    }

    /// Writes a `<testcase>` of `classname` named by what `writeName` writes (escaped): a
    /// `failure` listing those of `findings` that fail the audit under `failOn`, if any,
    /// and a `system-out` listing the others, under the note `writeNote` writes (escaped).
    static func writeCase(classname: StaticString, findings: [Finding], failOn: FailThreshold, to sink: ByteSink,
                          name writeName: (ByteSink) -> Void, note writeNote: ((ByteSink) -> Void)? = nil) {
        sink.write("<testcase classname=\"" as StaticString)
        sink.write(classname)
        sink.write("\" name=\"" as StaticString)
        writeName(sink)
        sink.write("\" time=\"0\">\n" as StaticString)
        let failing = findings.count { $0.fails(under: failOn) }
        if let first = findings.first(where: { $0.fails(under: failOn) }) {
            sink.write("<failure type=\"" as StaticString)
            sink.write(htmlEscaping: first.kind.rawValue)
            sink.write("\" message=\"" as StaticString)
            sink.write(decimal: UInt64(failing))
            sink.write(failing == 1 ? " finding failing the audit at --fail-on " as StaticString
                : " findings failing the audit at --fail-on ")
            sink.write(htmlEscaping: failOn.rawValue)
            sink.write("\">" as StaticString)
            writeLines(findings, where: { $0.fails(under: failOn) }, count: failing, to: sink, afterText: false)
            sink.write("</failure>\n" as StaticString)
        }
        let others = findings.count - failing
        if writeNote != nil || others > 0 {
            sink.write("<system-out>" as StaticString)
            writeNote?(sink)
            writeLines(findings, where: { !$0.fails(under: failOn) }, count: others, to: sink, afterText: writeNote != nil)
            sink.write("</system-out>\n" as StaticString)
        }
        sink.write("</testcase>\n" as StaticString)
    }
}
