import Audit
import CaptureEngine
import Foundation
import Policy
import XCTest

/// The events of a live audit, from successive audits of a capture so far: each service
/// and finding once, drops as they grow, findings of absence (and of too short a window)
/// only at the end.
final class LiveEventTrackerTests: XCTestCase {
    private func audited(offset: Int = 2) -> AuditResult {
        let capture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("captures/spark-cluster-offset2-lo.pcap").path
        return Auditor(policy: Policy(offset: offset, mode: .cluster, coresPerNode: 2)).audit(paths: [capture])
    }

    func testEachServiceAndFindingOnce() {
        var tracker = LiveEventTracker()
        let result = audited()
        let first = tracker.events(in: result)
        XCTAssertEqual(first.filter { $0.event == "new-service" }.count, result.services.count)
        let rogue = first.first { $0.event == "new-service" && $0.port == 31337 }
        XCTAssertEqual(rogue?.classification, .unexpected)
        XCTAssertEqual(first.filter { $0.event == "finding" && $0.kind == .unexpectedPort }.count, 7)
        XCTAssertFalse(first.contains { $0.kind == .unusedOpening }, "every expected port is unused at the start")
        XCTAssertTrue(tracker.events(in: result).isEmpty, "nothing new, nothing said")
        let final = tracker.events(in: result, final: true)
        XCTAssertFalse(final.isEmpty)
        XCTAssertTrue(final.allSatisfy { $0.kind == .unusedOpening || $0.kind == .insufficientTraffic })
        XCTAssertFalse(first.contains { $0.kind == .insufficientTraffic }, "the window is short at the start of every capture")
        XCTAssertEqual(final.filter { $0.kind == .insufficientTraffic }.count,
                       result.findings.filter { $0.kind == .insufficientTraffic }.count, "said by the final audit")
    }

    func testCaptureLossAsTheDropsGrow() {
        var tracker = LiveEventTracker()
        var result = audited()
        _ = tracker.events(in: result)
        result.coverage.drops = Drops(kernel: 5, interface: 0)
        XCTAssertEqual(tracker.events(in: result).map { "\($0.event) \($0.newDrops ?? 0)" }, ["capture-loss 5"])
        XCTAssertTrue(tracker.events(in: result).isEmpty)
        result.coverage.drops = Drops(kernel: 6, interface: 1)
        let loss = tracker.events(in: result)
        XCTAssertEqual(loss.map { "\($0.event) \($0.newDrops ?? 0)" }, ["capture-loss 2"])
        XCTAssertEqual(loss.first?.drops, Drops(kernel: 6, interface: 1))
    }

    func testSnapshotsWhenAskedAndOneLineEach() throws {
        var tracker = LiveEventTracker(snapshots: true)
        let events = tracker.events(in: audited())
        let snapshot = try XCTUnwrap(events.last)
        XCTAssertEqual(snapshot.event, "snapshot")
        XCTAssertEqual(snapshot.packets, 2050)
        for event in events {
            XCTAssertEqual(event.line.filter { $0 == "\n" }.count, 1)
            XCTAssertTrue(event.line.hasSuffix("}\n"))
            let object = try JSONSerialization.jsonObject(with: Data(event.line.utf8)) as? [String: Any]
            XCTAssertEqual(object?["event"] as? String, event.event)
        }
    }
}
