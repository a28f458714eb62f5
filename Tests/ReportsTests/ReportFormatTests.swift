import Audit
import Foundation
import Reports
import XCTest

final class ReportFormatTests: XCTestCase {
    func testFormatNamesAsUsersTypeThem() {
        XCTAssertEqual(ReportFormat(name: "md"), .markdown)
        XCTAssertEqual(ReportFormat(name: "Markdown"), .markdown)
        XCTAssertEqual(ReportFormat(name: "HTML"), .html)
        XCTAssertEqual(ReportFormat(name: "junit"), .junit)
        XCTAssertNil(ReportFormat(name: "htm"))
        XCTAssertNil(ReportFormat(name: ""))
        for format in ReportFormat.allCases {
            XCTAssertEqual(ReportFormat(name: format.rawValue), format)
            XCTAssertTrue(ReportFormat.acceptedNames.contains(format == .markdown ? "md" : format.rawValue))
        }
    }

    func testEachFormatRendersWithItsOwnRenderer() throws {
        let result = try auditedCapture()
        let starts: [ReportFormat: String] = [
            .text: "dasaudit ", .json: "{", .html: "<!DOCTYPE html>", .csv: "address,port,",
            .markdown: "# dasaudit compliance report", .junit: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        ]
        for format in ReportFormat.allCases {
            let text = try format.render(result)
            XCTAssertTrue(text.hasPrefix(starts[format]!), "\(format): \(text.prefix(60))")
        }
        XCTAssertTrue(try ReportFormat.text.render(result, color: true).contains("\u{1B}["))
        XCTAssertFalse(try ReportFormat.text.render(result).contains("\u{1B}["))
        XCTAssertNotNil(try JSONReport.parse(Data(try ReportFormat.json.render(result).utf8)).evidence)
    }
}
