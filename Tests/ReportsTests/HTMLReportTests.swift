import Audit
import Foundation
@testable import Reports
import XCTest

final class HTMLReportTests: XCTestCase {
    func testTheReportLoadsNothingAndRunsNoScript() throws {
        let html = HTMLReport.render(try auditedCapture())
        XCTAssertTrue(html.contains(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:\">"))
        for forbidden in ["<script", "<link", "<img", "<iframe", "<object", "<embed", "@import", "url(", " src="] {
            XCTAssertFalse(html.contains(forbidden), forbidden)
        }
        // Every link stays in the page.
        let hrefs = html.components(separatedBy: "href=\"").dropFirst().map { $0.prefix(1) }
        XCTAssertFalse(hrefs.isEmpty)
        XCTAssertTrue(hrefs.allSatisfy { $0 == "#" }, "\(hrefs)")
    }

    func testTheVerdictComesFirstThenEvidencePolicyFindingsTrafficHostsAndServices() throws {
        let html = HTMLReport.render(try auditedCapture())
        let order = ["<header class=\"verdict fail\">", "<h1>NOT COMPLIANT</h1>", "7 findings at or above --fail-on medium",
                     "id=\"evidence\"", "id=\"policy\"", "id=\"findings\"", "id=\"traffic\"", "id=\"matrix\"", "id=\"services\"",
                     "id=\"unused\"", "<footer>"]
        let positions = try order.map { marker in try XCTUnwrap(html.range(of: marker), marker).lowerBound }
        XCTAssertEqual(positions, positions.sorted())
        XCTAssertTrue(HTMLReport.render(try auditedCapture(failOn: .never)).contains("<header class=\"verdict pass\">"))
    }

    func testTheEvidenceShowsTheToolCommandLinePolicyDigestAndEachInput() throws {
        let result = try auditedCapture()
        let html = HTMLReport.render(result)
        let evidence = try XCTUnwrap(result.evidence)
        XCTAssertTrue(html.contains("dasaudit \(result.tool.version)"))
        XCTAssertTrue(html.contains(evidence.commandLineText.htmlEscaped))
        XCTAssertTrue(html.contains(evidence.policySha256))
        XCTAssertTrue(html.contains(try XCTUnwrap(evidence.inputs[0].sha256)))
        XCTAssertTrue(html.contains("<td class=\"num\">\(try XCTUnwrap(evidence.inputs[0].sizeBytes))</td>"))
        XCTAssertTrue(html.contains("EN10MB (1)"))
        XCTAssertTrue(html.contains("<td class=\"num\">2050</td>"))
        XCTAssertTrue(html.contains("\(result.coverage.captureStart!) to \(result.coverage.captureEnd!)"))

        var bare = result
        bare.evidence = nil
        XCTAssertTrue(HTMLReport.render(bare).contains("not recorded: this result was not written by the dasaudit command line"))
    }

    func testLiveDropsAndWrittenCapturesAreEvidenceToo() throws {
        let result = try liveLikeResult()
        let html = HTMLReport.render(result)
        XCTAssertTrue(html.contains("<dt>Dropped</dt><dd><b>4</b> packets lost while capturing: 3 by the kernel"))
        XCTAssertTrue(html.contains("<th class=\"num\" scope=\"col\">Dropped</th>"))
        XCTAssertTrue(html.contains("<h3>Captures written by the live run (1)</h3>"))
        XCTAssertTrue(html.contains(try XCTUnwrap(result.evidence?.writtenCaptures?.first?.sha256)))
        XCTAssertFalse(HTMLReport.render(try auditedCapture()).contains("Dropped"), "files record no drops")
        XCTAssertTrue(MarkdownReport.render(result).contains("- Dropped while capturing: 4 packets (3 by the kernel, 1 by the interface)"))
    }

    func testEveryPolicyFieldIsShown() throws {
        let result = try auditedCapture()
        let html = HTMLReport.render(result)
        let policy = try JSONSerialization.jsonObject(with: ResultCoding.encoder().encode(result.policy)) as! [String: Any]
        XCTAssertFalse(policy.isEmpty)
        for key in policy.keys where key != "fail_on" {
            let label = key.prefix(1).uppercased() + key.dropFirst().replacingOccurrences(of: "_", with: " ")
            XCTAssertTrue(html.contains("<dt>\(label)</dt>") || html.contains("<h3>\(label)</h3>"), key)
        }
        XCTAssertTrue(html.contains("<dt>Executor allowed</dt><dd>12002-12004</dd>"))
        XCTAssertTrue(html.contains("<dt>Fails on (--fail-on)</dt><dd>medium</dd>"))
        // Empty maps read "none", never an empty table under a heading.
        XCTAssertTrue(html.contains("<dt>Base ports</dt><dd>none</dd>"), "no catalog port was moved")
        XCTAssertTrue(html.contains("<dt>Features</dt><dd>none</dd>"), "no feature was said on or off")
    }

    func testFindingsAreGroupedBySeverityWithTheirRemediation() throws {
        let result = try auditedCapture()
        let html = HTMLReport.render(result)
        XCTAssertTrue(html.contains("High (7)<span class=\"gate\">fails the audit at --fail-on medium</span>"))
        XCTAssertTrue(html.contains("Low (8)<span class=\"gate\">reported; does not fail the audit at --fail-on medium</span>"))
        XCTAssertFalse(html.contains("Medium (0)"))
        let high = try XCTUnwrap(html.range(of: "<div class=\"severity s-high\">")).lowerBound
        let low = try XCTUnwrap(html.range(of: "<div class=\"severity s-low\">")).lowerBound
        XCTAssertLessThan(high, low)
        for finding in result.findings {
            XCTAssertTrue(html.contains("<p>\(finding.message.htmlEscaped)</p>"), finding.message)
            XCTAssertTrue(html.contains("<b>Remediation:</b> \(finding.remediation.htmlEscaped)"))
        }
    }

    func testWaivedFindingsAndNodesAreShownApartFromWhatFails() throws {
        let result = try auditedCluster()
        let html = HTMLReport.render(result)
        let waived = result.findings.filter(\.isWaived)
        XCTAssertFalse(waived.isEmpty)
        XCTAssertTrue(html.contains("Waived (\(waived.count))<span class=\"gate\">covered by a waiver in the policy; never fails the audit</span>"))
        XCTAssertEqual(html.components(separatedBy: "<li class=\"finding waived ").count - 1, waived.count)
        for finding in waived { XCTAssertTrue(html.contains("<b>Waiver:</b> \(finding.waiverText!.htmlEscaped)")) }
        XCTAssertTrue(html.contains("<li data-count=\"waived\"><b>\(result.summary.waived)</b>waived</li>"))
        XCTAssertTrue(html.contains("<th scope=\"col\">Node</th><th scope=\"col\">Address</th>"))
        XCTAssertTrue(html.contains("<h3>Nodes</h3>"))
        XCTAssertTrue(html.contains("<h3>Waivers</h3>"))
        for node in result.policy.nodes { XCTAssertTrue(html.contains("<td>\(node.name)</td>"), node.name) }
    }

    func testHostileTextFromInputsIsShownAsTextNeverAsMarkup() throws {
        let html = HTMLReport.render(try hostileResult())
        for forbidden in ["<script", "<img", "\u{1}", "onerror=alert(1)>"] {
            XCTAssertFalse(html.contains(forbidden), forbidden)
        }
        XCTAssertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"))
    }

    func testTheChartHasABarPerServiceUpToThirtyAndFoldsTheRest() throws {
        let small = HTMLReport.render(try auditedCapture())
        XCTAssertEqual(small.components(separatedBy: "<rect class=\"c-").count - 1, 19)
        let big = syntheticAudit(services: 500)
        let html = HTMLReport.render(big)
        XCTAssertEqual(html.components(separatedBy: "<rect class=").count - 1, 30)
        XCTAssertTrue(html.contains(">other 471 services</text>"))
        let folded = big.services.sorted { $0.bytes > $1.bytes }.dropFirst(29).reduce(0) { $0 + $1.bytes }
        XCTAssertTrue(html.contains("the 471 smaller services together: \(folded) bytes"))
    }

    func testTheMatrixMarksExpectedExecutorUnexpectedAndUnusedCells() throws {
        let result = try auditedCapture()
        let matrix = PortMatrix(result)
        XCTAssertEqual(matrix.hosts, ["127.0.0.1", "127.0.0.2", "127.0.0.4"])
        XCTAssertEqual(matrix.cells[.init(host: "127.0.0.1", port: 7079)]?.text, "expected spark-rpc")
        XCTAssertEqual(matrix.cells[.init(host: "127.0.0.2", port: 12003)]?.text, "executor spark-rpc")
        XCTAssertEqual(matrix.cells[.init(host: "127.0.0.4", port: 31337)]?.text, "unexpected http")
        XCTAssertNil(matrix.cells[.init(host: "127.0.0.2", port: 7079)])
        for opening in result.unusedOpenings {
            for host in matrix.hosts { XCTAssertEqual(matrix.cells[.init(host: host, port: opening.port)]?.text, "unused") }
        }
        XCTAssertEqual(matrix.ports.first { $0.port == 7079 }?.label, "spark.master.port")
        let html = matrix.render().description
        XCTAssertTrue(html.contains("Ports down, hosts across"))
        XCTAssertTrue(html.contains("<td class=\"c-unexpected\" title=\"127.0.0.4:31337 unexpected, http: 2 connections, 2826 bytes\">unexpected http</td>"))
    }

    func testTheMatrixRunsItsLongerAxisDownAndCutsTooManyColumns() {
        let manyHosts = PortMatrix(syntheticAudit(services: 120, hosts: 60, distinctPorts: 2)).render().description
        XCTAssertTrue(manyHosts.contains("Hosts down, ports across"))
        XCTAssertFalse(manyHosts.contains("are shown; the services table lists them all"))
        let audit = syntheticAudit(services: 100, hosts: 100, distinctPorts: 50)
        let wide = PortMatrix(audit)
        XCTAssertEqual(wide.hosts.count, 100)
        XCTAssertEqual(wide.ports.count, 6 + 50 + Set(audit.unusedOpenings.map(\.port)).count) // catalog, others, unused
        XCTAssertTrue(wide.render().description.contains("The first 40 of \(wide.ports.count) ports are shown"))
    }

    /// Tens of thousands of ports on a few hosts made a matrix of 34 MB, a row per port;
    /// the longer axis now stops at 100 rows, as a large table shows, and says so.
    func testTheMatrixCutsTooManyRowsAndSaysTheServicesTableHasThem() {
        let audit = syntheticAudit(services: 300, hosts: 2, distinctPorts: 250)
        let matrix = PortMatrix(audit)
        XCTAssertGreaterThan(matrix.ports.count, 250)
        let html = matrix.render().description
        XCTAssertTrue(html.contains("Ports down, hosts across"))
        XCTAssertEqual(html.components(separatedBy: "<th scope=\"row\">").count - 1, 100)
        XCTAssertTrue(html.contains("The first 100 of \(matrix.ports.count) ports are shown down the page; the services table lists them all."))
        let lowest = matrix.ports.prefix(100).map(\.port), firstLeftOut = matrix.ports[100].port
        XCTAssertTrue(lowest.allSatisfy { html.contains("<span class=\"mono\">\($0)</span>") })
        XCTAssertFalse(html.contains("<span class=\"mono\">\(firstLeftOut)</span>"))
        let few = PortMatrix(syntheticAudit(services: 60, hosts: 2, distinctPorts: 50)).render().description
        XCTAssertFalse(few.contains("shown down the page"))
    }

    func testThePrintStylesheetRepeatsTableHeadersAndKeepsRowsWhole() {
        let css = HTMLStylesheet.css
        let print = css[css.range(of: "@media print")!.lowerBound...]
        XCTAssertTrue(print.contains("thead { display: table-header-group; }"))
        XCTAssertTrue(print.contains("tr, li.finding, .verdict, dl.facts, svg.chart { break-inside: avoid; page-break-inside: avoid; }"))
        XCTAssertTrue(css.contains("@page { size: A4;"))
    }
}
