import Audit
import CaptureEngine
import Foundation
import PcapKit
import Policy
@testable import TrafficGenerator
import XCTest

/// A real capture repeated: each copy new connections from new clients to the same services.
final class CaptureRepeaterTests: XCTestCase {
    let captures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("captures")

    func scratch(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dasaudit-repeat-\(UUID().uuidString)-\(name)").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testThreeCopiesAreThreeTimesTheConnectionsToTheSameServices() throws {
        let source = captures.appendingPathComponent("spark-cluster-offset2-lo.pcap").path
        let output = scratch("three.pcap")
        let summary = try CaptureRepeater.repeatCapture(source, to: output, packets: 3 * 2_050, snaplen: 96)
        XCTAssertEqual(summary, CaptureRepeater.Summary(packets: 6_150, copies: 3, sourcePackets: 2_050, sourceConnections: 41))
        let auditor = Auditor(policy: Policy(offset: 2, mode: .cluster, coresPerNode: 2))
        let once = auditor.audit(paths: [source]), thrice = auditor.audit(paths: [output])
        XCTAssertEqual(thrice.coverage.packets, 6_150)
        XCTAssertEqual(thrice.coverage.connections, 3 * once.coverage.connections)
        XCTAssertEqual(thrice.services.map { "\($0.address):\($0.port) \($0.classification)" },
                       once.services.map { "\($0.address):\($0.port) \($0.classification)" })
        XCTAssertEqual(thrice.services.map(\.connections), once.services.map { 3 * $0.connections })
        XCTAssertTrue(zip(thrice.services, once.services).allSatisfy { $0.clients == 3 * $1.clients }, "new clients per copy")
        // The same findings, but that three copies are traffic enough (the source alone is not).
        XCTAssertEqual(thrice.findings.map(\.kind), once.findings.map(\.kind).filter { $0 != .insufficientTraffic })
    }

    func testTheCaptureToRepeatIsNeverOverwritten() throws {
        let source = scratch("source.pcap")
        try FileManager.default.copyItem(atPath: captures.appendingPathComponent("das-postgres-lo.pcap").path, toPath: source)
        let before = try Data(contentsOf: URL(fileURLWithPath: source))
        XCTAssertThrowsError(try CaptureRepeater.repeatCapture(source, to: source, packets: 100, snaplen: 0)) { error in
            XCTAssertTrue("\(error)".contains("the output is the capture to repeat"), "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: source)), before)
    }

    func testACaptureCutShortIsRefusedWithItsReason() throws {
        let whole = try Data(contentsOf: captures.appendingPathComponent("das-postgres-lo.pcap"))
        let cut = scratch("cut.pcap")
        try whole.prefix(whole.count - 10).write(to: URL(fileURLWithPath: cut))
        XCTAssertThrowsError(try CaptureRepeater.repeatCapture(cut, to: scratch("out.pcap"), packets: 100, snaplen: 0)) { error in
            XCTAssertTrue("\(error)".contains("cannot be read to its end"), "\(error)")
        }
    }
}
