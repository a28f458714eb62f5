import Wire
import XCTest

/// The tunnels the decoder opens, on packets built field by field (the real captures are
/// in TunnelCaptureTests): the inner segment comes out marked with its tunnel, every cut
/// before the inner TCP header is `.truncated`, and what is not a tunnel stays UDP.
final class TunnelTests: XCTestCase {
    let innerV4 = Build.ethernet(etherType: 0x0800, Build.ipv4(Build.tcp(payload: 6)))
    let segmentV4 = defaultSegment(payloadLength: 6)

    /// `payload` in UDP to `port` in IPv4, in Ethernet.
    func overUDP(_ port: UInt16, _ payload: [UInt8]) -> [UInt8] {
        Build.ethernet(etherType: 0x0800, Build.ipv4(source: 0xC0A8_0001, destination: 0xC0A8_0002, protocol: 17,
                                                     Build.udp(destinationPort: port, carrying: payload)))
    }

    func overGRE(_ gre: [UInt8]) -> [UInt8] {
        Build.ethernet(etherType: 0x0800, Build.ipv4(source: 0xC0A8_0001, destination: 0xC0A8_0002, protocol: 47, gre))
    }

    /// Decodes `packet` to `expected`, every cut of it before the end of its outer headers
    /// (Ethernet, IPv4, and UDP when the tunnel is in UDP) to `.truncated`, and every cut
    /// after them and before its last `tail` bytes (the TCP payload) to `.truncatedInTunnel`.
    func assertOpens(_ packet: [UInt8], to expected: TCPSegment, tail: Int = 6, _ message: String = "",
                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertOutcome(decode(packet, as: .ethernet), .segment(expected), message, file: file, line: line)
        let outerHeaders = packet[23] == 17 ? 14 + 20 + 8 : 14 + 20
        assertEveryCut(packet, as: .ethernet, headersEnd: packet.count - tail, expected: .segment(expected),
                       tunnelStart: outerHeaders, message, file: file, line: line)
    }

    func testVXLANOnBothPortsCarriesAnEthernetFrame() {
        assertOpens(overUDP(4789, Build.vxlan(innerV4)), to: segmentV4.in(.vxlan))
        assertOpens(overUDP(8472, Build.vxlan(innerV4)), to: segmentV4.in(.vxlan))
        // VXLAN-GBP sets G (0x80) beside I: still VXLAN.
        assertOpens(overUDP(4789, Build.vxlan(flags: 0x88, innerV4)), to: segmentV4.in(.vxlan))
    }

    func testVXLANWithoutItsIFlagAndOtherPortsAreJustUDP() {
        XCTAssertSkipped(decode(overUDP(4789, Build.vxlan(flags: 0x00, innerV4)), as: .ethernet), .notTCP)
        XCTAssertSkipped(decode(overUDP(4790, Build.vxlan(innerV4)), as: .ethernet), .notTCP)
        XCTAssertSkipped(decode(overUDP(53, Build.vxlan(innerV4)), as: .ethernet), .notTCP)
    }

    /// A UDP port declared as VXLAN (`--vxlan-port`) is opened as 4789 is, cuts inside it
    /// included; undeclared, the same packet is UDP, named by its port and shaped like VXLAN.
    func testADeclaredPortIsOpenedAsVXLAN() throws {
        let packet = overUDP(9999, Build.vxlan(innerV4))
        XCTAssertOutcome(decode(packet, as: .ethernet), .udp(UDPDatagram(destinationPort: 9999, looksLikeVXLAN: true)))
        let decoder = PacketDecoder(linkType: .ethernet, vxlanPorts: try XCTUnwrap(VXLANPorts([7777, 9999])))
        XCTAssertOutcome(withBytes(packet) { decoder.decode($0) }, .segment(segmentV4.in(.vxlan)))
        let outer = 14 + 20 + 8
        for cut in outer..<(packet.count - 6) {
            XCTAssertOutcome(withBytes(Array(packet.prefix(cut))) { decoder.decode($0) }, .skipped(.truncatedInTunnel), "cut \(cut)")
        }
        // Every link type hands the ports inwards, tunnels inside tunnels too.
        let sll2 = Build.sll2(protocol: 0x0800, Array(packet.dropFirst(14)))
        XCTAssertOutcome(withBytes(sll2) { PacketDecoder(linkType: .linuxSLL2, vxlanPorts: decoder.vxlanPorts).decode($0) },
                         .segment(segmentV4.in(.vxlan)))
        let inGRE = overGRE(Build.gre(protocolType: 0x0800, Array(packet.dropFirst(14))))
        XCTAssertOutcome(withBytes(inGRE) { decoder.decode($0) }, .segment(segmentV4.in(.gre)))
        // Other UDP stays UDP with the ports declared.
        XCTAssertOutcome(withBytes(overUDP(53, Build.vxlan(innerV4))) { decoder.decode($0) },
                         .udp(UDPDatagram(destinationPort: 53, looksLikeVXLAN: true)))
    }

    /// UDP not opened names its destination port, and says whether it is shaped like VXLAN:
    /// the I flag (G beside it allowed), the last reserved byte zero, an Ethernet frame of
    /// IP, ARP or a VLAN tag.
    func testUDPNotOpenedNamesItsPortAndWhetherItLooksLikeVXLAN() {
        func datagram(_ port: UInt16, _ payload: [UInt8]) -> DecodeOutcome { decode(overUDP(port, payload), as: .ethernet) }
        func udp(_ port: UInt16, _ shaped: Bool) -> DecodeOutcome { .udp(UDPDatagram(destinationPort: port, looksLikeVXLAN: shaped)) }
        XCTAssertOutcome(datagram(9999, Build.vxlan(flags: 0x88, innerV4)), udp(9999, true))
        XCTAssertOutcome(datagram(9999, Build.vxlan(Build.ethernet(etherType: 0x0806, [UInt8](repeating: 0, count: 28)))), udp(9999, true))
        XCTAssertOutcome(datagram(9999, Build.vxlan(flags: 0x0C, innerV4)), udp(9999, false))
        XCTAssertOutcome(datagram(9999, Build.vxlan(Build.ethernet(etherType: 0x88CC, []))), udp(9999, false))
        XCTAssertOutcome(datagram(9999, Array(Build.vxlan(innerV4).prefix(8 + 13))), udp(9999, false))
        XCTAssertOutcome(datagram(53, [UInt8](repeating: 0xBB, count: 40)), udp(53, false))
        XCTAssertOutcome(datagram(53, []), udp(53, false))
        // A header that is not what its port promises is UDP to that port.
        XCTAssertOutcome(datagram(4789, Build.vxlan(flags: 0x00, innerV4)), udp(4789, false))
        XCTAssertOutcome(datagram(6081, Build.geneve(version: 1, innerV4)), udp(6081, false))
        XCTAssertEqual(udp(53, false).skipReason, .notTCP)
    }

    func testDeclaredPortsAreAtMostEightNonZeroPorts() throws {
        let ports = try XCTUnwrap(VXLANPorts([9999, 9999, 7777]))
        XCTAssertEqual(ports.ports, [9999, 7777])
        XCTAssertTrue(ports.contains(7777))
        XCTAssertFalse(ports.contains(0))
        XCTAssertFalse(ports.contains(4789))
        XCTAssertTrue(VXLANPorts().isEmpty)
        XCTAssertFalse(VXLANPorts().contains(0))
        XCTAssertNotNil(VXLANPorts((1...8).map { UInt16($0) }))
        XCTAssertNil(VXLANPorts((1...9).map { UInt16($0) }))
        XCTAssertNil(VXLANPorts([0]))
    }

    func testGeneveSkipsItsOptionsAndCarriesEthernetOrIP() {
        assertOpens(overUDP(6081, Build.geneve(innerV4)), to: segmentV4.in(.geneve))
        assertOpens(overUDP(6081, Build.geneve(options: [UInt8](repeating: 0x11, count: 12), innerV4)), to: segmentV4.in(.geneve))
        assertOpens(overUDP(6081, Build.geneve(protocolType: 0x86DD, Build.ipv6(Build.tcp(payload: 6)))),
                    to: defaultV6Segment(payloadLength: 6).in(.geneve))
        XCTAssertSkipped(decode(overUDP(6081, Build.geneve(version: 1, innerV4)), as: .ethernet), .notTCP)
        // Network Service Header: a tunnel the decoder does not open.
        XCTAssertSkipped(decode(overUDP(6081, Build.geneve(protocolType: 0x894F, innerV4)), as: .ethernet), .tunnel)
    }

    func testGeneveOptionsPastTheDatagramAreMalformed() {
        // 63 words of options declared, 6 bytes of datagram after the fixed header.
        let packet = overUDP(6081, [0x3F, 0, 0x65, 0x58, 0, 0, 7, 0] + [UInt8](repeating: 0, count: 6))
        XCTAssertSkipped(decode(packet, as: .ethernet), .malformed)
    }

    func testGREFieldsMoveTheInnerPacket() {
        let inner = Build.ipv4(Build.tcp(payload: 6))
        assertOpens(overGRE(Build.gre(protocolType: 0x0800, inner)), to: segmentV4.in(.gre))
        assertOpens(overGRE(Build.gre(checksum: true, key: 7, sequence: 9, protocolType: 0x0800, inner)), to: segmentV4.in(.gre))
        assertOpens(overGRE(Build.gre(key: 7, protocolType: 0x86DD, Build.ipv6(Build.tcp(payload: 6)))),
                    to: defaultV6Segment(payloadLength: 6).in(.gre))
        // GRETAP: an Ethernet frame, whose VLAN tag is kept when the outer frame had none.
        let tagged = Build.ethernet(etherType: 0x0800, tags: [(0x8100, 30)], Build.ipv4(Build.tcp(payload: 6)))
        var segment = segmentV4.in(.gre)
        segment.vlan = 30
        assertOpens(overGRE(Build.gre(protocolType: 0x6558, tagged)), to: segment)
    }

    func testGREThatIsNotOpenedIsATunnel() {
        let inner = Build.ipv4(Build.tcp())
        XCTAssertSkipped(decode(overGRE(Build.gre(key: 1, version: 1, protocolType: 0x880B, inner)), as: .ethernet), .tunnel)
        XCTAssertSkipped(decode(overGRE(Build.gre(routing: true, protocolType: 0x0800, inner)), as: .ethernet), .tunnel)
        XCTAssertSkipped(decode(overGRE(Build.gre(protocolType: 0x8847, inner)), as: .ethernet), .tunnel)
    }

    func testERSPANTypesOneTwoAndThree() {
        assertOpens(overGRE(Build.gre(protocolType: 0x88BE, innerV4)), to: segmentV4.in(.erspan))
        assertOpens(overGRE(Build.gre(sequence: 1, protocolType: 0x88BE, Build.erspanII(vlan: 12, innerV4))), to: segmentV4.in(.erspan))
        assertOpens(overGRE(Build.gre(sequence: 1, protocolType: 0x22EB, Build.erspanIII(innerV4))), to: segmentV4.in(.erspan))
        assertOpens(overGRE(Build.gre(sequence: 1, protocolType: 0x22EB, Build.erspanIII(subheader: true, innerV4))),
                    to: segmentV4.in(.erspan))
        assertOpens(overGRE(Build.gre(sequence: 1, protocolType: 0x22EB, Build.erspanIII(frameType: 2, Build.ipv4(Build.tcp(payload: 6))))),
                    to: segmentV4.in(.erspan))
        // An ERSPAN version the decoder does not know.
        var unknown = Build.erspanII(innerV4)
        unknown[0] = 0x30
        XCTAssertSkipped(decode(overGRE(Build.gre(sequence: 1, protocolType: 0x88BE, unknown)), as: .ethernet), .tunnel)
    }

    func testNestedTunnelsNameTheOutermostAndStopAtTheMaximumDepth() {
        // A mirror session (ERSPAN) of an overlay node's port (VXLAN).
        let vxlanFrame = Build.ethernet(etherType: 0x0800, Build.ipv4(protocol: 17, Build.udp(destinationPort: 4789, carrying: Build.vxlan(innerV4))))
        assertOpens(overGRE(Build.gre(sequence: 1, protocolType: 0x88BE, Build.erspanII(vxlanFrame))), to: segmentV4.in(.erspan))
        var packet = Build.ipv4(Build.tcp())
        for _ in 0..<Int(Encapsulation.maximumDepth) { packet = Build.ipv4(protocol: 4, packet) }
        XCTAssertOutcome(decode(packet, as: .ipv4), .segment(defaultSegment().in(.ipInIP)))
        XCTAssertSkipped(decode(Build.ipv4(protocol: 4, packet), as: .ipv4), .tunnel)
    }

    func testTheInnerPayloadIsFoundAtTheEndOfThePacket() {
        let packet = overUDP(4789, Build.vxlan(innerV4))
        withBytes(packet) { bytes in
            guard case .segment(let segment) = PacketDecoder(linkType: .ethernet).decode(bytes) else { return XCTFail("no segment") }
            XCTAssertEqual(Array(segment.capturedPayload(in: bytes)), [UInt8](repeating: 0xAA, count: 6))
        }
    }

    func testTheTunnelFitsInTheSegmentsSixtyFourBytes() {
        XCTAssertLessThanOrEqual(MemoryLayout<TCPSegment>.stride, 64)
    }

    func testEveryByteAfterATunnelHeaderEndsOrDecodes() {
        // Random inner bytes behind each tunnel header: whatever they say, decoding returns.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let noise = (0..<Int.random(in: 0...80, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            for packet in [overUDP(4789, Build.vxlan(noise)), overUDP(6081, noise), overGRE(noise),
                           overGRE(Build.gre(sequence: 1, protocolType: 0x22EB, noise)),
                           Build.ethernet(etherType: 0x0800, Build.ipv4(protocol: 4, noise))] {
                _ = decode(packet, as: .ethernet)
            }
        }
    }
}
