import Foundation
import XCTest

/// A pcapng that dumpcap wrote while its kernel buffer overflowed records the packets it
/// lost (`captures/dumpcap-drops-lo.pcapng`, recorded by
/// `scripts/recording/record-dumpcap-drops.sh`: 2,785 packets kept, 99,955 dropped). The audit
/// must not call that capture complete: it reports the drops, marks the input incomplete
/// and fails on a packets-dropped finding, from a file, a pipe or compressed alike. Where it
/// cannot read all of the file's statistics (a file cut short), it says so.
final class RecordedDropsTests: XCTestCase {
    let dropped = capture("dumpcap-drops-lo.pcapng")

    func audit(_ arguments: [String], stdin: Data? = nil) throws -> (status: Int32, result: [String: Any]) {
        let run = try runDasaudit(["audit"] + arguments + ["--offset", "0", "--format", "json"], stdin: stdin)
        let result = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], run.stderr)
        return (run.status, result)
    }

    func input(_ result: [String: Any]) throws -> [String: Any] {
        try XCTUnwrap((result["inputs"] as? [[String: Any]])?.first)
    }

    func testAPcapngWhoseRecorderDroppedPacketsIsAnIncompleteAuditThatFails() throws {
        let (status, result) = try audit([dropped])
        XCTAssertEqual(status, 1)
        let input = try input(result)
        XCTAssertEqual(input["drops"] as? [String: UInt64], ["interface": 99_955, "kernel": 0])
        XCTAssertEqual(input["drops_source"] as? String, "pcapng")
        XCTAssertEqual(input["complete"] as? Bool, false)
        XCTAssertEqual(input["packets"] as? Int, 2_785)
        let coverage = try XCTUnwrap(result["coverage"] as? [String: Any])
        XCTAssertEqual(coverage["complete"] as? Bool, false)
        XCTAssertEqual(coverage["drops"] as? [String: UInt64], ["interface": 99_955, "kernel": 0])
        let findings = try XCTUnwrap(result["findings"] as? [[String: Any]])
        let drop = try XCTUnwrap(findings.first { $0["kind"] as? String == "packets-dropped" })
        XCTAssertEqual(drop["severity"] as? String, "medium")
        XCTAssertTrue((drop["message"] as? String)?.contains("lost 99955 packets") == true, "\(drop)")

        let text = try runDasaudit(["audit", dropped, "--offset", "0"])
        XCTAssertTrue(text.stdout.contains("drops: 0 kernel, 99955 interface; INCOMPLETE"), text.stdout)
        let html = try runDasaudit(["audit", dropped, "--offset", "0", "--format", "html"])
        XCTAssertTrue(html.stdout.contains("<b>incomplete</b>: lost 99955 packets while capturing"))
    }

    /// Piped (standard input) or gzip-compressed, libpcap reads the file and its blocks pass
    /// through the tap, which gathers the statistics blocks: the same drops, the same
    /// finding.
    func testTheSameFileFromAPipeOrCompressedRecordsTheSameDrops() throws {
        let bytes = try contents(dropped)
        let scratch = try ScratchDirectory()
        let compressed = scratch.path("dropped.pcapng.gz")
        try runTool("gzip", ["-c", dropped], stdout: compressed)
        for (name, arguments, stdin) in [("stdin", ["-"], bytes), ("gzip", [compressed], nil)] as [(String, [String], Data?)] {
            let (status, result) = try audit(arguments, stdin: stdin)
            XCTAssertEqual(status, 1, name)
            let input = try input(result)
            XCTAssertEqual(input["drops"] as? [String: UInt64], ["interface": 99_955, "kernel": 0], name)
            XCTAssertEqual(input["drops_source"] as? String, "pcapng", name)
            XCTAssertEqual(input["complete"] as? Bool, false, name)
            XCTAssertEqual(input["packets"] as? Int, 2_785, name)
        }
    }

    /// Cut inside its last block (the statistics), piped or as a file: libpcap stops there,
    /// and the drops the file records are not known, rather than none.
    func testACutFileSaysItsDropsAreNotKnown() throws {
        let bytes = try contents(dropped)
        let scratch = try ScratchDirectory()
        let cut = try scratch.file("cut.pcapng", bytes.dropLast(8))
        for (name, arguments, stdin) in [("stdin", ["-"], bytes.dropLast(8)), ("file", [cut], nil)] as [(String, [String], Data?)] {
            let (_, result) = try audit(arguments, stdin: stdin)
            let input = try input(result)
            XCTAssertTrue(input["drops"] is NSNull, name)
            XCTAssertEqual(input["drops_source"] as? String, "unread", name)
            XCTAssertEqual(input["packets"] as? Int, 2_785, name)
        }
        let text = try runDasaudit(["audit", "-", "--offset", "0"], stdin: bytes.dropLast(8))
        XCTAssertTrue(text.stdout.contains("a pcapng input not read to its end (cut short, broken or stopped): the drops "
            + "its recorder counted are not known"), text.stdout)
    }

    /// A statistics block claiming more drops than any capture could lose (2^63 + 5, or
    /// 2^64 - 1 where a counter saturated, or two interfaces whose sum is past 2^48) is not
    /// believed: the result says its drops are not known, and `render`, `merge` and `diff`
    /// read it back (they refused `drops.kernel: 9223372036854775813 is above 2^63`).
    func testDropsPastBeliefAreNotKnownAndTheResultReadsBack() throws {
        let scratch = try ScratchDirectory()
        let packet = try XCTUnwrap(pcapRecords(try contents(capture("das-offset3-lo.pcap"))).first).bytes
        let claims: [(String, (inout Pcapng) -> Void)] = [
            ("above 2^63", { $0.statistics(interfaceDrops: nil, systemDrops: (1 << 63) + 5) }),
            ("saturated", { $0.statistics(interfaceDrops: .max, systemDrops: 1) }),
            ("summed past 2^48", { file in
                file.interface(resolution: nil, offset: nil)
                file.statistics(interfaceDrops: 1 << 48, systemDrops: nil)
                file.statistics(interfaceDrops: 1, systemDrops: nil, interface: 1)
            }),
        ]
        for (name, claim) in claims {
            var file = Pcapng(swapped: false)
            file.interface(resolution: nil, offset: nil)
            file.enhancedPacket(packet, time: 1)
            claim(&file)
            let path = try scratch.file("\(name).pcapng", file.bytes)
            let result = scratch.path("\(name).json")
            let audit = try runDasaudit(["audit", path, "--offset", "0", "--connections", "--format", "json", "--output", result])
            XCTAssertNotEqual(audit.status, 2, "\(name): \(audit.stderr)")
            let input = try input(try XCTUnwrap(try JSONSerialization.jsonObject(with: contents(result)) as? [String: Any]))
            XCTAssertTrue(input["drops"] is NSNull, name)
            XCTAssertEqual(input["drops_source"] as? String, "implausible", name)
            for command in [["render", result], ["merge", result, "--offset", "0"], ["diff", result, result]] {
                let run = try runDasaudit(command)
                XCTAssertNotEqual(run.status, 2, "\(name), \(command[0]): \(run.stderr)")
                XCTAssertFalse(run.stderr.contains("not a readable dasaudit result"), "\(name), \(command[0]): \(run.stderr)")
            }
            let text = try runDasaudit(["render", result])
            XCTAssertTrue(text.stdout.contains("a pcapng input whose statistics record more drops than a capture could (above 2^48), "
                + "not believed: the drops its recorder counted are not known"), "\(name): \(text.stdout)")
        }
    }

    func testFilesThatRecordNoDropsSaySo() throws {
        for name in ["das-offset3-lo.pcap", "das-offset3-lo.pcapng"] {
            let (_, result) = try audit([capture(name)])
            let input = try input(result)
            XCTAssertTrue(input["drops"] is NSNull, name)
            XCTAssertEqual(input["drops_source"] as? String, "none", name)
            XCTAssertEqual(input["complete"] as? Bool, true, name)
        }
    }
}
