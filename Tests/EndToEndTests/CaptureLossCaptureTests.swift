import Audit
import Foundation
import Policy
import XCTest

/// captures/tcpdump-drops-veth-s80.pcap and tcpdump-no-drops-veth-s80.pcap
/// (scripts/recording/record-tcpdump-drops.sh): one exchange with a DAS-like node's HTTP port
/// (10.36.0.1:9763, carbon.http.port at offset 0) captured by two tcpdumps writing pcap
/// files at once. The first was stopped during a 100,000-byte upload and its kernel buffer
/// overflowed ("1600 packets dropped by kernel", which a pcap file cannot record); the
/// second dropped nothing. In the first, the upload's connection holds 20,301 of the
/// client's 100,101 payload bytes and 131 of the server's 244, and then a second request on
/// the same connection, whose acknowledgments cover what was lost (tshark: 3 "ACKed segment
/// that wasn't captured").
final class CaptureLossCaptureTests: XCTestCase {
    private func audit(_ name: String) -> AuditResult {
        Auditor(policy: Policy(offset: 0)).audit(paths: [capture(name)])
    }

    /// The JSON result of `dasaudit audit` of a bundled capture, at offset 0.
    private func auditedByTheProgram(_ name: String) throws -> AuditResult {
        let run = try runDasaudit(["audit", capture(name), "--offset", "0", "--format", "json"])
        XCTAssertNotEqual(run.status, 2, run.stderr)
        return try decodedResult(run.stdout)
    }

    /// The pcap file of a capture that dropped packets says nothing of it; the bytes the
    /// receivers acknowledged and the capture never held do: the audit counts them, is
    /// incomplete, and cannot pass. Before, the same file audited complete and COMPLIANT.
    func testAcknowledgedBytesTheCaptureNeverHeldMakeTheAuditIncomplete() throws {
        let result = audit("tcpdump-drops-veth-s80.pcap")
        XCTAssertEqual(result.inputs.map(\.dropsSource), [DropsSource.none], "a pcap file records no drops")
        XCTAssertEqual(result.coverage.connectionsWithMissedData, 1, "the upload's connection only")
        XCTAssertEqual(result.coverage.missedBytes, 79_800 + 113,
                       "the client's 100,101 bytes less the 20,301 captured, the server's 244 less 131")
        XCTAssertFalse(result.coverage.complete)
        let loss = result.findings.filter { $0.kind == .incompleteInput }
        XCTAssertEqual(loss.map(\.severity), [.medium])
        let message = try XCTUnwrap(loss.first?.message)
        XCTAssertTrue(message.hasPrefix("the capture lost packets before it held them: 1 connection had 79913 bytes "
            + "acknowledged that the capture never held ("), message)
        XCTAssertTrue(try XCTUnwrap(loss.first?.remediation).contains("dumpcap"))
        XCTAssertFalse(result.summary.compliant, "at the default --fail-on medium")
    }

    /// The same traffic captured whole: nothing missed, complete and compliant. So the
    /// count is of the capture's loss, not of anything in the traffic itself (many small
    /// segments, delayed ACKs, HTTP keep-alive, FINs, a snapshot length that cut payloads).
    func testTheSameTrafficCapturedWholeMissedNothing() {
        let result = audit("tcpdump-no-drops-veth-s80.pcap")
        XCTAssertEqual(result.coverage.connectionsWithMissedData, 0)
        XCTAssertEqual(result.coverage.missedBytes, 0)
        XCTAssertTrue(result.coverage.complete)
        XCTAssertTrue(result.findings.filter { $0.kind == .incompleteInput }.isEmpty)
        XCTAssertTrue(result.summary.compliant)
    }

    /// captures/tcp-features-veth-s80.pcap (scripts/recording/record-tcp-features.sh): data
    /// on a SYN (TCP Fast Open, taken), keep-alives at the sequence number before the next,
    /// a zero window and the probes sent into it, a retransmission, a slow reader, FINs, at
    /// a snapshot length that cut the payloads; and the same packets with every connection's
    /// numbers wrapping past 2^32. Nothing was lost (tshark: no ack_lost_segment): nothing
    /// is counted.
    func testTCPThatIsNoLossCountsNothing() {
        for name in ["tcp-features-veth-s80.pcap", "tcp-features-wrapped-veth-s80.pcap"] {
            let result = audit(name)
            XCTAssertEqual(result.coverage.connections, 5, name)
            XCTAssertEqual(result.coverage.missedBytes, 0, name)
            XCTAssertEqual(result.coverage.connectionsWithMissedData, 0, name)
            XCTAssertNil(result.coverage.skipped["bad-checksum"], "\(name): the wrapped copy's sums were written again")
            XCTAssertTrue(result.coverage.complete, name)
        }
    }

    /// captures/retransmitted-first-veth-s96.pcap (scripts/recording/record-retransmitted-first.sh):
    /// tcpdump started while the server's packets were blackholed, so the first segment it
    /// holds of port 40001 is a retransmission of bytes sent before it, which the server
    /// answers with an ACK 15,928 bytes further; port 40002 is picked up mid-stream without
    /// one. The capture lost nothing (tcpdump: 0 dropped): nothing is counted. Before, the
    /// retransmission set the sender's base, and the 13,032 bytes between it and the ACK,
    /// sent before the capture, were counted missed: incomplete, not compliant.
    func testAFirstSegmentResentFromBeforeTheCaptureIsNoLoss() throws {
        let result = try auditedByTheProgram("retransmitted-first-veth-s96.pcap")
        XCTAssertEqual(result.coverage.connections, 2)
        XCTAssertEqual(result.coverage.missedBytes, 0)
        XCTAssertEqual(result.coverage.connectionsWithMissedData, 0)
        XCTAssertTrue(result.coverage.complete)
        XCTAssertTrue(result.findings.filter { $0.kind == .incompleteInput }.isEmpty)
    }

    /// The same capture without a segment of each connection that was acknowledged after
    /// its first acknowledgment (1,000 bytes of the control, 2,624 of the retransmitting
    /// one): both are counted, so the base a retransmission set is moved, not given up on.
    /// Before, 16,656: the 13,032 bytes sent before the capture too.
    func testLossAfterTheFirstAcknowledgmentOfAPickupIsCounted() throws {
        let result = try auditedByTheProgram("retransmitted-first-lost-veth-s96.pcap")
        XCTAssertEqual(result.coverage.missedBytes, 1_000 + 2_624)
        XCTAssertEqual(result.coverage.connectionsWithMissedData, 2)
        XCTAssertFalse(result.coverage.complete)
    }

    /// captures/two-points/ (scripts/recording/record-split-inputs.sh): the two POSTs of
    /// first-segments-veth.pcap as two capture points held them when each lost different
    /// packets, tap a each side's second payload segment, tap b its third: each point's
    /// audit counts 5,792 bytes in 2 connections, and no byte is missing from both. A
    /// result keeps its loss as totals, so the merge says the larger source's, not their
    /// sum (11,584: each connection's loss counted twice). Before, the two points' inputs,
    /// made at the same time, were taken for inputs of one table that overlap: the merge
    /// said no count at all (null) and complete, whatever both had lost.
    func testAMergeCountsTheLargerOfTwoPointsLossesOfOneConnection() throws {
        var saved: [String] = []
        for tap in ["tap-a", "tap-b"] {
            let path = temporary("two-points-\(tap).json")
            let run = try runDasaudit(["audit", capture("two-points/first-segments-veth-\(tap).pcap"), "--offset", "0",
                                       "--capture-point", tap, "--connections", "--format", "json", "--output", path])
            XCTAssertEqual(run.status, 1, "\(tap): incomplete, \(run.stderr)")
            let result = try decodedResult(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self))
            XCTAssertEqual(result.coverage.missedBytes, 4 * 1_448, tap)
            XCTAssertEqual(result.coverage.connectionsWithMissedData, 2, tap)
            saved.append(path)
        }
        let merged = try runDasaudit(["merge"] + saved + ["--offset", "0", "--format", "json"])
        let result = try decodedResult(merged.stdout)
        XCTAssertEqual(result.coverage.connections, 2, "each connection once: \(merged.stderr)")
        XCTAssertEqual(result.coverage.missedBytes, 4 * 1_448)
        XCTAssertEqual(result.coverage.connectionsWithMissedData, 2)
        XCTAssertFalse(result.coverage.complete)
    }

    /// Every report says what was missed: the text coverage line, the Markdown and HTML
    /// coverage, a JUnit property and the CSV coverage rows; the JSON result has both
    /// fields, which `render` reads back into the same text. Exit 1: not compliant.
    func testEveryReportSaysWhatTheCaptureMissed() throws {
        let path = capture("tcpdump-drops-veth-s80.pcap")
        let said = "capture loss: 79913 bytes acknowledged that the capture never held, in 1 connection"
        let expected = [("text", said), ("markdown", "- **Capture loss**: " + said), ("html", said),
                        ("junit", "<property name=\"missed_bytes\" value=\"79913\"/>"),
                        ("csv", ",missed_bytes,79913"), ("json", "\"missed_bytes\" : 79913")]
        for (format, text) in expected {
            let run = try runDasaudit(["audit", path, "--offset", "0", "--format", format])
            XCTAssertEqual(run.status, 1, format)
            XCTAssertTrue(run.stdout.contains(text), "\(format): \(run.stdout)")
        }
        let json = try runDasaudit(["audit", path, "--offset", "0", "--format", "json"]).stdout
        XCTAssertTrue(json.contains("\"connections_with_missed_data\" : 1"), json)
        let rendered = try runDasaudit(["render", "-", "--format", "text"], stdin: Data(json.utf8))
        XCTAssertTrue(rendered.stdout.contains(said), rendered.stdout + rendered.stderr)
    }

    /// The measure over every bundled capture: it says something only of the captures that
    /// lost packets while capturing (`lossy`, each with why). The others hold
    /// retransmissions, reordered and out-of-order segments, SACK, keep-alives, TCP Fast
    /// Open, TSO and GRO super-packets, BIG TCP, snapshot lengths that cut payloads,
    /// connections picked up mid-stream, one direction only, rotated and split files,
    /// damaged packets, copies on several interfaces, address translation, tunnels: none
    /// of which is a capture's loss.
    func testOnlyTheBundledCapturesThatLostPacketsSayTheyMissedData() throws {
        let lossy: Set<String> = Self.lossyCaptures
        var fired: [String: UInt64] = [:]
        for name in try Self.bundledCaptures() {
            let result = audit(name)
            if let missed = result.coverage.missedBytes, missed > 0 { fired[name] = missed }
        }
        XCTAssertEqual(Set(fired.keys), lossy, "missed bytes by capture: \(fired)")
    }

    /// Every bundled set of files (each subdirectory of captures/, as one input): rotated
    /// sets and rings read in time order, files of several interfaces. None missed
    /// anything but a live run's files that lost packets to the kernel (`lossySets`). The tunnels' (each tunnel's underlay and overlay captured at once), the
    /// two halves of one capture and two capture points' files overlap in time: no count.
    func testNoBundledSetOfFilesSaysItMissedData() throws {
        let directories = try FileManager.default.contentsOfDirectory(atPath: capturesDirectory.path)
            .filter { name in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: capture(name), isDirectory: &isDirectory) && isDirectory.boolValue
            }.sorted()
        XCTAssertGreaterThan(directories.count, 4)
        for name in directories {
            // The command line: it puts a directory's rotated sets in time order.
            let run = try runDasaudit(["audit", capture(name), "--offset", "0", "--format", "json", "--fail-on", "never"])
            XCTAssertEqual(run.status, 0, name + run.stderr)
            let overlapping = ["split-inputs", "tunnels", "two-points"].contains(name)
            XCTAssertEqual(run.stderr.contains("inputs that overlap in time"), overlapping, name)
            if Self.lossySets.contains(name) {
                XCTAssertTrue(run.stdout.contains("the capture lost packets"), name)
                continue
            }
            XCTAssertTrue(run.stdout.contains("\"missed_bytes\" : " + (overlapping ? "null" : "0") + ","), name)
            XCTAssertFalse(run.stdout.contains("the capture lost packets"), name)
        }
    }

    /// One capture point's two inputs holding a connection whose packets went over either
    /// of two links (odd and even frames of a capture recorded whole): each alone misses
    /// half of every connection, and says so; the two together overlap in time, so read one
    /// after another the first holds acknowledgments of bytes in the second. No count is
    /// made of them, and the audit is complete: nothing was lost.
    func testTheTwoInputsOfOneConnectionSplitBetweenThemCountNothing() {
        let halves = ["split-inputs/first-segments-veth-odd.pcap", "split-inputs/first-segments-veth-even.pcap"]
        let both = Auditor(policy: Policy(offset: 0)).audit(paths: halves.map(capture))
        XCTAssertNil(both.coverage.missedBytes)
        XCTAssertNil(both.coverage.connectionsWithMissedData)
        XCTAssertTrue(both.coverage.complete)
        XCTAssertFalse(both.findings.contains { $0.kind == .incompleteInput })
        XCTAssertTrue(both.summary.compliant)
        let odd = audit(halves[0])
        XCTAssertEqual(odd.coverage.connectionsWithMissedData, 2)
        XCTAssertFalse(odd.coverage.complete, "half of the packets of each connection")
    }

    /// The captures that lost packets while they were recorded, and why.
    static let lossyCaptures: Set<String> = [
        "tcpdump-drops-veth-s80.pcap",  // tcpdump: "1600 packets dropped by kernel"
        // The first payload segment of each side of its two connections taken out (editcap),
        // as a capture that dropped them holds it: 4 segments of 1,448 bytes.
        "first-segments-lost-veth.pcap",
        // The odd and the even frames of first-segments-veth.pcap: each half of a capture.
        "split-inputs/first-segments-veth-even.pcap", "split-inputs/first-segments-veth-odd.pcap",
        // The same as two capture points hold it when each lost different segments (tshark -Y).
        "two-points/first-segments-veth-tap-a.pcap", "two-points/first-segments-veth-tap-b.pcap",
        // A capture begun during a retransmission, two acknowledged segments taken out (editcap).
        "retransmitted-first-lost-veth-s96.pcap",
        // A file of a live run that lost 1,400 packets to the kernel (its statistics block
        // records 804 of them): 210 bytes of it acknowledged, never captured.
        "live-write-drops-lo/dasaudit-20261206-202210-0004.pcapng",
        // One file of a dumpcap ring on two links, alone: its files run up to 0.1 s out of
        // time order into each other (record-dumpcap-ring.sh), and 83 bytes this one's
        // acknowledgments answer are in the file before it. Read as the set, nothing is missed.
        "dumpcap-ring/ring_00002_20261206004708.pcapng",
    ]

    /// The sets whose packets were lost before they were captured: a live run's files that
    /// lost packets to the kernel.
    static let lossySets: Set<String> = ["live-write-drops-lo"]

    /// Every capture file directly in captures/ and in its subdirectories (each file
    /// audited alone).
    static func bundledCaptures() throws -> [String] {
        let manager = FileManager.default
        guard let walker = manager.enumerator(atPath: capturesDirectory.path) else { return [] }
        var names: [String] = []
        for case let path as String in walker {
            let name = (path as NSString).lastPathComponent
            guard name.contains(".pcap") || name.hasSuffix(".cap") else { continue }
            names.append(path)
        }
        return names.sorted()
    }
}
