@testable import Audit
import CaptureEngine
import Flows
import Foundation
import Policy
import Wire
import XCTest

/// Numbers from outside (a capture's timestamps, a result's counts and times) at the edges
/// of their types: each case crashed the audit, `render` or `merge` before (an arithmetic
/// overflow trap), or was taken as a real value.
final class HostileNumberTests: XCTestCase {
    /// A pcapng of two SYNs whose 64-bit timestamps, in units of seconds (`if_tsresol` 0),
    /// are just inside the Int64-nanosecond range at both ends: 2262 and 1677. The window
    /// between them is 2^64 ns: `end - start` trapped in `Auditor.coverage`.
    func testAPcapngWith64BitTimestampsAtBothEndsIsAuditedNotACrash() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ts64-\(UUID().uuidString).pcapng").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        try PcapNG.twoSYNs(secondsFirst: 9_223_372_036, secondsSecond: UInt64.max - 9_223_372_035).write(to: URL(fileURLWithPath: path))
        let result = Auditor(policy: Policy()).audit(paths: [path], threads: 1)
        XCTAssertEqual(result.coverage.packets, 2)
        XCTAssertEqual(result.coverage.tcpSegments, 2)
        XCTAssertEqual(result.coverage.captureStart?.description, "1677-09-21T00:12:44.000000000Z")
        XCTAssertEqual(result.coverage.captureEnd?.description, "2262-04-11T23:47:16.000000000Z")
        XCTAssertEqual(result.coverage.durationSeconds, 18_446_744_072, accuracy: 1)
        // And the result reads back.
        XCTAssertNoThrow(try AuditResult.decode(from: try ResultCoding.encoder().encode(result)))
    }

    /// Seconds past what 64-bit nanoseconds hold (year 2554, or before 1677) are pinned to
    /// the ends of the range, in order, instead of wrapping to arbitrary times.
    func testTimesBeyondTheRangeArePinnedToItsEnds() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ts64-far-\(UUID().uuidString).pcapng").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        try PcapNG.twoSYNs(secondsFirst: 18_000_000_000, secondsSecond: UInt64.max - 18_000_000_000).write(to: URL(fileURLWithPath: path))
        let result = Auditor(policy: Policy()).audit(paths: [path], threads: 1)
        XCTAssertEqual(result.coverage.captureStart?.nanoseconds, Int64.min)
        XCTAssertEqual(result.coverage.captureEnd?.nanoseconds, Int64.max)
    }

    /// A connect pinned to the range's end (Int64.max) is counted like any other. The
    /// table's statistics took Int64.max for "no pending connect to leave out" and left it
    /// out: the audit counted 1 of these 2 connections, where the audit of the table's
    /// connections counted 2 (the capture fuzz target found the difference).
    func testAConnectAtTheLastTimeThereIsIsCounted() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ts64-last-\(UUID().uuidString).pcapng").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        try PcapNG.twoSYNs(secondsFirst: 18_000_000_000, secondsSecond: UInt64.max - 18_000_000_000).write(to: URL(fileURLWithPath: path))
        for threads in [1, 2] {
            let result = Auditor(policy: Policy()).audit(paths: [path], threads: threads)
            XCTAssertEqual(result.coverage.connections, 2, "threads \(threads)")
            XCTAssertEqual(result.coverage.connectsCutByEnd, 1, "the last one, at the capture's end: threads \(threads)")
        }
    }

    func testTimestampsAreTextForEveryInt64() {
        XCTAssertEqual("\(Timestamp(nanoseconds: .min))", "1677-09-21T00:12:43.145224192Z")
        XCTAssertEqual("\(Timestamp(nanoseconds: .max))", "2262-04-11T23:47:16.854775807Z")
        XCTAssertEqual("\(Timestamp(nanoseconds: -1))", "1969-12-31T23:59:59.999999999Z")
        for value in [Int64.min, .max, -1, 0, 1_795_738_315_661_507_123] {
            XCTAssertEqual(Timestamp(parsing: "\(Timestamp(nanoseconds: value))")?.nanoseconds, value)
        }
    }

    /// Out of range: `(days * 86_400 + ...) * 10^9` trapped in `Timestamp(parsing:)` for
    /// years outside 1677-2262. Impossible calendar fields were accepted and normalised.
    func testTimestampsOutsideTheRangeOrTheCalendarAreRefused() {
        for text in ["2263-01-01T00:00:00.000000000Z", "9999-12-31T23:59:59.999999999Z", "0000-01-01T00:00:00Z",
                     "1677-09-21T00:12:43.145224191Z", "2262-04-11T23:47:16.854775808Z",
                     "2026-99-99T99:99:99Z", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
                     "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z", "2026-01-01T00:00:60Z", "2026-00-10T00:00:00Z",
                     "2026-1-01T00:00:00Z", "+026-01-01T00:00:00Z", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567890Z",
                     "2026-01-01 00:00:00Z", "2026-01-01T00:00:00", "2026-01-01T00:00:00.-1Z", ""] {
            XCTAssertNil(Timestamp(parsing: text), text)
        }
        XCTAssertEqual(Timestamp(parsing: "2024-02-29T00:00:00Z")?.description, "2024-02-29T00:00:00.000000000Z")
        XCTAssertEqual(Timestamp(parsing: "2026-11-27T00:11:55.5Z")?.description, "2026-11-27T00:11:55.500000000Z")
        XCTAssertEqual(Timestamp(parsing: "1677-09-21T00:12:43.145224192Z")?.nanoseconds, .min)
        XCTAssertEqual(Timestamp(parsing: "2262-04-11T23:47:16.854775807Z")?.nanoseconds, .max)
    }

    /// `packetsToServer + packetsToClient` trapped for counts a result file can carry.
    func testConnectionTotalsSaturate() {
        let endpoint = Endpoint(address: IPAddress("10.0.0.1")!, port: 7077)
        let connection = Connection(
            client: endpoint, server: endpoint, directionBasis: .handshake, state: .closed, packetsToServer: .max,
            packetsToClient: 1, bytesToServer: 1 << 63, bytesToClient: 1 << 63, payloadBytesToServer: .max,
            payloadBytesToClient: .max, firstSeen: 0, lastSeen: 1)
        XCTAssertEqual(connection.packets, .max)
        XCTAssertEqual(connection.bytes, .max)
        XCTAssertEqual(connection.payloadBytes, .max)
        XCTAssertEqual(Int64.max.addingSaturated(1), .max)
        XCTAssertEqual(Int64.min.subtractingSaturated(1), .min)
        XCTAssertEqual(Int64.min.addingSaturated(-1), .min)
    }

    /// Counts of 2^63 each (the most a valid result may carry) from two results of one
    /// service: the service's sums passed 64 bits (ServiceStatistics), the merge's
    /// `stronger` (`x.packets`) trapped too. Now the merge runs and the sums saturate.
    func testMergingTheLargestValidCountsSaturatesInsteadOfTrapping() throws {
        let big = AuditResult.maximumCount
        func result(client port: UInt16) -> AuditResult {
            var entry = ConnectionEntry(Connection(
                client: Endpoint(address: IPAddress("10.0.0.2")!, port: port),
                server: Endpoint(address: IPAddress("10.0.0.1")!, port: 7077), directionBasis: .handshake, state: .closed,
                packetsToServer: big, packetsToClient: big, bytesToServer: big, bytesToClient: big,
                payloadBytesToServer: big, payloadBytesToClient: big, firstSeen: 0, lastSeen: 1_000))
            entry.vlan = nil
            var result = Auditor(policy: Policy()).audit([], inputs: [])
            result.connections = [entry]
            return result
        }
        let results = [result(client: 40000), result(client: 40001)]
        for (index, result) in results.enumerated() { XCTAssertNoThrow(try result.validate(), "\(index)") }
        let merged = try ResultMerger().merge(results, names: ["a.json", "b.json"]).connections
        let audit = Auditor(policy: Policy()).audit(merged, inputs: [])
        XCTAssertEqual(audit.services.first?.packets, .max)
        XCTAssertEqual(audit.services.first?.bytes, .max)
        XCTAssertEqual(audit.services.first?.connections, 2)
    }

    /// `Timestamp`'s text, written digit by digit at fixed places, is the text the former
    /// string-padding code wrote, on random times over the whole 64-bit range (1677-2262),
    /// both sides of 1970, and the first and last instant of leap and ordinary days.
    func testTimestampTextEqualsTheFormerPaddedText() {
        func former(_ nanoseconds: Int64) -> String {
            var seconds = nanoseconds / 1_000_000_000, fraction = nanoseconds % 1_000_000_000
            if fraction < 0 { seconds -= 1; fraction += 1_000_000_000 }
            let days = seconds.floorDivided(by: 86_400), secondOfDay = seconds - days * 86_400
            let (year, month, day) = Timestamp.civilDate(daysSinceEpoch: days)
            func pad(_ value: Int64, _ width: Int) -> String {
                let digits = String(value)
                return String(repeating: "0", count: max(0, width - digits.count)) + digits
            }
            return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
                + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(fraction, 9))Z"
        }
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        var times: [Int64] = (0..<5_000).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int64(bitPattern: state)
        }
        let day: Int64 = 86_400_000_000_000
        for midnight: Int64 in [951_782_400, 4_107_456_000, 1_735_603_200, 0, -86_400, -2_208_988_800] {
            times += [midnight * 1_000_000_000, midnight * 1_000_000_000 + day - 1, midnight * 1_000_000_000 - 1]
        }
        times += [.min, .max, -1, 1]
        for nanoseconds in times {
            XCTAssertEqual(Timestamp(nanoseconds: nanoseconds).description, former(nanoseconds), "\(nanoseconds)")
        }
    }
}

/// A minimal pcapng writer for hand-made captures: one section, one Ethernet interface
/// with a chosen timestamp resolution, enhanced packet blocks.
enum PcapNG {
    static func block(_ type: UInt32, _ body: [UInt8]) -> [UInt8] {
        let padded = body + [UInt8](repeating: 0, count: (4 - body.count % 4) % 4)
        let length = UInt32(12 + padded.count)
        return le(type) + le(length) + padded + le(length)
    }

    static func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }

    /// A SYN from 127.0.0.1:port to 127.0.0.2:7077 in an Ethernet frame.
    static func syn(sourcePort: UInt16) -> [UInt8] {
        let ethernet: [UInt8] = [0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1, 0x08, 0x00]
        let ip: [UInt8] = [0x45, 0, 0, 40, 0, 1, 0, 0, 64, 6, 0, 0, 127, 0, 0, 1, 127, 0, 0, 2]
        let tcp: [UInt8] = [UInt8(sourcePort >> 8), UInt8(sourcePort & 0xFF), 0x1B, 0xA5, 0, 0, 0, 1, 0, 0, 0, 0,
                            0x50, 0x02, 0xFF, 0xFF, 0, 0, 0, 0]
        return ethernet + ip + tcp
    }

    /// Two SYNs at `secondsFirst` and `secondsSecond` (64-bit counts of seconds since
    /// 1970, as the file stores them: values above 2^63 are times before 1970 to libpcap).
    static func twoSYNs(secondsFirst: UInt64, secondsSecond: UInt64) -> Data {
        let section = block(0x0A0D_0D0A, le(UInt32(0x1A2B_3C4D)) + le(UInt16(1)) + le(UInt16(0)) + le(Int64(-1)))
        // if_tsresol (option 9) = 0: timestamps count units of 10^0 seconds.
        let options = le(UInt16(9)) + le(UInt16(1)) + [0, 0, 0, 0] + le(UInt16(0)) + le(UInt16(0))
        let interface = block(1, le(UInt16(1)) + le(UInt16(0)) + le(UInt32(65535)) + options)
        func packet(_ seconds: UInt64, _ port: UInt16) -> [UInt8] {
            let frame = syn(sourcePort: port)
            return block(6, le(UInt32(0)) + le(UInt32(seconds >> 32)) + le(UInt32(seconds & 0xFFFF_FFFF))
                + le(UInt32(frame.count)) + le(UInt32(frame.count)) + frame)
        }
        return Data(section + interface + packet(secondsFirst, 40000) + packet(secondsSecond, 40001))
    }

}
