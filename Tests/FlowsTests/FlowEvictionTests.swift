import TestSupport
import Flows
import Wire
import XCTest

private let second = FlowLimits.second
private let rules = DirectionRules(expectedServerPorts: [7079, 9443])

/// One packet of synthetic traffic.
private struct Packet {
    var segment: TCPSegment
    var time: Int64
    var wire: UInt32
}

/// Builds time-ordered traffic of many connections of every kind.
private struct Traffic {
    var packets: [Packet] = []
    var random = SplitMix64(seed: 2026)

    /// A SYN's sequence number is its time's low bits, as a TCP stack's initial sequence
    /// numbers are drawn anew for each connection.
    /// `sequence`: a SYN's own number, for one sent again.
    mutating func send(_ from: (UInt32, UInt16), _ to: (UInt32, UInt16), _ flags: TCPFlags, at time: Int64,
                       payload: UInt32 = 0, sequence: UInt32? = nil) {
        let sequence = sequence ?? (flags.isConnectionRequest ? UInt32(truncatingIfNeeded: time >> 10) : 0)
        packets.append(Packet(segment: TCPSegment(source: IPAddress(ipv4: from.0), destination: IPAddress(ipv4: to.0),
                                                  sourcePort: from.1, destinationPort: to.1, flags: flags,
                                                  sequenceNumber: sequence, payloadLength: payload),
                              time: time, wire: 66 + payload))
    }

    /// Handshake, a request and an answer, FIN both ways and the last ACK, `gap` apart.
    mutating func complete(_ c: (UInt32, UInt16), _ s: (UInt32, UInt16), at start: Int64, gap: Int64 = 1_000_000) {
        send(c, s, [.syn], at: start)
        send(s, c, [.syn, .ack], at: start + gap)
        send(c, s, [.ack], at: start + 2 * gap)
        send(c, s, [.ack, .psh], at: start + 3 * gap, payload: 100)
        send(s, c, [.ack, .psh], at: start + 4 * gap, payload: 300)
        send(c, s, [.fin, .ack], at: start + 5 * gap)
        send(s, c, [.fin, .ack], at: start + 6 * gap)
        send(c, s, [.ack], at: start + 7 * gap)
    }

    /// Three hours of a small cluster: short connections, refused and unanswered connects,
    /// connections left open, long-lived ones with data every ten minutes, mid-stream
    /// pick-ups, unresolved ones, and client ports reused after a close.
    static func cluster() -> Traffic {
        var traffic = Traffic()
        let master: UInt32 = 0x0A00_0001, worker: UInt32 = 0x0A00_0002, rogue: UInt32 = 0x0A00_0009
        var time: Int64 = 1_700_000_000 * second
        var port: UInt16 = 40000
        func nextPort() -> UInt16 { port = port == 60000 ? 40000 : port + 1; return port }
        for index in 0..<3000 {
            time += Int64(traffic.random.next() % 5_000) * 1_000_000  // 0-5 s apart
            let client: UInt32 = 0x0A00_0100 | UInt32(traffic.random.next() % 20)
            switch index % 10 {
            case 0, 1, 2, 3:
                traffic.complete((client, nextPort()), (master, 7079), at: time)
            case 4:
                traffic.complete((client, nextPort()), (worker, UInt16(12000 + traffic.random.next() % 4)), at: time)
            case 5:  // refused
                let c = (client, nextPort())
                traffic.send(c, (rogue, 31337), [.syn], at: time)
                traffic.send((rogue, 31337), c, [.rst, .ack], at: time + 100_000)
            case 6:  // unanswered, retried
                let c = (client, nextPort())
                traffic.send(c, (rogue, 5432), [.syn], at: time)
                traffic.send(c, (rogue, 5432), [.syn], at: time + second)
            case 7 where index % 100 == 7:  // long-lived: data every 10 minutes for an hour
                let c = (client, nextPort())
                traffic.send(c, (master, 9443), [.syn], at: time)
                traffic.send((master, 9443), c, [.syn, .ack], at: time + 1_000)
                for minute in stride(from: 10, through: 60, by: 10) {
                    traffic.send(c, (master, 9443), [.ack, .psh], at: time + Int64(minute) * 60 * second, payload: 10)
                }
            case 7:  // left open
                let c = (client, nextPort())
                traffic.send(c, (worker, 7078), [.syn], at: time)
                traffic.send((worker, 7078), c, [.syn, .ack], at: time + 1_000)
                traffic.send(c, (worker, 7078), [.ack, .psh], at: time + 2_000, payload: 7)
            case 8:  // mid-stream, oriented by policy or by the ephemeral range, or not at all
                let kinds: [((UInt32, UInt16), (UInt32, UInt16))] = [
                    ((client, UInt16(1024 + index)), (master, 7079)), ((client, nextPort()), (worker, 8888)),
                    ((client, UInt16(50000 + index)), (worker, 50002)),
                ]
                let (c, s) = kinds[index / 10 % 3]
                traffic.send(c, s, [.ack, .psh], at: time, payload: 20)
                traffic.send(s, c, [.ack], at: time + 1_000)
            default:  // a client port reused: close, then the same 4-tuple again, soon or late
                let c = (client, UInt16(33000 + index % 7))
                traffic.complete(c, (master, 7079), at: time)
                traffic.complete(c, (master, 7079), at: time + (index % 20 == 9 ? 2 * second : 90 * second))
            }
        }
        traffic.packets.sort { $0.time < $1.time }
        return traffic
    }

    func feed(_ table: inout FlowTable, _ range: Range<Int>? = nil) {
        for packet in packets[range ?? packets.indices] {
            table.add(packet.segment, timestamp: packet.time, wireLength: packet.wire)
        }
    }
}

/// Everything an audit takes from the statistics, as comparable lines.
func digest(_ statistics: ServiceStatistics) -> [String] {
    var lines = ["connections \(statistics.connections)", "unlisted \(statistics.unresolvedNotListed)"]
    for (endpoint, t) in statistics.services {
        lines.append("service \(endpoint) conns \(t.connections) packets \(t.packets) bytes \(t.bytes) payload \(t.payloadBytes) "
            + "clients \(t.clients.sorted()) basis \(t.basis.sorted { $0.key.rawValue < $1.key.rawValue }) "
            + "states \(t.states.sorted { $0.key.rawValue < $1.key.rawValue }) \(t.firstSeen)-\(t.lastSeen)")
    }
    for (endpoint, a) in statistics.attempts {
        lines.append("attempts \(endpoint) refused \(a.refused) unanswered \(a.unanswered) clients \(a.clients.sorted()) "
            + "\(a.firstSeen)-\(a.lastSeen)")
    }
    for c in statistics.unresolved {
        lines.append("unresolved \(c.client) \(c.server) \(c.packets) \(c.bytes) \(c.firstSeen)")
    }
    return lines.sorted()
}

final class FlowEvictionTests: XCTestCase {
    func testEvictionKeepsFewConnectionsAndChangesNoCount() {
        let traffic = Traffic.cluster()
        var unbounded = FlowTable()
        traffic.feed(&unbounded)
        var bounded = FlowTable(rules: rules)
        var mostOpen = 0
        for packet in traffic.packets {
            bounded.add(packet.segment, timestamp: packet.time, wireLength: packet.wire)
            mostOpen = max(mostOpen, bounded.openCount)
        }
        XCTAssertEqual(bounded.count, unbounded.count)
        XCTAssertGreaterThan(bounded.evictedCount, bounded.count * 3 / 4, "most connections are evicted")
        XCTAssertLessThan(mostOpen, unbounded.count / 4, "the open connections stay few")
        XCTAssertEqual(digest(bounded.statistics()), digest(unbounded.statistics(rules: rules)))
    }

    func testALateAckWithinTheLingerStaysInItsConnection() {
        var table = FlowTable(rules: rules)
        var traffic = Traffic()
        let c: (UInt32, UInt16) = (0x0A00_0101, 40000), s: (UInt32, UInt16) = (0x0A00_0001, 7079)
        traffic.complete(c, s, at: 0)
        traffic.send(c, s, [.ack], at: 4 * second)        // within the 5 s linger
        traffic.send(c, s, [.ack], at: 4 * second + 1)
        traffic.send((0x0A00_0102, 40000), s, [.syn], at: 200 * second)  // moves the clock on
        traffic.feed(&table)
        let statistics = table.statistics()
        XCTAssertEqual(statistics.services[Endpoint(address: IPAddress(ipv4: s.0), port: s.1)]?.connections, 1)
        XCTAssertEqual(statistics.services[Endpoint(address: IPAddress(ipv4: s.0), port: s.1)]?.packets, 10)
        XCTAssertEqual(table.evictedCount, 1)
    }

    /// Past the 5 s linger (Zeek's `tcp_close_delay`), a straggler of a closed connection
    /// is a new, mid-stream connection to the same service: one more connection, no
    /// packet lost.
    func testAStragglerPastTheLingerStartsAMidStreamConnection() {
        var table = FlowTable(rules: rules)
        var traffic = Traffic()
        let c: (UInt32, UInt16) = (0x0A00_0101, 40000), s: (UInt32, UInt16) = (0x0A00_0001, 7079)
        traffic.complete(c, s, at: 0)
        traffic.send(c, s, [.ack], at: 30 * second)
        traffic.send((0x0A00_0102, 40000), s, [.syn], at: 200 * second)  // moves the clock on
        traffic.feed(&table)
        let service = table.statistics().services[Endpoint(address: IPAddress(ipv4: s.0), port: s.1)]
        XCTAssertEqual(service?.connections, 2)
        XCTAssertEqual(service?.packets, 9)
        XCTAssertEqual(service?.states[.midstream], 1)
    }

    // MARK: - Refused connections leave at their RST (`RecentlyRefused`)

    /// A connection the server refused is evicted at its RST, not held for the linger.
    func testARefusedConnectionLeavesTheTableAtItsRst() {
        var table = FlowTable(rules: rules)
        var traffic = Traffic()
        let c: (UInt32, UInt16) = (0x0A00_0101, 40000), s: (UInt32, UInt16) = (0x0A00_0009, 31337)
        traffic.send(c, s, [.syn], at: 0)
        traffic.feed(&table)
        XCTAssertEqual(table.openCount, 1)
        traffic.packets = []
        traffic.send(s, c, [.rst, .ack], at: 100_000)
        traffic.feed(&table)
        XCTAssertEqual(table.openCount, 0)
        XCTAssertEqual(table.evictedCount, 1)
        XCTAssertEqual(table.statistics().attempts[Endpoint(address: IPAddress(ipv4: s.0), port: s.1)]?.refused, 1)
    }

    /// Only the server's RST to a SYN lets a connection go early: a client that gives up
    /// with a RST, or a reset after the handshake, lingers as before (a segment in flight
    /// may still come).
    func testOtherResetsStillLinger() {
        var table = FlowTable(rules: rules)
        var traffic = Traffic()
        let s: (UInt32, UInt16) = (0x0A00_0001, 7079)
        traffic.send((0x0A00_0101, 40000), s, [.syn], at: 0)
        traffic.send((0x0A00_0101, 40000), s, [.rst], at: 1_000)
        traffic.send((0x0A00_0102, 40000), s, [.syn], at: 2_000)
        traffic.send(s, (0x0A00_0102, 40000), [.syn, .ack], at: 3_000)
        traffic.send(s, (0x0A00_0102, 40000), [.rst, .ack], at: 4_000)
        traffic.feed(&table)
        XCTAssertEqual(table.openCount, 2)
        XCTAssertEqual(table.evictedCount, 0)
    }

    /// Duplicated RSTs (a capture on several interfaces, a mirror port) start no
    /// connection of their own: a port scan's thousands of refusals give what a table that
    /// keeps every record gives, and no refused port looks open. Only the attempts' last
    /// times differ: a dropped duplicate's time is not in them.
    func testStragglersOfARefusalStartNoConnection() {
        var traffic = Traffic()
        let rogue: UInt32 = 0x0A00_0009
        for index in 0..<10_000 {
            let c: (UInt32, UInt16) = (0xC000_0001, UInt16(20000 + index % 30000))
            let s: (UInt32, UInt16) = (rogue, UInt16(1 + index))
            let time = Int64(index) * 200_000
            traffic.send(c, s, [.syn], at: time)
            traffic.send(s, c, [.rst, .ack], at: time + 50_000)
            traffic.send(s, c, [.rst, .ack], at: time + 50_010)
        }
        var bounded = FlowTable(rules: rules), unbounded = FlowTable()
        traffic.feed(&bounded)
        traffic.feed(&unbounded)
        let statistics = bounded.statistics()
        XCTAssertTrue(statistics.services.isEmpty, "no refused port looks open")
        XCTAssertEqual(statistics.attempts.values.map(\.refused).reduce(0, +), 10_000)
        let untimed = { (lines: [String]) in
            lines.map { $0.hasPrefix("attempts") ? $0.split(separator: " ").dropLast().joined(separator: " ") : $0 }
        }
        XCTAssertEqual(statistics.connections, 10_000)
        XCTAssertEqual(untimed(digest(statistics)), untimed(digest(unbounded.statistics(rules: rules))))
        XCTAssertEqual(statistics.attempts[Endpoint(address: IPAddress(ipv4: rogue), port: 1)]?.lastSeen, 50_000)
    }

    /// Copies from several interfaces can be a little out of time order: a repeated RST
    /// stamped just before the first, across a tick of the memory's millisecond clock,
    /// is still the refusal's.
    func testARepeatedRstStampedJustBeforeTheFirstStartsNoConnection() {
        var table = FlowTable(rules: rules)
        var traffic = Traffic()
        let c: (UInt32, UInt16) = (0x0A00_0101, 40000), s: (UInt32, UInt16) = (0x0A00_0009, 31337)
        let tick: Int64 = (1 << 20) * 1000
        traffic.send(c, s, [.syn], at: tick - 500_000)
        traffic.send(s, c, [.rst, .ack], at: tick + 5)
        traffic.send(s, c, [.rst, .ack], at: tick - 5)
        traffic.feed(&table)
        let statistics = table.statistics()
        XCTAssertTrue(statistics.services.isEmpty)
        XCTAssertEqual(statistics.connections, 1)
    }

    /// A new SYN after a refusal is a new attempt, as port reuse always was.
    func testASynAfterARefusalIsANewAttempt() {
        var table = FlowTable(rules: rules)
        var traffic = Traffic()
        let c: (UInt32, UInt16) = (0x0A00_0101, 40000), s: (UInt32, UInt16) = (0x0A00_0009, 31337)
        for retry in 0..<3 {
            traffic.send(c, s, [.syn], at: Int64(retry) * second)
            traffic.send(s, c, [.rst, .ack], at: Int64(retry) * second + 1_000)
        }
        traffic.feed(&table)
        XCTAssertEqual(table.statistics().attempts[Endpoint(address: IPAddress(ipv4: s.0), port: s.1)]?.refused, 3)
    }

    /// A refused SYN sent again (its RST lost on the way back, so the client's kernel sends
    /// it again 1 s, then 2 s later) is the same connect refused again: no second refused
    /// connect, in the table that lets refusals go at their RST as in one that keeps every
    /// record; past the linger after its last try, the same SYN would be a new connect.
    func testTheRefusedSynSentAgainIsTheSameConnect() {
        var traffic = Traffic()
        let c: (UInt32, UInt16) = (0x0A00_0101, 40000), s: (UInt32, UInt16) = (0x0A00_0009, 31337)
        for time in [0, second, 3 * second] {
            traffic.send(c, s, [.syn], at: time, sequence: 5_000)
            traffic.send(s, c, [.rst, .ack], at: time + 1_000)
        }
        var bounded = FlowTable(rules: rules), unbounded = FlowTable()
        traffic.feed(&bounded)
        traffic.feed(&unbounded)
        let statistics = bounded.statistics()
        XCTAssertEqual(statistics.connections, 1)
        XCTAssertEqual(statistics.attempts[Endpoint(address: IPAddress(ipv4: s.0), port: s.1)]?.refused, 1)
        let untimed = { (lines: [String]) in
            lines.map { $0.hasPrefix("attempts") ? $0.split(separator: " ").dropLast().joined(separator: " ") : $0 }
        }
        XCTAssertEqual(untimed(digest(statistics)), untimed(digest(unbounded.statistics(rules: rules))))
    }

    /// A refusal at the end of one input and its SYN sent again at the start of the next,
    /// read into two tables and merged, give what one table gives: one refused connect.
    func testARefusedSynSentAgainInTheNextInputIsTheSameConnect() {
        var traffic = Traffic()
        let c: (UInt32, UInt16) = (0x0A00_0101, 40000), s: (UInt32, UInt16) = (0x0A00_0009, 31337)
        traffic.send(c, s, [.syn], at: 0, sequence: 5_000)
        traffic.send(s, c, [.rst, .ack], at: 1_000)
        traffic.send(c, s, [.syn], at: second, sequence: 5_000)
        traffic.send(s, c, [.rst, .ack], at: second + 1_000)
        var whole = FlowTable(rules: rules)
        traffic.feed(&whole)
        var first = FlowTable(rules: rules), later = FlowTable(rules: rules, continuesEarlierInput: true)
        traffic.feed(&first, 0..<2)
        traffic.feed(&later, 2..<4)
        first.absorb(later)
        XCTAssertEqual(first.statistics().connections, 1)
        XCTAssertEqual(digest(first.statistics()), digest(whole.statistics()))
    }

    /// Past the linger, a straggler of a refusal starts a connection of its own, as a
    /// straggler of any ended connection does: a lone RST, which is a refusal whose SYN was
    /// not captured (docs/flows.md, "One-direction captures").
    func testAStragglerOfARefusalPastTheLingerStartsAConnectionOfItsOwn() {
        var table = FlowTable(rules: rules)
        var traffic = Traffic()
        let c: (UInt32, UInt16) = (0x0A00_0101, 40000), s: (UInt32, UInt16) = (0x0A00_0009, 31337)
        traffic.send(c, s, [.syn], at: 0)
        traffic.send(s, c, [.rst, .ack], at: 1_000)
        traffic.send(s, c, [.rst, .ack], at: 30 * second)
        traffic.feed(&table)
        let statistics = table.statistics()
        XCTAssertEqual(statistics.connections, 2)
        XCTAssertEqual(statistics.attempts[Endpoint(address: IPAddress(ipv4: s.0), port: s.1)]?.refused, 2)
    }

    /// A refusal at the end of one input and its duplicated RST at the start of the next,
    /// read into two tables and merged, give what one table gives.
    func testARefusalsStragglerInTheNextInputStartsNoConnection() {
        var traffic = Traffic()
        let c: (UInt32, UInt16) = (0x0A00_0101, 40000), s: (UInt32, UInt16) = (0x0A00_0009, 31337)
        traffic.send(c, s, [.syn], at: 0)
        traffic.send(s, c, [.rst, .ack], at: 1_000)
        traffic.send(s, c, [.rst, .ack], at: 1_010)
        traffic.send((0x0A00_0102, 40001), (0x0A00_0001, 7079), [.syn], at: 2_000)
        var whole = FlowTable(rules: rules)
        traffic.feed(&whole)
        var first = FlowTable(rules: rules), second = FlowTable(rules: rules, continuesEarlierInput: true)
        traffic.feed(&first, 0..<2)
        traffic.feed(&second, 2..<4)
        first.absorb(second)
        XCTAssertEqual(first.statistics().connections, 2)
        XCTAssertEqual(digest(first.statistics()), digest(whole.statistics()))
    }

    /// The same with three inputs: the refusal in the second (past the 180 s in which a
    /// later input's connections may continue an earlier one's, so it leaves at its RST),
    /// its duplicated RST at the start of the third. The merged table keeps what each table
    /// it absorbed refused.
    func testARefusalsStragglerTwoInputsOnStartsNoConnection() {
        var traffic = Traffic()
        let c: (UInt32, UInt16) = (0x0A00_0101, 40000), s: (UInt32, UInt16) = (0x0A00_0009, 31337)
        traffic.send((0x0A00_0102, 40001), (0x0A00_0001, 7079), [.syn], at: 0)
        traffic.send((0x0A00_0103, 40002), (0x0A00_0001, 7079), [.syn], at: 1_000)
        traffic.send(c, s, [.syn], at: 200 * second)
        traffic.send(s, c, [.rst, .ack], at: 200 * second + 1_000)
        traffic.send(s, c, [.rst, .ack], at: 200 * second + 1_010)
        var whole = FlowTable(rules: rules)
        traffic.feed(&whole)
        var merged = FlowTable(rules: rules)
        traffic.feed(&merged, 0..<1)
        for range in [1..<4, 4..<5] {
            var part = FlowTable(rules: rules, continuesEarlierInput: true)
            traffic.feed(&part, range)
            merged.absorb(part)
        }
        XCTAssertEqual(merged.statistics().connections, 3)
        XCTAssertEqual(digest(merged.statistics()), digest(whole.statistics()))
    }

    /// The one documented difference: a connection silent for longer than the idle timeout
    /// is evicted, and its next packet starts a new, mid-stream connection.
    func testAConnectionIdleBeyondTheTimeoutComesBackAsANewOne() {
        var table = FlowTable(rules: rules, limits: FlowLimits(idleTimeout: 600 * second))
        var traffic = Traffic()
        let c: (UInt32, UInt16) = (0x0A00_0101, 40000), s: (UInt32, UInt16) = (0x0A00_0001, 7079)
        traffic.send(c, s, [.syn], at: 0)
        traffic.send(s, c, [.syn, .ack], at: 1)
        traffic.send(c, s, [.ack], at: 2)
        traffic.send((0x0A00_0102, 40001), s, [.ack], at: 700 * second)  // another connection, later
        traffic.send(c, s, [.ack, .psh], at: 701 * second, payload: 5)
        traffic.feed(&table)
        let states = table.statistics().services[Endpoint(address: IPAddress(ipv4: s.0), port: s.1)]?.states
        XCTAssertEqual(states?[.established], 1)
        XCTAssertEqual(states?[.midstream], 2)
    }

    /// A SYN flood from ever new ports: at most `maxConnections` are open at once, and
    /// every attempt is still counted.
    func testASynFloodIsCappedAndStillCounted() {
        let limits = FlowLimits(maxConnections: 1000)
        var table = FlowTable(rules: rules, limits: limits)
        var mostOpen = 0
        for index in 0..<50_000 {
            let segment = TCPSegment(source: IPAddress(ipv4: 0xC000_0000 | UInt32(index)), destination: IPAddress(ipv4: 0x0A00_0001),
                                     sourcePort: UInt16(1024 + index % 60000), destinationPort: 7079, flags: [.syn])
            table.add(segment, timestamp: Int64(index) * 1000, wireLength: 60)
            mostOpen = max(mostOpen, table.openCount)
        }
        XCTAssertLessThanOrEqual(mostOpen, limits.maxConnections)
        let attempts = table.statistics().attempts[Endpoint(address: IPAddress(ipv4: 0x0A00_0001), port: 7079)]
        XCTAssertEqual(attempts?.unanswered, 50_000)
        XCTAssertEqual(attempts?.clients.count, 50_000)
    }

    /// The statistics say how many open connections the cap evicted early (what can split
    /// a connection in two), and count none when the cap evicted only ended connections.
    func testTheCapCountsTheOpenConnectionsItEvicted() {
        func run(closing: Bool) -> ServiceStatistics {
            var table = FlowTable(rules: rules, limits: FlowLimits(maxConnections: 100))
            for index in 0..<1000 {
                let client = IPAddress(ipv4: 0xC000_0000 | UInt32(index))
                let server = IPAddress(ipv4: 0x0A00_0001)
                var packets: [(IPAddress, IPAddress, UInt16, UInt16, TCPFlags)] = [
                    (client, server, 40000, 7079, [.syn]), (server, client, 7079, 40000, [.syn, .ack])]
                if closing {
                    packets += [(client, server, 40000, 7079, [.fin, .ack]), (server, client, 7079, 40000, [.fin, .ack])]
                }
                for (source, destination, sourcePort, destinationPort, flags) in packets {
                    table.add(TCPSegment(source: source, destination: destination, sourcePort: sourcePort,
                                         destinationPort: destinationPort, flags: flags),
                              timestamp: Int64(index) * 1000, wireLength: 60)
                }
            }
            return table.statistics()
        }
        let open = run(closing: false)
        XCTAssertEqual(open.connections, 1000)
        XCTAssertGreaterThanOrEqual(open.openConnectionsEvictedAtCap, 900)
        XCTAssertLessThan(open.openConnectionsEvictedAtCap, 1000)
        let closed = run(closing: true)
        XCTAssertEqual(closed.connections, 1000)
        XCTAssertEqual(closed.openConnectionsEvictedAtCap, 0)
    }

    /// Client addresses are recorded up to the budget; past it the count is a lower bound
    /// and the statistics say so.
    func testTheClientBudgetBoundsTheAddressesKept() {
        var table = FlowTable(rules: rules, limits: FlowLimits(maxConnections: 100, maxClientAddresses: 500))
        for index in 0..<2000 {
            let segment = TCPSegment(source: IPAddress(ipv4: 0xC000_0000 | UInt32(index)), destination: IPAddress(ipv4: 0x0A00_0001),
                                     sourcePort: 40000, destinationPort: 7079, flags: [.syn])
            table.add(segment, timestamp: Int64(index) * 1000, wireLength: 60)
        }
        let statistics = table.statistics()
        XCTAssertTrue(statistics.clientAddressesOverflowed)
        XCTAssertEqual(statistics.attempts.values.first?.clients.count, 500)
        XCTAssertEqual(statistics.attempts.values.first?.unanswered, 2000)
    }

    /// Traffic cut into pieces, each read into its own table and merged in order, gives
    /// what one table reading it all gives: connections spanning a cut continue, a client
    /// port reused after a close stays two connections.
    func testTablesMergedInOrderEqualOneTable() {
        let traffic = Traffic.cluster()
        var whole = FlowTable(rules: rules)
        traffic.feed(&whole)
        let expected = digest(whole.statistics())
        let count = traffic.packets.count
        for pieces in [2, 3, 7] {
            var cuts = (1..<pieces).map { count * $0 / pieces }
            cuts = [0] + cuts + [count]
            var merged = FlowTable(rules: rules)
            traffic.feed(&merged, cuts[0]..<cuts[1])
            for index in 1..<pieces {
                var part = FlowTable(rules: rules, continuesEarlierInput: true)
                traffic.feed(&part, cuts[index]..<cuts[index + 1])
                merged.absorb(part)
            }
            XCTAssertEqual(merged.count, whole.count, "\(pieces) pieces")
            XCTAssertEqual(digest(merged.statistics()), expected, "\(pieces) pieces")
        }
    }

    /// The same with tables that evict nothing: `finish` lists the same connections.
    func testUnboundedTablesMergedInOrderListTheSameConnections() {
        let traffic = Traffic.cluster()
        var whole = FlowTable()
        traffic.feed(&whole)
        let cut = traffic.packets.count / 2
        var first = FlowTable(), second = FlowTable()
        traffic.feed(&first, 0..<cut)
        traffic.feed(&second, cut..<traffic.packets.count)
        first.absorb(second)
        let describe = { (table: FlowTable) in
            table.finish(rules: rules).map { "\($0.client) \($0.server) \($0.state) \($0.packets) \($0.firstSeen)" }
        }
        XCTAssertEqual(describe(first), describe(whole))
    }
}
