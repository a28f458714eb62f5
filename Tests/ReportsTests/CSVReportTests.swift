import Audit
@testable import Reports
import XCTest

/// Reads RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks.
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
    var characters = Array(text)[...]
    while let character = characters.popFirst() {
        if quoted {
            if character == "\"" {
                if characters.first == "\"" { field.append("\""); characters.removeFirst() } else { quoted = false }
            } else { field.append(character) }
        } else if character == "\"" { quoted = true }
        else if character == "," { row.append(field); field = "" }
        else if character == "\r\n" || character == "\n" { row.append(field); rows.append(row); row = []; field = "" }
        else { field.append(character) }
    }
    return rows
}

final class CSVReportTests: XCTestCase {
    func testOneRowPerServiceWithRawNumbersAndTheSameColumnsEveryTime() throws {
        let result = try auditedCapture()
        let csv = CSVReport.render(result)
        XCTAssertTrue(csv.hasSuffix("\r\n"))
        XCTAssertEqual(csv.components(separatedBy: "\r\n").count - 1, result.services.count + 1)
        let rows = parseCSV(csv)
        let header = rows[0]
        XCTAssertEqual(header.prefix(5), ["address", "port", "node", "classification", "catalog_key"])
        XCTAssertEqual(header.filter { $0.hasPrefix("state_") }, ["state_established", "state_closed", "state_reset", "state_midstream"])
        XCTAssertEqual(header.filter { $0.hasPrefix("basis_") }, ["basis_handshake", "basis_policy", "basis_ephemeral", "basis_probe"])
        XCTAssertEqual(parseCSV(CSVReport.render(syntheticAudit(services: 3)))[0], header)
        for (row, service) in zip(rows.dropFirst(), result.services) {
            XCTAssertEqual(row.count, header.count)
            let field = { (name: String) in row[header.firstIndex(of: name)!] }
            XCTAssertEqual(field("address"), service.address)
            XCTAssertEqual(field("port"), "\(service.port)")
            XCTAssertEqual(field("bytes"), "\(service.bytes)")
            XCTAssertEqual(field("connections"), "\(service.connections)")
            XCTAssertEqual(field("state_closed"), "\(service.states["closed"] ?? 0)")
            XCTAssertEqual(field("first_seen"), "\(service.firstSeen)")
        }
    }

    func testHostileFieldsStayInTheirCell() throws {
        let result = try hostileResult()
        let rows = parseCSV(CSVReport.render(result))
        XCTAssertEqual(rows.count, result.services.count + 1)
        XCTAssertTrue(rows.allSatisfy { $0.count == rows[0].count })
        let hint = try XCTUnwrap(result.services.compactMap(\.hint).first { $0.contains("<script>") })
        XCTAssertTrue(rows.contains { $0.contains(hint.terminalEscaped) }, "the hint, its line break made visible, in one cell")
    }
}
