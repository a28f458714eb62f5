@testable import CaptureEngine
import Wire
import XCTest

/// How a pipelined reader shares an input's connections between its two threads.
final class TrackingSplitTests: XCTestCase {
    private func segment(_ source: UInt32, _ sourcePort: UInt16, _ destination: UInt32, _ destinationPort: UInt16) -> TCPSegment {
        TCPSegment(source: IPAddress(ipv4: source), destination: IPAddress(ipv4: destination),
                   sourcePort: sourcePort, destinationPort: destinationPort, flags: .ack)
    }

    func testBothDirectionsOfAConnectionLandInOneBucket() {
        for (a, b) in [(0x7F00_0001, 0x7F00_0001), (0x7F00_0001, 0x7F00_0002), (0x0A00_0001, 0xC0A8_0101)] as [(UInt32, UInt32)] {
            for (portA, portB) in [(40000, 7079), (7079, 40000), (5, 5)] as [(UInt16, UInt16)] {
                XCTAssertEqual(TrackingSplit.bucket(segment(a, portA, b, portB)), TrackingSplit.bucket(segment(b, portB, a, portA)))
            }
        }
        let v6 = TCPSegment(source: IPAddress(high: 0, low: 1), destination: IPAddress(high: 0xFE80 << 48, low: 7),
                            sourcePort: 40000, destinationPort: 7079, flags: .ack)
        let back = TCPSegment(source: v6.destination, destination: v6.source, sourcePort: 7079, destinationPort: 40000, flags: .ack)
        XCTAssertEqual(TrackingSplit.bucket(v6), TrackingSplit.bucket(back))
    }

    /// A host talking to itself (Spark on 127.0.0.1 and 127.0.0.2, each with itself, as in
    /// the bundled capture) must not lose its address: XOR-ing the two addresses made it
    /// zero, so the same ports on every such host fell into one bucket.
    func testConnectionsWithinOneAddressSpreadOverTheBucketsByAddress() {
        let buckets = Set((1...255).map { host in TrackingSplit.bucket(segment(0x7F00_0000 | host, 40000, 0x7F00_0000 | host, 7079)) })
        XCTAssertGreaterThan(buckets.count, 128, "255 hosts, each connecting to itself on the same ports")
    }

    func testLoopbackConnectionsSpreadOverTheBucketsByPort() {
        let oneServer = Set((40000..<41000).map { TrackingSplit.bucket(segment(0x7F00_0001, $0, 0x7F00_0001, 7079)) })
        XCTAssertGreaterThan(oneServer.count, 240, "1,000 client ports to one loopback server")
        var manyServers: [Int: Int] = [:]
        for client in UInt16(40000)..<40010 {
            for server in UInt16(7000)..<7100 {
                manyServers[TrackingSplit.bucket(segment(0x7F00_0001, client, 0x7F00_0001, server)), default: 0] += 1
            }
        }
        XCTAssertGreaterThan(manyServers.count, 230, "10 client ports x 100 server ports on 127.0.0.1")
        XCTAssertLessThan(manyServers.values.max() ?? 0, 16, "no bucket holds many more than its 4 of 1,000")
    }

    func testTheReaderKeepsPartOfTheTrackingOnlyForHeadersWithTheHashBesideIt() {
        XCTAssertEqual(TrackingSplit.readerShare(snapshotLength: 96, hashedAlongside: true), .split(readerBuckets: 102))
        XCTAssertEqual(TrackingSplit.readerShare(snapshotLength: 256, hashedAlongside: true), .split(readerBuckets: 102))
        XCTAssertEqual(TrackingSplit.readerShare(snapshotLength: 65535, hashedAlongside: true), .readerKeepsAll)
        XCTAssertEqual(TrackingSplit.readerShare(snapshotLength: 96, hashedAlongside: false), .trackingThreadTakesAll)
        XCTAssertEqual(ReaderShare.trackingThreadTakesAll.bucketsKept, 0)
        XCTAssertEqual(ReaderShare.split(readerBuckets: 102).bucketsKept, 102)
        XCTAssertEqual(ReaderShare.readerKeepsAll.bucketsKept, 256)
    }
}
