@testable import Flows
import Wire
import XCTest

/// A record keeps its tunnel in the top three bits of its flag byte (the record stays 128
/// bytes): every tunnel beside every combination of the other flags, each read back intact.
final class ConnectionRecordTunnelTests: XCTestCase {
    let key = ConnectionKey.of(source: Endpoint(address: IPAddress(ipv4: 0x0A00_0001), port: 40000),
                               destination: Endpoint(address: IPAddress(ipv4: 0x0A00_0002), port: 9763)).key

    func testTheTunnelAndTheFlagsLeaveEachOtherAlone() {
        for tunnel in Tunnel.allCases {
            for flags in UInt8(0)..<32 {
                var record = ConnectionRecord(key: key, timestamp: 0, vlan: nil, tunnel: tunnel)
                record.samplesTaken = flags & ConnectionRecord.bothSamplesTaken
                record.openedWithSyn = flags & ConnectionRecord.openedWithSynBit != 0
                record.mayContinue = flags & ConnectionRecord.mayContinueBit != 0
                XCTAssertEqual(record.tunnel, tunnel)
                XCTAssertEqual(record.samplesTaken, flags & ConnectionRecord.bothSamplesTaken)
                XCTAssertEqual(record.openedWithSyn, flags & ConnectionRecord.openedWithSynBit != 0)
                XCTAssertEqual(record.mayContinue, flags & ConnectionRecord.mayContinueBit != 0)
                record.tunnel = .none
                XCTAssertEqual(record.tunnel, .none)
                XCTAssertEqual(record.openedWithSyn, flags & ConnectionRecord.openedWithSynBit != 0)
            }
        }
        XCTAssertEqual(MemoryLayout<ConnectionRecord>.stride, 128, "two cache lines")
    }

    /// The table gives a connection the tunnel of its first segment.
    func testATrackedConnectionCarriesItsFirstSegmentsTunnel() {
        var table = FlowTable()
        var syn = TCPSegment(source: IPAddress(ipv4: 0x0A00_0001), destination: IPAddress(ipv4: 0x0A00_0002),
                             sourcePort: 40000, destinationPort: 9763, flags: .syn, tunnel: .geneve)
        table.add(syn, timestamp: 1, wireLength: 74)
        syn.flags = [.syn, .ack]
        swap(&syn.source, &syn.destination)
        swap(&syn.sourcePort, &syn.destinationPort)
        table.add(syn, timestamp: 2, wireLength: 74)
        XCTAssertEqual(table.connections(rules: DirectionRules(expectedServerPorts: [])).map(\.tunnel), [.geneve])
    }
}
