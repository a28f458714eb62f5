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
    /// the pseudo-header's sum alone: the options tell them apart. A copy's are the same;
    /// a SYN's are left out (a router clamping the MSS changes them).
    func testTheOptionsTellARetransmissionWhoseChecksumIsTheSame() throws {
        func decoded(_ options: [UInt8], flags: UInt8 = 0x18) throws -> TCPSegment {
            try XCTUnwrap(segment(Build.sll2(protocol: 0x86DD, Build.ipv6(Build.tcp(flags: flags, options: options, payload: 4))),
                                  as: .linuxSLL2))
        }
        let timestamps: (UInt32) -> [UInt8] = { [1, 1, 8, 10] + Build.be32($0) + Build.be32(0x0102_0304) }
        XCTAssertEqual(try decoded(timestamps(1_430_525_825)).copyIdentity, try decoded(timestamps(1_430_525_825)).copyIdentity)
        XCTAssertNotEqual(try decoded(timestamps(1_430_525_825)).copyIdentity, try decoded(timestamps(1_430_525_826)).copyIdentity)
        let sack: (UInt32) -> [UInt8] = { timestamps(7) + [1, 1, 5, 10] + Build.be32(1000) + Build.be32($0) }
        XCTAssertNotEqual(try decoded(sack(2448)).copyIdentity, try decoded(sack(3896)).copyIdentity)
        XCTAssertEqual(try decoded([]).copyIdentity, 0xFFFF, "no options: the checksum (0) xor the window")
        let syn: (UInt16) -> [UInt8] = { [2, 4] + Build.be16($0) + [1, 1, 4, 2] }
        XCTAssertEqual(try decoded(syn(1460), flags: 0x02).copyIdentity, try decoded(syn(1400), flags: 0x02).copyIdentity)
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
