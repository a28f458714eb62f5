import Audit
import Foundation
import XCTest

/// The edges of a capture's time: a capture that ended between a SYN and its SYN-ACK, and
/// one whose clock stepped back while it ran. Neither may be taken for what it is not: a
/// service that did not answer, or a window as long as the recording.
final class ClockStepCaptureTests: XCTestCase {
    /// `tcpdump -c 13` stopped right after a SYN to 127.0.0.1:9443 (carbon.https.port at
    /// offset 0), whose SYN-ACK came after the capture ended
    /// (scripts/recording/record-cut-after-syn.sh). The connect was a medium
    /// `expected-service-not-answering` finding, and the audit NOT COMPLIANT. Every try of
    /// it came in the last 3 s of the capture: it stays an unanswered connect, told apart as
    /// cut by the end, counted in the coverage, and judged no failure, in the audit and in
    /// a merge of its result alike.
    func testAConnectCutByTheEndOfTheCaptureIsNoServiceNotAnswering() throws {
        let saved = temporary("cut-after-syn.json")
        let run = try runDasaudit(["audit", capture("cut-after-syn-lo.pcap"), "--offset", "0", "--connections",
                                   "--format", "json", "--output", saved])
        XCTAssertEqual(run.status, 0, "compliant: \(run.stderr)")
        let audited = try decodedResult(String(decoding: try Data(contentsOf: URL(fileURLWithPath: saved)), as: UTF8.self))
        let merged = try runDasaudit(["merge", saved, "--offset", "0", "--format", "json"])
        XCTAssertEqual(merged.status, 0, merged.stderr)
        for (name, result) in [("audit", audited), ("merge", try decodedResult(merged.stdout))] {
            XCTAssertFalse(result.findings.contains { $0.kind == .expectedServiceNotAnswering }, name)
            XCTAssertEqual(result.attempts.map { "\($0.address):\($0.port) \($0.refused) \($0.unanswered) \($0.cutByEnd ?? 99)" },
                           ["127.0.0.1:9443 0 1 1"], name)
            XCTAssertEqual(result.coverage.connectsCutByEnd, 1, name)
            XCTAssertEqual(result.coverage.connections, 2, "\(name): the HTTP connection and the connect")
        }
        let text = try runDasaudit(["audit", capture("cut-after-syn-lo.pcap"), "--offset", "0"])
        XCTAssertTrue(text.stdout.contains("1 connect cut by the end of the capture"), text.stdout)
    }

    /// nmap's SYN scan (scan-small-syn.pcap) with the clock stepped back 2 h halfway
    /// (clock-back-7200.pcap, scripts/recording/record-time-edits.sh): a few seconds of
    /// packets whose window, first to last, is 7200 s. The step is counted, per input and
    /// in the coverage, and the reports say the window is not how long the capture ran; the
    /// same packets in time order, and dumpcap's 0.24 s of disorder, are no step.
    func testAClockSteppedBackIsCountedAndSaid() throws {
        let run = try runDasaudit(["audit", capture("clock-back-7200.pcap"), "--offset", "2", "--format", "json",
                                   "--fail-on", "never"])
        let result = try decodedResult(run.stdout)
        XCTAssertEqual(result.inputs.map(\.clockStepsBack), [1])
        XCTAssertEqual(result.coverage.clockStepsBack, 1)
        XCTAssertEqual(result.coverage.durationSeconds, 7200, accuracy: 0.01)
        let text = try runDasaudit(["audit", capture("clock-back-7200.pcap"), "--offset", "2", "--fail-on", "never"])
        XCTAssertTrue(text.stdout.contains("the packet time went back by more than 1 s once"), text.stdout)
        let markdown = try runDasaudit(["audit", capture("clock-back-7200.pcap"), "--offset", "2", "--format", "md",
                                        "--fail-on", "never"])
        XCTAssertTrue(markdown.stdout.contains("**Clock**: the packet time went back"), markdown.stdout)
        for name in ["scan-small-syn.pcap", "dumpcap-2if.pcapng"] {
            let plain = try decodedResult(try runDasaudit(["audit", capture(name), "--format", "json", "--fail-on", "never"]).stdout)
            XCTAssertEqual(plain.coverage.clockStepsBack, 0, name)
        }
    }
}
