@testable import Audit
import Flows
import Foundation
import Policy
import Protocols
import Wire
import XCTest

/// `ResultMerger` on its own: the linear matching gives what the scan of every open
/// connection gave, on any interleaving; many connections on one endpoint pair merge in
/// linear time; repeated evidence, and a result without connections, are refused.
final class ResultMergerTests: XCTestCase {
    func connection(_ clientPort: UInt16, first: Int64, last: Int64, packets: UInt64 = 4) -> Connection {
        Connection(client: Endpoint(address: IPAddress("10.0.0.2")!, port: clientPort),
                   server: Endpoint(address: IPAddress("10.0.0.1")!, port: 7077), directionBasis: .handshake, state: .closed,
                   packetsToServer: packets, packetsToClient: packets, bytesToServer: 100, bytesToClient: 100,
                   payloadBytesToServer: 10, payloadBytesToClient: 10, firstSeen: first, lastSeen: last)
    }

    /// Two sightings of one connection: the one oriented on stronger evidence wins, in
    /// `DirectionBasis`'s declared order (a scanner's `probe` above `unknown`, under
    /// `ephemeral`), whatever their packets.
    func testTheStrongerDirectionBasisWins() {
        let bases = DirectionBasis.allCases
        for (strongIndex, strong) in bases.enumerated() {
            for weak in bases[(strongIndex + 1)...] {
                var x = connection(40000, first: 0, last: 1, packets: 1), y = connection(40000, first: 0, last: 1, packets: 9)
                x.directionBasis = strong
                y.directionBasis = weak
                XCTAssertTrue(ResultMerger.stronger(x, y), "\(strong) over \(weak)")
                XCTAssertFalse(ResultMerger.stronger(y, x), "\(weak) under \(strong)")
            }
        }
        XCTAssertEqual(bases.firstIndex(of: .probe)!, bases.firstIndex(of: .ephemeral)! + 1)
    }

    /// What a connection speaks comes from the sighting that says more of it, whichever
    /// leads: a recognized protocol over bytes no recognizer knows, over no payload, over
    /// bytes not captured (one end at a short snapshot length); of the same protocol, the
    /// one with its TLS version (the server's hello cut at one end). Both orders alike.
    func testTheSightingThatSaysMoreOfWhatWasSpokenGivesTheProtocol() {
        let merger = ResultMerger()
        let ladder: [ProtocolEvidence] = [.unknown, .none, .other, ProtocolEvidence(.tls), ProtocolEvidence(.tls, tlsVersion: .tls10)]
        for (lowIndex, low) in ladder.enumerated() {
            for high in ladder[(lowIndex + 1)...] {
                var x = connection(40000, first: 0, last: 1, packets: 9), y = connection(40000, first: 0, last: 1, packets: 1)
                (x.evidence, y.evidence) = (low, high)
                XCTAssertEqual(merger.combine(x, y).evidence, high, "\(high) over \(low), from the sighting that does not lead")
                XCTAssertEqual(merger.combine(y, x).evidence, high, "\(high) over \(low), either order")
                XCTAssertEqual(merger.combine(x, y).packetsToServer, 9, "the counts still the larger")
            }
        }
        // Two recognized protocols: the leading sighting's, in either order.
        var x = connection(40000, first: 0, last: 1, packets: 9), y = connection(40000, first: 0, last: 1, packets: 1)
        (x.evidence, y.evidence) = (ProtocolEvidence(.http), ProtocolEvidence(.thrift))
        XCTAssertEqual(merger.combine(x, y).evidence.name, .http)
        XCTAssertEqual(merger.combine(y, x).evidence.name, .http)
    }

    func result(_ connections: [Connection], capture: String = UUID().uuidString) -> AuditResult {
        var result = Auditor(policy: Policy()).audit(connections, inputs: [])
        result.connections = connections.map(ConnectionEntry.init)
        // The capture's "hash" in the evidence: its name in hex, distinct per capture.
        let hex = capture.utf8.map { String(format: "%02x", $0) }.joined()
        result.evidence = Evidence(commandLine: ["dasaudit"], policySha256: String(repeating: "a", count: 64),
                                   inputs: [.init(path: capture, sha256: String((hex + String(repeating: "0", count: 64)).prefix(64)),
                                                  sizeBytes: 1, note: nil)])
        return result
    }

    /// The matching as it was: each entry joins the first open merged connection (in the
    /// order opened) that lacks its result and overlaps it; entries taken in the merger's
    /// canonical order (first packet, result, then the rest of the connection).
    func reference(_ results: [[Connection]], skew: Int64) -> [Connection] {
        let merger = ResultMerger(skew: skew)
        let ordered = results.enumerated().flatMap { source, connections in connections.map { (source, $0) } }
            .sorted { ($0.1.firstSeen, $0.0, $0.1.client.port, $0.1.lastSeen, $0.1.packets)
                < ($1.1.firstSeen, $1.0, $1.1.client.port, $1.1.lastSeen, $1.1.packets) }
        var open: [(connection: Connection, sources: Set<Int>)] = []
        for (source, connection) in ordered {
            // Within one endpoint pair (here: one client port).
            if let index = open.firstIndex(where: { $0.connection.client != connection.client ? false
                : !$0.sources.contains(source) && merger.overlaps($0.connection, connection) }) {
                open[index].connection = merger.combine(open[index].connection, connection)
                open[index].sources.insert(source)
                continue
            }
            open.append((connection, [source]))
        }
        return open.map(\.connection)
    }

    func key(_ connection: Connection) -> String {
        "\(connection.client)>\(connection.server) \(connection.firstSeen)-\(connection.lastSeen) \(connection.packets)"
    }

    func testLinearMatchingEqualsTheScanOnRandomInterleavings() throws {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<200 {
            let sources = Int.random(in: 1...4, using: &generator)
            let results = (0..<sources).map { _ in
                (0..<Int.random(in: 0...12, using: &generator)).map { _ -> Connection in
                    let first = Int64.random(in: 0...40, using: &generator)
                    return connection(40000 + UInt16.random(in: 0...1, using: &generator), first: first,
                                      last: first + Int64.random(in: 0...10, using: &generator),
                                      packets: UInt64.random(in: 1...9, using: &generator))
                }
            }
            let merged = try ResultMerger(skew: 3).merge(results.map { result($0) }, names: results.indices.map { "r\($0)" }).connections
            let expected = results.isEmpty ? [] : reference(results, skew: 3)
            XCTAssertEqual(merged.map(key).sorted(), expected.map(key).sorted(), "round \(round)")
        }
    }

    /// 40,000 connections reusing one client port (one endpoint pair), captured at both
    /// ends: each entry scanned every open connection, 8.5 s in a release build.
    func testFortyThousandConnectionsOnOnePairMergeInLinearTime() throws {
        let count = 40_000
        let a = (0..<count).map { connection(40000, first: Int64($0) * 1_000_000, last: Int64($0) * 1_000_000 + 500_000) }
        let b = a.map { var c = $0; c.firstSeen += 1_000; c.lastSeen += 1_000; return c }
        let results = [result(a), result(b)]
        let start = Date()
        let merged = try ResultMerger().merge(results, names: ["a.json", "b.json"]).connections
        let seconds = Date().timeIntervalSince(start)
        XCTAssertEqual(merged.count, count, "each connection of a pairs with its twin in b")
        XCTAssertLessThan(seconds, 10, "linear: about a second in a debug build; the scan took minutes")
        print("merge of 2 x \(count) connections on one pair: \(String(format: "%.2f", seconds)) s")
    }

    func testTheSameResultTwiceIsRefused() throws {
        let one = result([connection(40000, first: 0, last: 10)], capture: "abc")
        XCTAssertThrowsError(try ResultMerger().merge([one, one], names: ["a.json", "copy.json"])) { error in
            XCTAssertEqual("\(error)", "copy.json is the same result as a.json: give each result once")
        }
    }

    func testTwoResultsOfTheSameCaptureAreRefused() throws {
        let first = result([connection(40000, first: 0, last: 10)], capture: "abc")
        var second = result([connection(40000, first: 0, last: 10)], capture: "abc")
        second.tool.version = "0.0.9"  // another audit of it: not the same result
        XCTAssertThrowsError(try ResultMerger().merge([first, second], names: ["a.json", "b.json"])) { error in
            XCTAssertTrue("\(error)".hasPrefix("b.json and a.json both audited the same capture (abc and abc, SHA-256 "), "\(error)")
        }
        // Different captures merge.
        let other = result([connection(40000, first: 0, last: 10)], capture: "def")
        XCTAssertEqual(try ResultMerger().merge([first, other], names: ["a.json", "b.json"]).connections.count, 1)
    }

    /// A result without connections is refused with the command that makes it with them:
    /// `live` for a live capture's (its input's drops came from libpcap), else `audit`.
    func testAResultWithoutConnectionsNamesTheCommandToRunAgain() throws {
        let listed = result([connection(40000, first: 0, last: 10)], capture: "abc")
        for (dropsSource, command) in [(DropsSource.live, "live"), (DropsSource.none, "audit"), (nil, "audit")] {
            var unlisted = result([connection(40001, first: 0, last: 10)], capture: "def")
            unlisted.connections = nil
            unlisted.inputs = [InputSummary(path: "live:lo", packets: 8, tcpSegments: 8, skipped: [:], complete: true,
                                            dropsSource: dropsSource)]
            XCTAssertThrowsError(try ResultMerger().merge([listed, unlisted], names: ["a.json", "b.json"])) { error in
                XCTAssertEqual("\(error)", "b.json has no connections section: make it with `dasaudit \(command) --connections`, "
                    + "so that a connection seen at both ends, or cut between time windows, is counted once")
            }
        }
    }
}
