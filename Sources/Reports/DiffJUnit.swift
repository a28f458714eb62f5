/// A diff as JUnit XML: one suite, `dasaudit.diff`, with one test case per finding change
/// (failed when it makes the diff worse: new or no longer waived, at or above `--fail-on`
/// and not waived, or a repeated `no-traffic`) and one passing case per service change, so
/// a CI system lists what changed; a passing case per field of the policy that differs,
/// and a `policy` property saying whether the two results share one.
enum DiffJUnit {
    static func render(_ rows: DiffRows) -> String {
        var cases: [Markup] = []
        for (change, finding, fails) in rows.findingChanges where change != "resolved" {
            let line = JUnitReport.FindingLine(finding).markup
            let name = "\(change) \(finding.kind.rawValue) \(finding.location)"
            let failure: Markup = fails
                ? "<failure type=\"\(finding.kind.rawValue)\" message=\"\(change) \(finding.severity.rawValue) finding at or above --fail-on \(rows.diff.failOn.rawValue)\">\(line)</failure>\n"
                : "<system-out>\(line)</system-out>\n"
            cases.append("<testcase classname=\"dasaudit.diff\" name=\"\(name)\" time=\"0\">\n\(failure)</testcase>\n")
        }
        for change in rows.policy {
            cases.append("<testcase classname=\"dasaudit.diff\" name=\"policy \(change[0]) differs\" time=\"0\">\n"
                + "<system-out>baseline: \(change[1])\ncurrent: \(change[2])</system-out>\n</testcase>\n")
        }
        for row in rows.services {
            cases.append("<testcase classname=\"dasaudit.diff\" name=\"\(row[0]) service \(row[1]):\(row[2]) \(row[4])\" time=\"0\"/>\n")
        }
        for finding in rows.diff.resolvedFindings {
            cases.append("<testcase classname=\"dasaudit.diff\" name=\"resolved \(finding.kind.rawValue) \(finding.location)\" time=\"0\"/>\n")
        }
        let document: Markup = """
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites name="dasaudit diff" tests="\(cases.count)" failures="\(rows.failing.count)" errors="0" time="0">
        <testsuite name="dasaudit.diff" tests="\(cases.count)" failures="\(rows.failing.count)" errors="0" skipped="0" time="0">
        <properties>
        <property name="verdict" value="\(rows.headline)"/>
        <property name="fail_on" value="\(rows.diff.failOn.rawValue)"/>
        <property name="policy" value="\(rows.policyLine)"/>
        </properties>
        \(cases)</testsuite>
        </testsuites>

        """
        return document.description
    }
}
