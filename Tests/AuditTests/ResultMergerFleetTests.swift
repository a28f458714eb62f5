@testable import Audit
import Flows
import Foundation
import Policy
import Wire
import XCTest

/// `ResultMerger` over a fleet: a connection cut by time windows of one capture point is
/// joined, one seen from two capture points is one connection by its client ISN whatever
/// the clocks say, and any tree of merges gives the bytes of one merge of all.
final class ResultMergerFleetTests: XCTestCase {
    let server = Endpoint(address: IPAddress("10.0.0.1")!, port: 7613)

    func piece(_ clientPort: UInt16, first: Int64, last: Int64, packets: UInt64, isn: UInt32?, state: ConnectionState,
               ending: ConnectionState) -> Connection {
        Connection(client: Endpoint(address: IPAddress("10.0.0.2")!, port: clientPort), server: server,
                   directionBasis: isn == nil ? .policy : .handshake, state: state,
                   packetsToServer: packets, packetsToClient: packets, bytesToServer: packets * 100, bytesToClient: packets * 60,
                   payloadBytesToServer: packets * 40, payloadBytesToClient: packets, firstSeen: first, lastSeen: last,
                   clientInitialSequence: isn, ending: ending)
    }

    /// A result of one capture point and window: one input, a distinct capture hash.
    func leaf(_ point: String, window: Int, _ connections: [Connection]) -> AuditResult {
        let path = "\(point)-w\(window).pcap"
        let first = connections.map(\.firstSeen).min(), last = connections.map(\.lastSeen).max()
        var result = Auditor(policy: Policy()).audit(connections, inputs: [
            InputSummary(path: path, linkType: 1, linkTypeName: "EN10MB", packets: connections.reduce(0) { $0 + $1.packets },
                         tcpSegments: connections.reduce(0) { $0 + $1.packets }, skipped: [:],
                         firstSeen: first.map(Timestamp.init(nanoseconds:)), lastSeen: last.map(Timestamp.init(nanoseconds:)),
                         complete: true, error: nil, drops: nil)])
        result.connections = connections.map(ConnectionEntry.init)
        let hex = path.utf8.map { String(format: "%02x", $0) }.joined()
        result.evidence = Evidence(commandLine: ["dasaudit"], policySha256: String(repeating: "a", count: 64),
                                   inputs: [.init(path: path, sha256: String((hex + String(repeating: "0", count: 64)).prefix(64)),
                                                  sizeBytes: 1, note: nil)])
        result.record(capturePoint: CapturePoint(name: point, basis: .option))
        return result
    }

    func merge(_ results: [AuditResult]) throws -> AuditResult {
        try ResultMerger().mergedResult(of: results, names: results.indices.map { "r\($0).json" },
                                        auditor: Auditor(policy: Policy(), auditTime: Timestamp(nanoseconds: 0)),
                                        arguments: ["merge"]).result
    }

    func bytes(_ result: AuditResult) throws -> Data { try ResultCoding.encoder(canonical: true).encode(result) }

    /// Two ends, the server's clock 100 s ahead of the client's: the same client ISN makes
    /// them one connection (the times alone, 100 s apart, made them two).
    func testBothEndsWithClocksFarApartAreOneConnectionByTheirISN() throws {
        let second: Int64 = 1_000_000_000
        let client = piece(40000, first: 0, last: second, packets: 5, isn: 77, state: .closed, ending: .closed)
        var server = client
        server.firstSeen += 100 * second
        server.lastSeen += 100 * second
        let merged = try merge([leaf("client", window: 1, [client]), leaf("server", window: 1, [server])])
        XCTAssertEqual(merged.coverage.connections, 1)
        XCTAssertEqual(merged.services.first?.packets, 10)
        XCTAssertEqual(merged.connections?.count, 2, "one sighting per capture point, to merge again")
        XCTAssertEqual(merged.capturePoints?.map(\.name), ["client", "server"])
    }

    /// Two connections on one 4-tuple at the same time at two ends cannot be the same when
    /// their ISNs differ (the times alone would have merged them).
    func testDifferentISNsAreDifferentConnectionsWhateverTheTimes() throws {
        let x = piece(40000, first: 0, last: 1_000, packets: 5, isn: 1, state: .closed, ending: .closed)
        let y = piece(40000, first: 0, last: 1_000, packets: 5, isn: 2, state: .closed, ending: .closed)
        XCTAssertEqual(try merge([leaf("a", window: 1, [x]), leaf("b", window: 1, [y])]).coverage.connections, 2)
    }

    /// A connection open at the end of window 1 and picked up mid-stream in window 2 of
    /// the same capture point is one connection, its packets summed (before, the two
    /// pieces overlapped within the skew and merged as two ends of one: the larger count).
    func testAConnectionCutByTwoWindowsIsJoinedAndItsCountsAdded() throws {
        let start = piece(40000, first: 0, last: 1_000, packets: 10, isn: 9, state: .established, ending: .established)
        let rest = piece(40000, first: 1_500, last: 3_000, packets: 6, isn: nil, state: .midstream, ending: .closed)
        let merged = try merge([leaf("a", window: 1, [start]), leaf("a", window: 2, [rest])])
        XCTAssertEqual(merged.coverage.connections, 1)
        let service = try XCTUnwrap(merged.services.first)
        XCTAssertEqual(service.packets, 32)
        XCTAssertEqual(service.states, ["closed": 1], "opened in window 1, closed in window 2: closed, as one capture says")
        XCTAssertEqual(merged.connections?.map(\.state), [.established, .midstream], "the pieces as captured, to merge again")
        XCTAssertEqual(merged.connections?.first?.clientIsn, 9)
        // A piece of another capture point is not joined: it is the other end.
        let other = try merge([leaf("a", window: 1, [start]), leaf("b", window: 2, [rest])])
        XCTAssertEqual(other.coverage.connections, 1)
        XCTAssertEqual(other.services.first?.packets, 20, "two ends of one connection: the larger count")
    }

    /// Random fleets: connections seen at one or both of two points (the second's clock
    /// 50 s ahead), with or without their handshake, cut into three windows per point;
    /// any grouping and order of merges gives the bytes of one merge of all.
    func testAnyTreeOfMergesGivesTheBytesOfOneMergeOfAll() throws {
        var generator = SystemRandomNumberGenerator()
        let second: Int64 = 1_000_000_000
        for round in 0..<40 {
            var windows: [String: [[Connection]]] = ["a": [[], [], []], "b": [[], [], []]]
            for index in 0..<Int.random(in: 1...12, using: &generator) {
                let first = Int64.random(in: 0..<29, using: &generator) * second
                let last = min(first + Int64.random(in: 0...15, using: &generator) * second, 29 * second)
                let isn: UInt32? = Bool.random(using: &generator) ? UInt32(index) * 7 : nil
                let port = UInt16(40000 + Int.random(in: 0...2, using: &generator))
                let closes = Bool.random(using: &generator)
                for (point, offset) in [("a", Int64(0)), ("b", 50 * second)] where Bool.random(using: &generator) {
                    // Cut at 10 s and 20 s of the point's own capture.
                    var cursor = first, windowIndex = Int(first / (10 * second))
                    while cursor <= last {
                        let end = min(last, Int64(windowIndex + 1) * 10 * second - 1)
                        let opening = cursor == first, final = end == last
                        let state: ConnectionState = !opening || isn == nil ? .midstream : (final && closes ? .closed : .established)
                        windows[point]![windowIndex].append(piece(port, first: cursor + offset, last: end + offset,
                                                                  packets: UInt64.random(in: 1...9, using: &generator),
                                                                  isn: opening ? isn : nil, state: state,
                                                                  ending: final && closes ? .closed : .established))
                        windowIndex += 1
                        cursor = Int64(windowIndex) * 10 * second
                    }
                }
            }
            let leaves = windows.keys.sorted().flatMap { point in
                windows[point]!.enumerated().compactMap { $1.isEmpty ? nil : leaf(point, window: $0 + 1, $1) }
            }
            guard leaves.count > 1 else { continue }
            let whole = try bytes(try merge(leaves))
            XCTAssertEqual(try bytes(try merge(leaves.shuffled(using: &generator))), whole, "round \(round): a permutation")
            // A random tree: merge random neighbours until one result is left.
            var forest = leaves.shuffled(using: &generator)
            while forest.count > 1 {
                let at = Int.random(in: 0..<(forest.count - 1), using: &generator)
                let width = Int.random(in: 2...min(3, forest.count - at), using: &generator)
                let joined = try merge(Array(forest[at..<(at + width)]))
                forest.replaceSubrange(at..<(at + width), with: [joined])
            }
            XCTAssertEqual(String(decoding: try bytes(forest[0]), as: UTF8.self), String(decoding: whole, as: UTF8.self),
                           "round \(round): a tree of merges")
        }
    }
}
