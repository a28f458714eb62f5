import Audit
import Foundation
import Reports
import XCTest

/// `dasaudit flows`: one record per TCP connection with the documented fields, the same in
/// NDJSON and CSV, and numbers that add up to what `dasaudit audit` reports of the same capture.
final class FlowsCommandTests: XCTestCase {
    let spark = capture("spark-cluster-offset2-lo.pcap")
    let policy = ["--offset", "2", "--mode", "cluster", "--cores", "2"]
    let fields = ["client", "client_port", "server", "server_port", "direction_basis", "state", "packets", "bytes",
                  "packets_to_server", "packets_to_client", "payload_bytes_to_server", "payload_bytes_to_client",
                  "first_seen", "last_seen", "vlan", "protocol", "tls_version", "tunnel"]

    func testEveryRecordHasTheDocumentedFieldsInOrder() throws {
        let lines = try flows([spark] + policy)
        XCTAssertEqual(lines.count, 41)
        for line in lines {
            // Keys in the documented order: the order they appear in the text.
            let keys = fields.map { line.range(of: "\"\($0)\":")?.lowerBound }
            XCTAssertFalse(keys.contains(nil), line)
            XCTAssertEqual(keys.compactMap { $0 }, keys.compactMap { $0 }.sorted(), line)
            let object = record(line)
            XCTAssertEqual(Set(object.keys), Set(fields), line)
            XCTAssertTrue(object["vlan"] is NSNull, "untagged loopback traffic has no VLAN")
            XCTAssertTrue(object["tunnel"] is NSNull, "loopback traffic comes in no tunnel")
            for time in ["first_seen", "last_seen"] {
                let text = object[time] as? String ?? ""
                XCTAssertNotNil(Timestamp(parsing: text), text)
                XCTAssertEqual(text.split(separator: ".").last?.count, 10, "nine fractional digits and Z: \(text)")
            }
            let packets = object["packets"] as? Int ?? -1
            XCTAssertEqual(packets, (object["packets_to_server"] as? Int ?? 0) + (object["packets_to_client"] as? Int ?? 0))
            XCTAssertLessThanOrEqual(object["first_seen"] as? String ?? "", object["last_seen"] as? String ?? "")
        }
        // In the order they left the table (FlowsStreamingTests): a record written before
        // one that began earlier left at a sweep, so it had ended; the others wait for the end.
        let objects = lines.map(record)
        for (index, object) in objects.enumerated() {
            let start = object["first_seen"] as? String ?? ""
            if objects[(index + 1)...].contains(where: { ($0["first_seen"] as? String ?? "") < start }) {
                XCTAssertTrue(["closed", "reset", "refused"].contains(object["state"] as? String ?? ""), "\(object)")
            }
        }
        XCTAssertNotEqual(objects.map { $0["first_seen"] as? String ?? "" }, objects.map { $0["first_seen"] as? String ?? "" }.sorted(),
                          "the connections that ended early in the 27 s capture came out first")
    }

    func testCSVCarriesTheSameValuesAsNDJSON() throws {
        let run = try runDasaudit(["flows", spark, "--format", "csv"] + policy)
        XCTAssertEqual(run.status, 0, run.stderr)
        let rows = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(rows.first, fields)
        let records = try flows([spark] + policy).map(record)
        XCTAssertEqual(rows.count - 1, records.count)
        for (row, object) in zip(rows.dropFirst(), records) {
            XCTAssertEqual(row.count, fields.count)
            for (field, value) in zip(fields, row) {
                XCTAssertEqual(value, object[field].map { $0 is NSNull ? "" : "\($0)" }, field)
            }
        }
    }

    func testConnectionsAddUpToTheAuditsServicesAndCoverage() throws {
        let records = try flows([spark] + policy).map(record)
        let audit = try JSONReport.parse(Data(try runDasaudit(["audit", spark, "--format", "json"] + policy).stdout.utf8))
        func sum(_ field: String, _ subset: [[String: Any]]) -> UInt64 {
            subset.reduce(0) { $0 + UInt64($1[field] as? Int ?? 0) }
        }
        XCTAssertEqual(sum("packets", records), audit.coverage.tcpSegments)
        XCTAssertEqual(records.count, audit.coverage.connections)
        let traffic = records.filter { !["attempted", "refused"].contains($0["state"] as? String ?? "") }
        XCTAssertEqual(audit.services.count, Set(traffic.map { "\($0["server"]!):\($0["server_port"]!)" }).count)
        for service in audit.services {
            let mine = traffic.filter { $0["server"] as? String == service.address && $0["server_port"] as? Int == Int(service.port) }
            XCTAssertEqual(UInt64(mine.count), service.connections, "\(service.address):\(service.port)")
            XCTAssertEqual(sum("packets", mine), service.packets)
            XCTAssertEqual(sum("bytes", mine), service.bytes)
            XCTAssertEqual(sum("payload_bytes_to_server", mine) + sum("payload_bytes_to_client", mine), service.payloadBytes)
        }
        let refused = records.filter { $0["state"] as? String == "refused" }
        XCTAssertEqual(refused.map { "\($0["server"]!):\($0["server_port"]!)" }, ["127.0.0.1:5432"])
    }

    /// Without handshakes (the SYNs removed by tshark), the server side comes from the
    /// policy, then from the ephemeral range, and the connections are mid-stream; but a
    /// refusal, whose SYN is gone and whose RST is left alone, stays `refused`.
    func testConnectionsCaughtMidStreamAreOrientedByPolicyThenEphemeralRange() throws {
        let scratch = try ScratchDirectory()
        let noSYN = scratch.path("no-syn.pcap")
        try runTool("tshark", ["-r", spark, "-Y", "tcp.flags.syn == 0", "-w", noSYN, "-F", "pcap"])
        let records = try flows([noSYN] + policy).map(record)
        XCTAssertFalse(records.isEmpty)
        // The ports the policy expects servers on, as the audit of the whole capture classifies them.
        let audit = try JSONReport.parse(Data(try runDasaudit(["audit", spark, "--format", "json"] + policy).stdout.utf8))
        let expected = Set(audit.services.filter { [.expected, .executor].contains($0.classification) }.map { Int($0.port) })
        XCTAssertTrue(expected.isSuperset(of: [7079, 7613, 12002]))
        let ephemeral = 32768...60999
        for object in records {
            let onlyRSTBack = object["packets_to_server"] as? Int == 0 && object["payload_bytes_to_client"] as? Int == 0
            XCTAssertEqual(object["state"] as? String, onlyRSTBack ? "refused" : "midstream", "\(object)")
            let clientPort = object["client_port"] as? Int ?? 0, serverPort = object["server_port"] as? Int ?? 0
            switch object["direction_basis"] as? String {
            case "policy":
                XCTAssertTrue(expected.contains(serverPort) && !expected.contains(clientPort), "\(object)")
            case "ephemeral":
                XCTAssertFalse(expected.contains(serverPort) != expected.contains(clientPort), "policy comes first: \(object)")
                XCTAssertTrue(!ephemeral.contains(serverPort) && ephemeral.contains(clientPort), "\(object)")
            case "unknown":
                XCTAssertEqual(ephemeral.contains(serverPort), ephemeral.contains(clientPort), "\(object)")
            default: XCTFail("\(object)")
            }
        }
        let bases = Set(records.compactMap { $0["direction_basis"] as? String })
        XCTAssertEqual(bases, ["policy", "ephemeral", "unknown"], "the Spark capture has all three")
        let rogue = records.filter { $0["server_port"] as? Int == 31337 }
        XCTAssertEqual(rogue.map { $0["direction_basis"] as? String }, ["ephemeral", "ephemeral"])
    }

    func testTheOutermostVLANIsRecorded() throws {
        let scratch = try ScratchDirectory()
        let base = capture("das-offset3-lo.pcap"), vlan = scratch.path("vlan.pcap"), qinq = scratch.path("qinq.pcap")
        try runTool("tcprewrite", ["--enet-vlan=add", "--enet-vlan-tag=100", "--enet-vlan-cfi=0", "--enet-vlan-pri=0",
                                   "-i", base, "-o", vlan])
        try runTool("tcprewrite", ["--enet-vlan=add", "--enet-vlan-tag=200", "--enet-vlan-cfi=0", "--enet-vlan-pri=0",
                                   "--enet-vlan-proto=802.1ad", "-i", vlan, "-o", qinq])
        let plain = try flows([base]).map(record)
        for (path, id) in [(vlan, 100), (qinq, 200)] {
            let tagged = try flows([path]).map(record)
            XCTAssertEqual(tagged.count, plain.count)
            XCTAssertEqual(tagged.map { $0["vlan"] as? Int }, Array(repeating: id, count: plain.count))
            // Four more bytes on the wire per tag and packet; everything else as before.
            let tags = id == 100 ? 1 : 2
            for (before, after) in zip(plain, tagged) {
                XCTAssertEqual(after["bytes"] as? Int, (before["bytes"] as? Int ?? 0) + 4 * tags * (before["packets"] as? Int ?? 0))
                XCTAssertEqual(after["payload_bytes_to_server"] as? Int, before["payload_bytes_to_server"] as? Int)
                XCTAssertEqual(after["state"] as? String, before["state"] as? String)
            }
        }
    }

    func testOutputGoesToTheFileAskedAndBadOptionsExitTwo() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("flows.csv")
        let run = try runDasaudit(["flows", spark, "--format", "csv", "--output", path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "")
        XCTAssertTrue(run.stderr.contains("wrote 41 connections to \(path)"), run.stderr)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count, 42)
        // A FIFO (like /dev/null) is written in place, not replaced by a file.
        let fifo = scratch.path("out.fifo")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let received = Pipe()
        let reader = Thread {
            if let handle = FileHandle(forReadingAtPath: fifo) {
                received.fileHandleForWriting.write(handle.readDataToEndOfFile())
            }
            try? received.fileHandleForWriting.close()
        }
        reader.start()
        XCTAssertEqual(try runDasaudit(["flows", spark, "--output", fifo]).status, 0)
        let type = (try FileManager.default.attributesOfItem(atPath: fifo))[.type] as? FileAttributeType
        guard type != .typeRegular else { return XCTFail("the FIFO was replaced by a regular file") }
        XCTAssertEqual(String(decoding: received.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
                       try flows([spark]).map { $0 + "\n" }.joined())
        XCTAssertEqual(try runDasaudit(["flows", spark, "--format", "xml"]).status, 2)
        XCTAssertEqual(try runDasaudit(["flows"]).status, 2)
        XCTAssertEqual(try runDasaudit(["flows", "-", "-"]).status, 2)
    }
}
