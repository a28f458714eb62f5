import Audit
import Flows
import Foundation
import PathBytes
import Policy
import XCTest

/// A result read back (`merge`, `render`) is checked as a whole; the first bad value is
/// reported with its path in the JSON. Before, each of these was accepted (a count above
/// 2^63 then overflowed a sum later, a first time after the last gave a negative window)
/// or crashed the decoder (a time outside 1677-2262).
final class ResultValidationTests: XCTestCase {
    /// A valid result with one service, one connection and evidence, as JSON objects.
    func validResult() throws -> [String: Any] {
        var traffic = ScriptedFlows(into: FlowTable())
        traffic.connect(("10.0.0.2", 40000), ("10.0.0.1", 7077))
        let auditor = Auditor(policy: Policy())
        var result = auditor.audit(traffic.sink.finish(rules: auditor.directionRules), inputs: [])
        result.connections = traffic.sink.finish(rules: auditor.directionRules).map(ConnectionEntry.init)
        result.evidence = Evidence(commandLine: ["dasaudit"], policySha256: String(repeating: "ab", count: 32),
                                   inputs: [.init(path: "a.pcap", sha256: String(repeating: "0f", count: 32), sizeBytes: 10, note: nil)])
        return try JSONSerialization.jsonObject(with: try ResultCoding.encoder().encode(result)) as! [String: Any]
    }

    /// The problem reported for the result `edit` makes of a valid one.
    func problem(_ edit: (inout [String: Any]) -> Void) throws -> String? {
        var json = try validResult()
        edit(&json)
        do {
            _ = try AuditResult.decode(from: try JSONSerialization.data(withJSONObject: json))
            return nil
        } catch let error as ResultValidationError {
            return error.description
        }
    }

    /// Sets `value` at `path` (keys and array indices) inside `json`.
    func set(_ json: inout [String: Any], _ path: [Any], _ value: Any) {
        func update(_ node: Any, _ rest: ArraySlice<Any>) -> Any {
            guard let key = rest.first else { return value }
            if let index = key as? Int, var array = node as? [Any] {
                array[index] = update(array[index], rest.dropFirst())
                return array
            }
            var object = node as! [String: Any]
            object[key as! String] = update(object[key as! String]!, rest.dropFirst())
            return object
        }
        json = update(json, path[...]) as! [String: Any]
    }

    func testAValidResultPasses() throws {
        XCTAssertNil(try problem { _ in })
    }

    func testCountsAboveTwoToThe63AreNamedByPath() throws {
        XCTAssertEqual(try problem { self.set(&$0, ["services", 0, "packets"], UInt64.max) },
                       "services[0].packets: 18446744073709551615 is above 2^63")
        XCTAssertEqual(try problem { self.set(&$0, ["connections", 0, "bytes_to_client"], UInt64(1) << 63 + 1) },
                       "connections[0].bytes_to_client: 9223372036854775809 is above 2^63")
        XCTAssertEqual(try problem { self.set(&$0, ["coverage", "skipped"], ["not-tcp": UInt64.max]) },
                       "coverage.skipped.not-tcp: 18446744073709551615 is above 2^63")
        XCTAssertEqual(try problem { self.set(&$0, ["services", 0, "states"], ["closed": UInt64.max]) },
                       "services[0].states.closed: 18446744073709551615 is above 2^63")
        XCTAssertEqual(try problem { self.set(&$0, ["coverage", "clock_steps_back"], UInt64.max) },
                       "coverage.clock_steps_back: 18446744073709551615 is above 2^63")
        XCTAssertEqual(try problem { self.set(&$0, ["coverage", "connects_cut_by_end"], UInt64.max) },
                       "coverage.connects_cut_by_end: 18446744073709551615 is above 2^63")
        XCTAssertNil(try problem { self.set(&$0, ["services", 0, "packets"], UInt64(1) << 63) }, "2^63 itself is allowed")
        XCTAssertEqual(try problem { self.set(&$0, ["summary", "services"], -1) }, "summary.services: -1 is negative")
    }

    /// A finding's message or remediation of 11 MB reached the JUnit report whole (one text
    /// node libxml2 refuses); 16 KiB of UTF-8 is the most a result read back may hold.
    /// An input's copies found by its sample are among its `duplicate` packets: more is no
    /// count an audit writes.
    func testCopiesFoundBySampleAreAmongTheInputsDuplicates() throws {
        func withInput(foundBySample: UInt64) throws -> Any {
            var input = InputSummary(path: "merged.pcap", packets: 514, tcpSegments: 257, skipped: ["duplicate": 257], complete: true)
            input.duplicatesFoundBySample = foundBySample
            return try JSONSerialization.jsonObject(with: try ResultCoding.encoder().encode(input))
        }
        let found = try withInput(foundBySample: 257), tooMany = try withInput(foundBySample: 258)
        XCTAssertNil(try problem { self.set(&$0, ["inputs"], [found]) })
        XCTAssertEqual(try problem { self.set(&$0, ["inputs"], [tooMany]) },
                       "inputs[0].duplicates_found_by_sample: 258 is more than the input's 257 duplicate packets")
    }

    /// An input whose checksums were not judged shows figures a sample can give: at most
    /// 4,096 judged, no more wrong than judged, enough wrong to stop judging, and no segment
    /// set aside as damaged.
    func testChecksumsNotJudgedHoldFiguresASampleCanGive() throws {
        func withInput(wrong: UInt64, judged: UInt64, badChecksums: UInt64 = 0) throws -> Any {
            var input = InputSummary(path: "anonymized.pcap", packets: 659, tcpSegments: 659,
                                     skipped: badChecksums == 0 ? [:] : ["bad-checksum": badChecksums], complete: true)
            input.checksumsNotJudged = WrongChecksums(wrong: wrong, judged: judged)
            return try JSONSerialization.jsonObject(with: try ResultCoding.encoder().encode(input))
        }
        let path = "inputs[0].checksums_not_judged"
        func problemOf(wrong: UInt64, judged: UInt64, badChecksums: UInt64 = 0) throws -> String? {
            let input = try withInput(wrong: wrong, judged: judged, badChecksums: badChecksums)
            return try problem { self.set(&$0, ["inputs"], [input]) }
        }
        XCTAssertNil(try problemOf(wrong: 572, judged: 572))
        XCTAssertNil(try problemOf(wrong: 3, judged: 12), "a quarter")
        XCTAssertEqual(try problemOf(wrong: 3, judged: 13),
                       "\(path): 3 wrong of 13 judged is too few to stop judging")
        XCTAssertEqual(try problemOf(wrong: 2, judged: 2),
                       "\(path): 2 wrong of 2 judged is too few to stop judging")
        XCTAssertEqual(try problemOf(wrong: 9, judged: 8),
                       "\(path): wrong 9 is more than the 8 judged")
        XCTAssertEqual(try problemOf(wrong: UInt64.max, judged: UInt64.max),
                       "\(path): judged 18446744073709551615 is more than a sample's 4096 segments")
        XCTAssertEqual(try problemOf(wrong: 10, judged: 10, badChecksums: 1),
                       "\(path): the input's checksums were not judged, yet 1 segment is skipped as bad-checksum")
    }

    func testFindingTextsLongerThanSixteenKiBAreRefused() throws {
        XCTAssertFalse((try validResult()["findings"] as? [Any] ?? []).isEmpty)
        let longest = String(repeating: "é", count: Finding.longestText / 2)
        XCTAssertNil(try problem { self.set(&$0, ["findings", 0, "message"], longest) })
        XCTAssertEqual(try problem { self.set(&$0, ["findings", 0, "message"], longest + "x") },
                       "findings[0].message: 16385 bytes long, longer than any finding's text (at most 16384 bytes of UTF-8)")
        XCTAssertEqual(try problem { self.set(&$0, ["findings", 0, "remediation"], String(repeating: "x", count: 11_000_000)) },
                       "findings[0].remediation: 11000000 bytes long, longer than any finding's text (at most 16384 bytes of UTF-8)")
    }

    /// An input's path and each command-line argument are printed by every report, as
    /// finding texts are, and were read back at any length (a path of 11 MB was rendered
    /// whole). A path is at most 4096 bytes as the file system has them (PATH_MAX: a name
    /// not UTF-8 counts its bytes, not the 4-byte scalars that keep them), an argument 16 KiB.
    func testPathsAndArgumentsLongerThanAnAuditWritesAreRefused() throws {
        let input = try JSONSerialization.jsonObject(with: try ResultCoding.encoder().encode(
            InputSummary(path: "a.pcap", packets: 0, tcpSegments: 0, skipped: [:], complete: true)))
        let longest = String(repeating: "d/", count: InputSummary.longestPath / 2)
        XCTAssertNil(try problem { self.set(&$0, ["inputs"], [input]); self.set(&$0, ["inputs", 0, "path"], longest) })
        XCTAssertEqual(try problem { self.set(&$0, ["inputs"], [input]); self.set(&$0, ["inputs", 0, "path"], longest + "x") },
                       "inputs[0].path: 4097 bytes long, longer than any path Linux opens (PATH_MAX, 4096 bytes)")
        let latin1 = PathBytes.text([UInt8](repeating: 0xFC, count: InputSummary.longestPath))
        XCTAssertEqual(latin1.utf8.count, 4 * InputSummary.longestPath)
        XCTAssertNil(try problem { self.set(&$0, ["evidence", "inputs", 0, "path"], latin1) }, "4096 bytes on disk")
        XCTAssertEqual(try problem { self.set(&$0, ["evidence", "inputs", 0, "path"], String(repeating: "x", count: 11_000_000)) },
                       "evidence.inputs[0].path: 11000000 bytes long, longer than any path Linux opens (PATH_MAX, 4096 bytes)")

        let argument = String(repeating: "é", count: Evidence.longestArgument / 2)
        XCTAssertNil(try problem { self.set(&$0, ["evidence", "command_line"], ["dasaudit", argument]) })
        XCTAssertEqual(try problem { self.set(&$0, ["evidence", "command_line"], ["dasaudit", "audit", argument + "x"]) },
                       "evidence.command_line[2]: 16385 bytes long, longer than any argument a result records (at most 16384 bytes of UTF-8)")
    }

    /// The filter is kept whole in `capture_filter`, up to Linux's longest argument: a result
    /// holding a longer one, which no audit on Linux wrote, is refused, as long paths are.
    func testACaptureFilterLongerThanAnAuditTakesIsRefused() throws {
        let longest = String(repeating: "é", count: Evidence.longestCaptureFilter / 2)
        XCTAssertNil(try problem { self.set(&$0, ["evidence", "capture_filter"], longest) })
        XCTAssertEqual(try problem { self.set(&$0, ["evidence", "capture_filter"], longest + "x") },
                       "evidence.capture_filter: 131073 bytes long, longer than any capture filter an audit takes "
                           + "(at most 131072 bytes of UTF-8)")
    }

    /// An audit given an argument longer than a result may hold (a BPF filter of 20 KB)
    /// records its first part and its length, so that its own result reads back; the
    /// filter itself is whole in `capture_filter`.
    func testAnArgumentLongerThanAResultHoldsIsRecordedCut() throws {
        let filter = (1...3000).map { "port \($0)" }.joined(separator: " or ")
        let evidence = Evidence(commandLine: ["dasaudit", "audit", "--filter", filter, "a.pcap"], policySha256: "", inputs: [])
        XCTAssertEqual(evidence.commandLine.map(\.utf8.count).max(), Evidence.longestArgument)
        XCTAssertTrue(evidence.commandLine[3].hasPrefix("port 1 or port 2 or "), String(evidence.commandLine[3].prefix(40)))
        XCTAssertTrue(evidence.commandLine[3].hasSuffix(" [cut: \(filter.utf8.count) bytes]"), String(evidence.commandLine[3].suffix(40)))
        XCTAssertEqual(Array(evidence.commandLine[0...2] + evidence.commandLine[4...]), ["dasaudit", "audit", "--filter", "a.pcap"])
        let multibyte = String(repeating: "é", count: Evidence.longestArgument)
        XCTAssertLessThanOrEqual(Evidence(commandLine: [multibyte], policySha256: "", inputs: []).commandLine[0].utf8.count,
                                 Evidence.longestArgument)
    }

    func testTimesMustBeRealAndInOrder() throws {
        XCTAssertEqual(try problem { self.set(&$0, ["services", 0, "first_seen"], "2099-01-01T00:00:00.000000000Z") },
                       "services[0].first_seen: 2099-01-01T00:00:00.000000000Z is after last_seen 2023-11-14T22:13:20.005000000Z")
        let calendar = try problem { self.set(&$0, ["services", 0, "last_seen"], "2026-99-99T99:99:99Z") }
        XCTAssertTrue(calendar?.hasPrefix("services[0].last_seen: '2026-99-99T99:99:99Z' is not a time dasaudit writes") == true,
                      calendar ?? "")
        let range = try problem { self.set(&$0, ["connections", 0, "first_seen"], "9999-12-31T23:59:59.000000000Z") }
        XCTAssertTrue(range?.hasPrefix("connections[0].first_seen: '9999-12-31T23:59:59.000000000Z'") == true, range ?? "")
        XCTAssertEqual(try problem { self.set(&$0, ["coverage", "duration_seconds"], 1e300) },
                       "coverage.duration_seconds: 1e+300 is not a duration between 0 and 2^64 ns")
    }

    /// A port scan read back: its counts and window are checked like the other lists', and
    /// a scan written before `shared_probes` and `window_shared` reads as none shared.
    func testScansAreCheckedLikeTheOtherLists() throws {
        let scan: [String: Any] = [
            "scanner": "10.9.0.1", "kind": "vertical", "type": "syn-half-open", "targets": ["10.0.0.1"], "ports": 200,
            "port_ranges": "1-200", "probes": 200, "refused": 150, "unanswered": 0, "shared_probes": 50,
            "window_shared": false, "open_ports": [String](),
            "first_seen": "2026-01-01T00:00:00.000000000Z", "last_seen": "2026-01-01T00:00:01.000000000Z",
        ]
        XCTAssertNil(try problem { $0["scans"] = [scan] })
        XCTAssertEqual(try problem { $0["scans"] = [scan]; self.set(&$0, ["scans", 0, "refused"], UInt64.max) },
                       "scans[0].refused: 18446744073709551615 is above 2^63")
        XCTAssertEqual(try problem { $0["scans"] = [scan]; self.set(&$0, ["scans", 0, "shared_probes"], -1) },
                       "scans[0].shared_probes: -1 is negative")
        XCTAssertEqual(try problem { $0["scans"] = [scan]; self.set(&$0, ["scans", 0, "scanner"], "evil") },
                       "scans[0].scanner: 'evil' is not an IP address")
        XCTAssertEqual(try problem { $0["scans"] = [scan]; self.set(&$0, ["scans", 0, "targets", 0], "10.0.0.1 ") },
                       "scans[0].targets[0]: '10.0.0.1 ' is not an IP address")
        XCTAssertEqual(try problem { $0["scans"] = [scan]; self.set(&$0, ["scans", 0, "probes"], -3) },
                       "scans[0].probes: -3 is negative")
        XCTAssertEqual(try problem { $0["scans"] = [scan]; self.set(&$0, ["scans", 0, "first_seen"], "2026-01-02T00:00:00.000000000Z") },
                       "scans[0].first_seen: 2026-01-02T00:00:00.000000000Z is after last_seen 2026-01-01T00:00:01.000000000Z")
        var older = scan
        older["shared_probes"] = nil
        older["window_shared"] = nil
        var json = try validResult()
        json["scans"] = [older]
        let read = try AuditResult.decode(from: try JSONSerialization.data(withJSONObject: json))
        XCTAssertEqual(read.scans?.map(\.sharedProbes), [0])
        XCTAssertEqual(read.scans?.map(\.windowShared), [false])
    }

    /// Valid JSON numbers that do not fit their field were "not JSON (The given data was
    /// not valid JSON.)", without the field (Foundation's decoder loses the path); only
    /// text that is not JSON is still said to be so.
    func testNumbersThatDoNotFitTheirFieldAreNamedByPath() throws {
        XCTAssertEqual(try problem(number: "65536", at: ["services", 0, "port"]),
                       "services[0].port: 65536 is not an integer from 0 to 65535")
        XCTAssertEqual(try problem(number: "1.5", at: ["services", 0, "port"]), "services[0].port: 1.5 is not an integer from 0 to 65535")
        XCTAssertEqual(try problem(number: "-1", at: ["services", 0, "packets"]),
                       "services[0].packets: -1 is not an integer from 0 to 18446744073709551615")
        XCTAssertEqual(try problem(number: "18446744073709551616", at: ["connections", 0, "bytes_to_client"]),
                       "connections[0].bytes_to_client: 18446744073709551616 is not an integer from 0 to 18446744073709551615")
        XCTAssertEqual(try problem(number: #"{"not-tcp": 2.5}"#, at: ["coverage", "skipped"]),
                       "coverage.skipped.not-tcp: 2.5 is not an integer from 0 to 18446744073709551615")
        XCTAssertEqual(problem(text: #"{"schema": "#), "not JSON (The given data was not valid JSON.)")
    }

    /// The problem reported for the result `text`.
    func problem(text: String) -> String? {
        do {
            _ = try AuditResult.decode(from: Data(text.utf8))
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// The problem reported for a valid result with the JSON text `number` at `path`.
    func problem(number: String, at path: [Any]) throws -> String? {
        var json = try validResult()
        set(&json, path, "NUMBER")
        let text = String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self)
        return problem(text: text.replacingOccurrences(of: "\"NUMBER\"", with: number))
    }

    /// An input's snapshot length is read from outside too: only what libpcap could have
    /// applied (1-262,144) is taken; null (not opened, or an older result) is.
    func testASnapshotLengthLibpcapCouldNotApplyIsRefused() throws {
        let input = InputSummary(path: "a.pcap", linkType: 1, linkTypeName: "EN10MB", snaplen: 64, packets: 0, tcpSegments: 0,
                                 skipped: [:], complete: true)
        let object = try JSONSerialization.jsonObject(with: try ResultCoding.encoder().encode(input))
        let withInput = { (json: inout [String: Any]) in json["inputs"] = [object] }
        XCTAssertNil(try problem { withInput(&$0) })
        XCTAssertNil(try problem { withInput(&$0); self.set(&$0, ["inputs", 0, "snaplen"], NSNull()) })
        XCTAssertNil(try problem { withInput(&$0); self.set(&$0, ["inputs", 0, "snaplen"], 262_144) })
        XCTAssertEqual(try problem { withInput(&$0); self.set(&$0, ["inputs", 0, "snaplen"], 0) },
                       "inputs[0].snaplen: 0 is not a snapshot length (1-262144)")
        XCTAssertEqual(try problem { withInput(&$0); self.set(&$0, ["inputs", 0, "snaplen"], -64) },
                       "inputs[0].snaplen: -64 is not a snapshot length (1-262144)")
        XCTAssertEqual(try problem { withInput(&$0); self.set(&$0, ["inputs", 0, "snaplen"], 262_145) },
                       "inputs[0].snaplen: 262145 is not a snapshot length (1-262144)")
        var huge = try validResult()
        withInput(&huge)
        set(&huge, ["inputs", 0, "snaplen"], "NUMBER")
        let text = String(decoding: try JSONSerialization.data(withJSONObject: huge), as: UTF8.self)
        XCTAssertEqual(problem(text: text.replacingOccurrences(of: "\"NUMBER\"", with: "4294967360")),
                       "inputs[0].snaplen: 4294967360 is not an integer from -2147483648 to 2147483647")
        var older = try validResult()
        withInput(&older)
        set(&older, ["inputs", 0], (object as! [String: Any]).filter { $0.key != "snaplen" })
        let read = try AuditResult.decode(from: try JSONSerialization.data(withJSONObject: older))
        XCTAssertEqual(read.inputs.map(\.snaplen), [nil], "a result made before the field reads as unknown")
    }

    func testDigestsAddressesAndSchema() throws {
        XCTAssertEqual(try problem { self.set(&$0, ["evidence", "policy_sha256"], "ABC") },
                       "evidence.policy_sha256: 'ABC' is not a SHA-256 digest (64 lowercase hex digits)")
        XCTAssertEqual(try problem { self.set(&$0, ["evidence", "inputs", 0, "sha256"], String(repeating: "g", count: 64)) },
                       "evidence.inputs[0].sha256: '\(String(repeating: "g", count: 64))' is not a SHA-256 digest (64 lowercase hex digits)")
        XCTAssertEqual(try problem { self.set(&$0, ["connections", 0, "server"], "10.0.0.999") },
                       "connections[0].server: '10.0.0.999' is not an IP address")
        // A service's address reaches every report: one that is no address (an escape
        // sequence in a hand-edited result) is refused, as a connection's is.
        XCTAssertEqual(try problem { self.set(&$0, ["services", 0, "address"], "10.0.0.1\u{1B}]0;x\u{07}") },
                       "services[0].address: '10.0.0.1\u{1B}]0;x\u{07}' is not an IP address")
        // Octets with a leading zero are octal to some readers (010 is 8): refused, the
        // address dasaudit writes named.
        XCTAssertEqual(try problem { self.set(&$0, ["connections", 0, "client"], "010.078.000.003") },
                       "connections[0].client: '010.078.000.003' has an octet with a leading zero, which some readers take "
                        + "for octal: dasaudit writes 10.78.0.3")
        XCTAssertEqual(try problem { self.set(&$0, ["services", 0, "address"], "::ffff:10.0.0.01") },
                       "services[0].address: '::ffff:10.0.0.01' has an octet with a leading zero, which some readers take "
                        + "for octal: dasaudit writes 10.0.0.1")
        // Names outside the vocabulary (the JSON Schema's enums) were read as unknown without a word.
        XCTAssertEqual(try problem { self.set(&$0, ["connections", 0, "protocol"], "gopher") },
                       "connections[0].protocol: 'gopher' is not a protocol dasaudit recognizes (unknown, none, other, tls, "
                        + "http, http2, thrift, spark-rpc, akka, hazelcast, jrmi, ssh, postgresql, mysql, redis, ldap)")
        XCTAssertEqual(try problem { self.set(&$0, ["services", 0, "tls_versions"], ["1.2", "TLSv1.3"]) },
                       "services[0].tls_versions[1]: 'TLSv1.3' is not a TLS version (SSLv2, SSLv3, 1.0, 1.1, 1.2, 1.3)")
        XCTAssertEqual(try problem { self.set(&$0, ["connections", 0, "vlan"], 5000) },
                       "connections[0].vlan: 5000 is not a VLAN id (0-4095)")
        XCTAssertEqual(try problem { self.set(&$0, ["schema"], "other/2") }, "schema: 'other/2' is not dasaudit.result/1")
        XCTAssertEqual(try problem { $0.removeValue(forKey: "tool") }, "missing 'tool'")
    }
}
