import Flows
import TestSupport
import Wire
import XCTest

private let rules = DirectionRules(expectedServerPorts: [7079])
private let server = IPAddress(ipv4: 0x0A00_0001)

/// A listing's table (`dasaudit flows`) keeps its connections only until it hands them over,
/// and holds no more open ones than its cap, whatever the traffic: a SYN flood's unanswered
/// connects, held for the idle hour, once grew it without bound.
final class ListingTableTests: XCTestCase {
    /// A table as a listing makes it, with a cap of `cap` open connections.
    private func listingTable(cap: Int) -> FlowTable {
        var limits = FlowLimits.listing
        limits.maxConnections = cap
        return FlowTable(rules: rules, limits: limits, keepingConnections: true)
    }

    /// An unanswered SYN from client number `index`, `index` milliseconds in.
    private func addSyn(from index: Int, to table: inout FlowTable) {
        let segment = TCPSegment(source: IPAddress(ipv4: 0xC000_0000 | UInt32(index)), destination: server,
                                 sourcePort: 40000, destinationPort: 7079, flags: [.syn], sequenceNumber: UInt32(index))
        table.add(segment, timestamp: Int64(index) * 1_000_000, wireLength: 60)
    }

    /// A flood of unanswered SYNs within one sweep interval: the table never holds more
    /// than its cap, the connections it lets go of at the cap are handed over at once
    /// (not held to the next sweep), each connect is listed once, and the table counts
    /// the open ones it let go of early.
    func testASynFloodIsHandedOverAtTheCapWithinOneSweep() {
        var table = listingTable(cap: 1000)
        var listed: [Connection] = [], mostHeld = 0
        for index in 0..<4000 {
            addSyn(from: index, to: &table)
            listed += table.takeSweptConnections()
            mostHeld = max(mostHeld, table.openCount)
        }
        XCTAssertLessThanOrEqual(mostHeld, 1000)
        XCTAssertGreaterThan(listed.count, 2000, "the cap's evictions came out before the capture's end")
        table.handOverUnswept { listed += $0 }
        XCTAssertEqual(listed.count, 4000)
        XCTAssertEqual(Set(listed.map(\.client)).count, 4000, "each connect once")
        XCTAssertEqual(table.openConnectionsEvictedAtCap, UInt64(4000 - table.openCount))
        XCTAssertTrue(listed.allSatisfy { $0.state == .attempted })
    }

    /// The last hand-over, a chunk at a time, lists the last round and the held connections
    /// in the order of their first packets, as the whole of them sorted at once.
    func testTheRestIsHandedOverInChunksInTheOrderOfFirstPackets() {
        var table = listingTable(cap: 1 << 18)
        // Complete connections, ended by the time of the last sweep, and unanswered ones
        // still held at the end, their first packets interleaved.
        for index in 0..<3000 {
            let client = IPAddress(ipv4: 0xC000_0000 | UInt32(index))
            let time = Int64(index) * 3_000_000
            if index % 3 == 0 {
                addSyn(from: index, to: &table)
                continue
            }
            for (step, (source, destination, sourcePort, destinationPort, flags)) in [
                (client, server, UInt16(40000), UInt16(7079), TCPFlags.syn), (server, client, 7079, 40000, [.syn, .ack]),
                (client, server, 40000, 7079, [.fin, .ack]), (server, client, 7079, 40000, [.fin, .ack]),
            ].enumerated() {
                table.add(TCPSegment(source: source, destination: destination, sourcePort: sourcePort,
                                     destinationPort: destinationPort, flags: flags, sequenceNumber: UInt32(index)),
                          timestamp: time + Int64(step) * 1000, wireLength: 60)
            }
        }
        var swept: [Connection] = []
        swept += table.takeSweptConnections()
        let everyConnection = (swept + table.connections()).sorted(by: Connection.beganBefore)
        var chunks: [[Connection]] = []
        table.handOverUnswept(chunk: 64) { chunks.append($0) }
        XCTAssertGreaterThan(chunks.count, 10)
        XCTAssertTrue(chunks.dropLast().allSatisfy { $0.count == 64 })
        let rest = chunks.flatMap { $0 }
        XCTAssertEqual(rest.count, everyConnection.count - swept.count)
        XCTAssertEqual((swept + rest).map(\.client), everyConnection.map(\.client))
        XCTAssertEqual((swept + rest).map(\.firstSeen), everyConnection.map(\.firstSeen))
    }
}
