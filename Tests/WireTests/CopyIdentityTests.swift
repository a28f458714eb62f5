import Wire
import XCTest

/// What the decoder keeps for telling a copy of a packet (captured again on another
/// interface) from a retransmission: `TCPSegment.copyIdentity` and the interface index.
final class CopyIdentityTests: XCTestCase {
    /// `Build.tcp` with its window (bytes 14-15) and checksum (16-17) set.
    private func tcp(window: UInt16, checksum: UInt16) -> [UInt8] {
        var header = Build.tcp(payload: 4)
        header.replaceSubrange(14..<18, with: Build.be16(window) + Build.be16(checksum))
        return header
    }

    private func segment(_ packet: [UInt8], as linkType: LinkType) -> TCPSegment? {
        guard case .segment(let segment) = decode(packet, as: linkType) else { return nil }
        return segment
    }

    func testIPv4IdentificationOverChecksumXorWindow() throws {
        let packet = Build.ethernet(etherType: 0x0800, Build.ipv4(tcp(window: 0x0F0F, checksum: 0xABCD)))
        let decoded = try XCTUnwrap(segment(packet, as: .ethernet))
        XCTAssertEqual(decoded.copyIdentity, 0x1234 << 16 | (0xABCD ^ 0x0F0F), "Build.ipv4's identification is 0x1234")
    }

    func testIPv6HasTheFlowLabelsLowBitsForAnIdentification() throws {
        let packet = Build.sll2(protocol: 0x86DD, Build.ipv6(tcp(window: 0x0F0F, checksum: 0xABCD)))
        let decoded = try XCTUnwrap(segment(packet, as: .linuxSLL2))
        XCTAssertEqual(decoded.copyIdentity, 0xABCD ^ 0x0F0F, "Build.ipv6's flow label is 0")
        var labelled = Build.ipv6(tcp(window: 0x0F0F, checksum: 0xABCD))
        labelled.replaceSubrange(0..<4, with: [0x6A, 0xB5, 0x43, 0x21])  // traffic class 0xAB, flow label 0x54321
        let withLabel = try XCTUnwrap(segment(Build.sll2(protocol: 0x86DD, labelled), as: .linuxSLL2))
        XCTAssertEqual(withLabel.copyIdentity, 0x4321 << 16 | (0xABCD ^ 0x0F0F))
    }

    func testARetransmissionWithANewChecksumHasANewIdentity() throws {
        let first = try XCTUnwrap(segment(Build.sll(protocol: 0x0800, Build.ipv4(tcp(window: 512, checksum: 1))),
                                          as: .linuxSLL))
        let again = try XCTUnwrap(segment(Build.sll(protocol: 0x0800, Build.ipv4(tcp(window: 512, checksum: 2))),
                                          as: .linuxSLL))
        XCTAssertNotEqual(first.copyIdentity, again.copyIdentity)
    }

    /// A retransmission sent a millisecond or more after its original carries a new TCP
    /// timestamp, a duplicate ACK new SACK blocks, where its checksum, offloaded, may be
    /// the pseudo-header's sum alone: the options tell them apart (the copies memory reads
    /// them, `InterfaceCopies.optionsDigest`). A segment finds its header in its packet
    /// again, over every link and IP version, and copies share the digest.
    func testTheOptionsTellARetransmissionWhoseChecksumIsTheSame() throws {
        func digest(_ options: [UInt8], ipv6: Bool = true) throws -> UInt16 {
            let tcp = Build.tcp(options: options, payload: 4)
            let packet = ipv6 ? Build.sll2(protocol: 0x86DD, Build.ipv6(tcp)) : Build.ethernet(etherType: 0x0800, Build.ipv4(tcp))
            let decoded = try XCTUnwrap(segment(packet, as: ipv6 ? .linuxSLL2 : .ethernet))
            XCTAssertEqual(Int(decoded.headerTail), tcp.count)
            return try withBytes(packet) { bytes in
                let header = try XCTUnwrap(decoded.header(in: bytes))
                XCTAssertEqual(header.sourcePort, decoded.sourcePort)
                XCTAssertEqual(Array(header.options), options)
                return header.optionsDigest
            }
        }
        let timestamps: (UInt32) -> [UInt8] = { [1, 1, 8, 10] + Build.be32($0) + Build.be32(0x0102_0304) }
        XCTAssertEqual(try digest(timestamps(1_430_525_825)), try digest(timestamps(1_430_525_825), ipv6: false))
        XCTAssertNotEqual(try digest(timestamps(1_430_525_825)), try digest(timestamps(1_430_525_826)))
        let sack: (UInt32) -> [UInt8] = { timestamps(7) + [1, 1, 5, 10] + Build.be32(1000) + Build.be32($0) }
        XCTAssertNotEqual(try digest(sack(2448)), try digest(sack(3896)))
        XCTAssertEqual(try digest([]), 0, "no options")
        XCTAssertNil(TCPSegment(source: IPAddress("::1")!, destination: IPAddress("::1")!, sourcePort: 1, destinationPort: 2,
                                flags: [.ack]).header(in: UnsafeRawBufferPointer(start: nil, count: 0)), "no place known")
    }

    func testOnlyCookedCapturesCaptureEveryInterfaceAndOnlySLL2NamesIt() {
        XCTAssertTrue(PacketDecoder(linkType: .linuxSLL2).capturesEveryInterface)
        XCTAssertTrue(PacketDecoder(linkType: .linuxSLL).capturesEveryInterface)
        for linkType: LinkType in [.ethernet, .null, .loop, .raw, .ipv4, .ipv6] {
            XCTAssertFalse(PacketDecoder(linkType: linkType).capturesEveryInterface, "\(linkType)")
        }
        let packet = Build.sll2(protocol: 0x0800, Build.ipv4(Build.tcp()))
        withBytes(packet) { bytes in
            XCTAssertEqual(PacketDecoder(linkType: .linuxSLL2).interfaceIndex(of: bytes), 2, "Build.sll2's index")
            XCTAssertNil(PacketDecoder(linkType: .linuxSLL).interfaceIndex(of: bytes))
            XCTAssertNil(PacketDecoder(linkType: .ethernet).interfaceIndex(of: bytes))
        }
        for length in 0..<20 {
            withBytes(Array(packet.prefix(length))) { XCTAssertNil(PacketDecoder(linkType: .linuxSLL2).interfaceIndex(of: $0)) }
        }
    }
}
