import Audit
import CaptureEngine
import Foundation
import PcapKit
import Policy
@testable import TrafficGenerator
import XCTest

/// The generator's output: deterministic, and audited to exactly the traffic it says it wrote.
final class TrafficGeneratorTests: XCTestCase {
    /// A scratch file, removed after the test.
    func scratch(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dasaudit-gen-\(UUID().uuidString)-\(name)").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    @discardableResult
    func generate(_ shape: TrafficShape, to path: String) throws -> GenerationSummary {
        let writer = try CaptureWriter(path: path, linkType: 1, snapshotLength: Int32(shape.snaplen))
        let summary = try TrafficGenerator.generate(shape, into: writer)
        try writer.finish()
        return summary
    }

    /// Every kind of traffic at once, small: 40 services (a quarter unexpected, half of the
    /// hosts over IPv6), 400 connections of every outcome, a scan of 100 ports, snaplen 96.
    var everyKind: TrafficShape {
        var shape = TrafficShape()
        shape.packets = nil
        shape.connections = 400
        shape.connectionsInFlight = 32
        shape.services = 40
        shape.servicesInTurn = true
        shape.unexpectedShare = 0.25
        shape.refusedShare = 0.1
        shape.unansweredShare = 0.05
        shape.resetShare = 0.05
        shape.openShare = 0.05
        shape.scans = 1
        shape.scanPorts = 100
        shape.serverHosts = 4
        shape.clientHosts = 8
        shape.ipv6Share = 0.5
        shape.snaplen = 96
        return shape
    }

    /// FNV-1a over a file's bytes: pins the output without a crypto dependency.
    func fingerprint(_ path: String) throws -> UInt64 {
        try Data(contentsOf: URL(fileURLWithPath: path)).reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }

    func testTheSameShapeGivesTheSameBytesAndAnotherSeedOthers() throws {
        let a = scratch("a.pcap"), b = scratch("b.pcap"), c = scratch("c.pcap")
        try generate(everyKind, to: a)
        try generate(everyKind, to: b)
        var reseeded = everyKind
        reseeded.seed = 2
        try generate(reseeded, to: c)
        XCTAssertEqual(try fingerprint(a), try fingerprint(b))
        XCTAssertNotEqual(try fingerprint(a), try fingerprint(c))
    }

    /// The output is pinned: a change to what the generator writes shows here (and then the
    /// benchmark's cached captures are made again, since they are keyed by its sources).
    func testTheOutputOfASmallShapeIsPinned() throws {
        let path = scratch("pinned.pcap")
        let summary = try generate(everyKind, to: path)
        XCTAssertEqual(summary.packets, 4_296)
        XCTAssertEqual([summary.complete, summary.reset, summary.open, summary.refused, summary.unanswered],
                       [290, 20, 27, 45, 18])
        XCTAssertEqual(summary.scanProbes, 100)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)).count, 436_656)
        XCTAssertEqual(try fingerprint(path), 12_740_183_591_408_596_790)
    }

    /// An audit of the capture finds what the generator says it wrote: the services that
    /// answered (and which are unexpected), the endpoints refused or never answered, the
    /// packets; and every expected service speaks its catalog protocol, over IPv4 and IPv6.
    func testAnAuditFindsWhatTheGeneratorWrote() throws {
        let path = scratch("audited.pcap")
        let summary = try generate(everyKind, to: path)
        let auditor = Auditor(policy: ServicePlan.policy(offset: everyKind.offset))
        let result = auditor.audit(paths: [path])
        XCTAssertEqual(result.coverage.packets, UInt64(summary.packets))
        XCTAssertEqual(result.coverage.tcpSegments, UInt64(summary.packets))
        XCTAssertEqual(result.services.count, summary.servicesAnswering)
        XCTAssertEqual(result.services.count, 40)
        XCTAssertEqual(result.services.filter { $0.classification == .unexpected }.count, summary.unexpectedServicesAnswering)
        XCTAssertEqual(summary.unexpectedServicesAnswering, 10)
        XCTAssertEqual(result.attempts.count, summary.attemptEndpoints)
        XCTAssertEqual(result.unresolved.count, 0)
        XCTAssertEqual(result.scans?.map(\.scanner), ["fd00:da5:2::1"], "the scanner (host 0 is on IPv6)")
        XCTAssertTrue(result.services.contains { $0.address.contains(":") }, "IPv6 services")
        XCTAssertTrue(result.services.contains { !$0.address.contains(":") }, "IPv4 services")
        XCTAssertEqual(result.findings.filter { $0.kind == .protocolMismatch }.map(\.message), [])
        let plan = try ServicePlan(everyKind)
        for service in result.services where service.classification == .expected {
            let speaks = plan.services.first { $0.port == service.port }!.speaks
            if speaks != .other { XCTAssertEqual(service.protocol, speaks.name, "\(service.address) \(service.port)") }
        }
    }

    func testMillionsOfPacketsTakeSeconds() throws {
        var shape = TrafficPreset.short.shape(packets: 1_000_000)
        shape.snaplen = 96
        let path = scratch("fast.pcap")
        let began = Date()
        let summary = try generate(shape, to: path)
        XCTAssertEqual(summary.packets, 1_000_000)
        XCTAssertLessThan(Date().timeIntervalSince(began), 30, "1 M packets (debug build)")
    }

    func testAShapeThatCannotBeMadeNamesItsParameter() throws {
        var shape = TrafficShape()
        shape.packetsPerConnection = 3
        shape.unexpectedShare = 1.5
        shape.snaplen = 40
        let problems = shape.problems()
        XCTAssertEqual(problems.count, 3, "\(problems)")
        XCTAssertTrue(problems.contains { $0.hasPrefix("packets per connection must be 4") })
        XCTAssertTrue(problems.contains { $0.hasPrefix("unexpected share must be between 0 and 1") })
        XCTAssertTrue(problems.contains { $0.hasPrefix("snaplen must be at least 54") })
        var crowded = TrafficShape()
        crowded.services = 5_000
        crowded.unexpectedShare = 0
        crowded.serverHosts = 2
        XCTAssertThrowsError(try generate(crowded, to: scratch("crowded.pcap"))) { error in
            XCTAssertTrue("\(error)".contains("5000 expected services need at least"), "\(error)")
        }
    }

    /// Every preset of the benchmark matrix can be generated as it is.
    func testEveryPresetIsAShapeThatCanBeMade() throws {
        for preset in TrafficPreset.allCases {
            let shape = preset.shape(packets: 10_000_000)
            XCTAssertEqual(shape.problems(), [], preset.rawValue)
            XCTAssertNoThrow(try ServicePlan(shape), preset.rawValue)
        }
    }

    /// The single-file writer cuts records to its snapshot length and keeps the wire length.
    func testTheSingleFileWriterCutsToTheSnapshotLength() throws {
        let path = scratch("cut.pcap")
        var shape = everyKind
        shape.snaplen = 60
        shape.ipv6Share = 0
        try generate(shape, to: path)
        let file = try CaptureFile(path: path)
        XCTAssertEqual(file.snapshotLength, 60)
        var longer = 0
        _ = file.forEachPacket { header, bytes in
            XCTAssertLessThanOrEqual(bytes.count, 60)
            if header.wireLength > 60 { longer += 1 }
        }
        XCTAssertGreaterThan(longer, 100)
    }
}
