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
        let coverageRows = result.csvCoverageRows.count
        XCTAssertEqual(csv.components(separatedBy: "\r\n").count - 1, result.services.count + coverageRows + 1)
        let rows = parseCSV(csv)
        let header = rows[0]
        XCTAssertEqual(header.prefix(5), ["address", "port", "node", "classification", "catalog_key"])
        XCTAssertEqual(header.filter { $0.hasPrefix("state_") }, ["state_established", "state_closed", "state_reset", "state_midstream"])
        XCTAssertEqual(header.filter { $0.hasPrefix("basis_") }, ["basis_handshake", "basis_policy", "basis_ephemeral", "basis_probe"])
        XCTAssertEqual(parseCSV(CSVReport.render(syntheticAudit(services: 3)))[0], header)
        XCTAssertEqual(header.suffix(5), ["capture_points", "what", "coverage", "coverage_value", "coverage_note"],
                       "the columns that tell rows apart come after every service column, so none moved")
        for (row, service) in zip(rows.dropFirst(), result.services) {
            XCTAssertEqual(row.count, header.count)
            let field = { (name: String) in row[header.firstIndex(of: name)!] }
            XCTAssertEqual(field("what"), "service")
            XCTAssertEqual(field("coverage"), "")
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
        XCTAssertEqual(rows.count, result.services.count + result.csvCoverageRows.count + 1)
        XCTAssertTrue(rows.allSatisfy { $0.count == rows[0].count })
        let hint = try XCTUnwrap(result.services.compactMap(\.hint).first { $0.contains("<script>") })
        XCTAssertTrue(rows.contains { $0.contains(hint.terminalEscaped) }, "the hint, its line break made visible, in one cell")
    }

    /// The list columns are written piece by piece when no piece needs making safe; any
    /// list, plain or not, gives the field its joined text gives (`csvField`): a formula
    /// start, a comma, a quote or a control character in any piece, or an empty protocol
    /// name (which would start the field with `=`).
    func testListFieldsAreMadeSafeAsTheirJoinedText() throws {
        let lists: [[String]] = [[], [""], ["a"], ["a", "b"], ["", "x"], ["=cmd"], ["a", "=b"], ["-1"], ["a,b"], ["q\"", "c"],
                                 ["line\nbreak"], ["@x", "y"], ["ok", "\u{202E}rtl"], ["+1", ""]]
        var result = syntheticAudit(services: lists.count)
        for (index, list) in lists.enumerated() {
            result.services[index].alsoCatalogKeys = list
            result.services[index].sampleClients = list.reversed()
            result.services[index].tlsVersions = list
            result.services[index].protocols = Dictionary(list.enumerated().map { ($1, UInt64($0 + 1)) }, uniquingKeysWith: +)
        }
        let rows = parseCSV(CSVReport.render(result))
        let header = rows[0]
        let column = { (name: String) in header.firstIndex(of: name)! }
        for (row, service) in zip(rows.dropFirst(), result.services) {
            XCTAssertEqual(row[column("also_catalog_keys")], service.alsoCatalogKeys.joined(separator: " ").csvFieldAsParsed)
            XCTAssertEqual(row[column("sample_clients")], service.sampleClients.joined(separator: " ").csvFieldAsParsed)
            XCTAssertEqual(row[column("tls_versions")], (service.tlsVersions ?? []).joined(separator: " ").csvFieldAsParsed)
            let protocols = (service.protocols ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            XCTAssertEqual(row[column("protocols")], protocols.joined(separator: " ").csvFieldAsParsed)
        }
    }

    /// The coverage rows of a CSV: item to value and note.
    private func coverage(_ csv: String) throws -> [String: (value: String, note: String)] {
        let rows = parseCSV(csv)
        let header = rows[0]
        let what = try XCTUnwrap(header.firstIndex(of: "what")), item = try XCTUnwrap(header.firstIndex(of: "coverage"))
        let value = try XCTUnwrap(header.firstIndex(of: "coverage_value")), note = try XCTUnwrap(header.firstIndex(of: "coverage_note"))
        let covered = rows.dropFirst().filter { $0[what] == "coverage" }
        for row in covered {
            XCTAssertEqual(row.count, header.count)
            XCTAssertTrue(row[..<what].allSatisfy(\.isEmpty), "a coverage row leaves the service columns empty: \(row)")
        }
        return Dictionary(covered.map { ($0[item], ($0[value], $0[note])) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every other format said what the audit could not see; the CSV, which scripts gate
    /// CI on, said nothing: a capture whose tunnelled packets were all cut by the snapshot
    /// length (tunnel-vxlan-ports-underlay-s96.pcap, 105 cut) gave the CSV of its one service
    /// outside the tunnels, like a complete audit's. Now its coverage rows say it.
    func testTheCoverageRowsSayWhatACutCaptureLeftOut() throws {
        let result = try auditedCapture("tunnel-vxlan-ports-underlay-s96.pcap", offset: 0)
        let rows = try coverage(CSVReport.render(result))
        XCTAssertEqual(rows["complete"]?.value, "false")
        XCTAssertEqual(rows["complete"]?.note, "packets were cut inside a tunnel")
        XCTAssertEqual(rows["cut_in_tunnels"]?.value, "105")
        XCTAssertTrue(rows["cut_in_tunnels"]?.note.hasPrefix("105 packets cut by the snapshot length (96 bytes) inside a tunnel") == true)
        XCTAssertEqual(rows["skipped.truncated-in-tunnel"]?.value, "105")
        XCTAssertEqual(rows["snaplen"]?.value, "96")
        XCTAssertEqual(rows["udp_packets"]?.value, "28")
        XCTAssertEqual(rows["udp_ports_shaped_like_vxlan"]?.value, "9999")
        XCTAssertTrue(rows["udp_packets"]?.note.contains("declare it with --vxlan-port 9999") == true)
        XCTAssertEqual(rows["connections"]?.value, "1")
        XCTAssertEqual(rows["drops"]?.value, "", "a pcap file counts no drops: empty, as the JSON's null")
    }

    /// dumpcap's own count of what its kernel buffer dropped (99,955 packets, recorded in
    /// the pcapng's statistics) reaches the CSV too.
    func testTheCoverageRowsSayWhatACaptureDropped() throws {
        let rows = try coverage(CSVReport.render(try auditedCapture("dumpcap-drops-lo.pcapng", offset: 0)))
        XCTAssertEqual(rows["complete"]?.value, "false")
        XCTAssertEqual(rows["complete"]?.note, "packets were lost while capturing")
        XCTAssertEqual(rows["drops"]?.value, "99955")
        XCTAssertEqual(rows["drops"]?.note, "99955 packets lost while capturing (0 by the kernel, 99955 by the interface)")
    }

    /// A complete audit has the same items, so a script reads them the same way every time.
    func testACompleteAuditHasTheSameCoverageItems() throws {
        let complete = try auditedCapture()
        let rows = try coverage(CSVReport.render(complete))
        XCTAssertEqual(rows["complete"]?.value, "true")
        XCTAssertEqual(rows["complete"]?.note, "")
        XCTAssertEqual(rows["connections"]?.value, "\(complete.coverage.connections)")
        XCTAssertEqual(rows["capture_start"]?.value, complete.coverage.captureStart.map { "\($0)" })
        let cut = try auditedCapture("tunnel-vxlan-ports-underlay-s96.pcap", offset: 0)
        XCTAssertEqual(complete.csvCoverageRows.map(\.item).filter { !$0.hasPrefix("skipped.") },
                       cut.csvCoverageRows.map(\.item).filter { !$0.hasPrefix("skipped.") })
    }

    /// Text in the coverage from the inputs (a translation's name, a skipped reason of an
    /// edited result) is escaped as every field is: no formula, no line break.
    func testCoverageTextFromTheInputsIsEscaped() throws {
        var result = try auditedCapture()
        result.coverage.translated = ["=HYPERLINK(\"http://evil.example\")\r\nx": 2]
        result.coverage.skipped["@evil\n"] = 1
        let csv = CSVReport.render(result)
        let rows = try coverage(csv)
        XCTAssertEqual(csv.components(separatedBy: "\r\n").count - 1, result.services.count + result.csvCoverageRows.count + 1)
        XCTAssertEqual(rows["skipped.@evil\\n"]?.value, "1", "its line break made visible")
        let note = try XCTUnwrap(rows["translated_connections"]?.note)
        XCTAssertTrue(note.contains("=HYPERLINK(\"http://evil.example\")\\r\\nx (2)"), note)
        XCTAssertFalse(csv.contains(",=") || csv.contains(",\"=") || csv.contains(",@"))
    }
}

extension String {
    /// The field a CSV reader gets back from `csvField`: the text made safe, unquoted.
    var csvFieldAsParsed: String { parseCSV(csvField + "\r\n")[0][0] }
}
