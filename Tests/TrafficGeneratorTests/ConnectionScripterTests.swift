import Audit
import Flows
import Foundation
import PcapKit
import Policy
import TrafficGenerator
import Wire
import XCTest

/// `ConnectionScripter`: the same scripted connections, fed straight into a connection table
/// or written as a capture and read back, audit to the same services and attempts, so the
/// tests that skip the capture see what a capture of that traffic would give.
final class ConnectionScripterTests: XCTestCase {
    let auditor = Auditor(policy: Policy(offset: 2, mode: .cluster, coresPerNode: 2))

    /// A master, an executor, a rogue service over IPv6, a refused and an unanswered connect.
    func script<Sink: SegmentSink>(_ traffic: inout ConnectionScripter<Sink>) {
        let a = IPAddress("10.0.0.1")!, b = IPAddress("10.0.0.2")!, v6 = IPAddress("fd00::7")!
        traffic.connect((b, 40000), (a, 7079))
        traffic.connect((b, 40001), (a, 7079), packets: 9)
        traffic.connect((a, 40002), (b, 12003), packets: 4)
        traffic.connect((IPAddress("fd00::8")!, 40003), (v6, 31337))
        traffic.refused((b, 40004), (a, 5432))
        traffic.unanswered((b, 40005), (a, 6379))
    }

    /// What the comparison looks at: per service, its traffic; per attempt, its counts.
    func digest(_ result: AuditResult) -> [String] {
        result.services.map {
            "\($0.address):\($0.port) \($0.classification) c=\($0.connections) p=\($0.packets) b=\($0.bytes) \($0.states) \($0.directionBasis)"
        } + result.attempts.map { "attempt \($0.port) refused=\($0.refused) unanswered=\($0.unanswered)" }
    }

    func testTheTableAndTheCaptureOfOneScriptAuditAlike() throws {
        var direct = ConnectionScripter(into: FlowTable())
        script(&direct)
        let fromTable = auditor.audit(direct.sink.finish(rules: auditor.directionRules), inputs: [])

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("scripter-\(UUID().uuidString).pcap").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        let writer = try CaptureWriter(path: path, linkType: 1, snapshotLength: 65535)
        var captured = ConnectionScripter(into: CaptureSegmentSink(writer: writer))
        script(&captured)
        try writer.finish()
        let fromCapture = auditor.audit(paths: [path])

        XCTAssertEqual(fromCapture.coverage.packets, 5 + 9 + 4 + 5 + 2 + 2)
        XCTAssertEqual(fromCapture.services.count, 3)
        XCTAssertEqual(fromCapture.attempts.count, 2)
        XCTAssertEqual(digest(fromTable), digest(fromCapture))
    }

    func testPacketsFollowTheGeneratorsScriptWithItsNumbers() {
        struct Recorder: SegmentSink {
            var segments: [(TCPSegment, Int64, UInt32)] = []
            mutating func add(_ segment: TCPSegment, timestamp: Int64, wireLength: UInt32) {
                segments.append((segment, timestamp, wireLength))
            }
        }
        var traffic = ConnectionScripter(into: Recorder(), startingAt: 1_000, spacing: 10)
        traffic.connect((IPAddress("10.0.0.2")!, 40000), (IPAddress("10.0.0.1")!, 7079))
        let sent = traffic.sink.segments
        XCTAssertEqual(sent.map(\.0.flags), [[.syn], [.syn, .ack], [.psh, .ack], [.fin, .ack], [.fin, .ack]])
        XCTAssertEqual(sent.map { $0.0.sourcePort }, [40000, 7079, 40000, 40000, 7079])
        XCTAssertEqual(sent.map(\.1), [1_010, 1_020, 1_030, 1_040, 1_050])
        XCTAssertEqual(sent.map(\.2), [58, 58, 234, 54, 1502])
        // Each side's sequence numbers advance by its payload and its SYN and FIN; acks answer them.
        let client = sent[0].0.sequenceNumber, server = sent[1].0.sequenceNumber
        XCTAssertEqual(sent[1].0.acknowledgmentNumber, client &+ 1)
        XCTAssertEqual(sent[2].0.sequenceNumber, client &+ 1)
        XCTAssertEqual(sent[3].0.sequenceNumber, client &+ 181)
        XCTAssertEqual(sent[4].0.sequenceNumber, server &+ 1)
        XCTAssertEqual(sent[4].0.acknowledgmentNumber, client &+ 182)
    }
}
