import Wire
import XCTest

/// PPP and Cisco HDLC, a router's serial links: frames built here for each framing rule,
/// and real frames (their headers, cut after the TCP header's first bytes of options) from
/// the test captures of tcpdump 4.99.3 and nDPI 4.2, which scripts/third-party-captures.sh
/// reads whole.
final class PointToPointTests: XCTestCase {
    /// PPP's protocol field, in HDLC-like framing, bare, and compressed to one byte.
    func testPPPCarriesIPv4InEveryFramingOfItsProtocolField() {
        let ip = Build.ipv4(Build.tcp(payload: 3))
        for (header, name) in [([0xFF, 0x03, 0x00, 0x21], "HDLC-like"), ([0x00, 0x21], "bare"), ([0x21], "compressed")]
            as [([UInt8], String)] {
            for linkType in [LinkType.ppp, .pppSerial] {
                let frame = header + ip
                XCTAssertOutcome(decode(frame, as: linkType), .segment(defaultSegment(payloadLength: 3)), name)
                assertEveryCut(frame, as: linkType, headersEnd: header.count + 40,
                               expected: .segment(defaultSegment(payloadLength: 3)), name)
            }
        }
    }

    func testPPPCarriesIPv6AndMPLS() {
        let v6 = [0xFF, 0x03, 0x00, 0x57] + Build.ipv6(Build.tcp(payload: 2))
        XCTAssertOutcome(decode(v6, as: .ppp), .segment(defaultV6Segment(payloadLength: 2)))
        assertEveryCut(v6, as: .ppp, headersEnd: 64, expected: .segment(defaultV6Segment(payloadLength: 2)))
        for mpls: [UInt8] in [[0x02, 0x81], [0x02, 0x83]] {
            let labelled = [0xFF, 0x03] + mpls + Build.mpls(labels: [100], Build.ipv4(Build.tcp()))
            XCTAssertOutcome(decode(labelled, as: .ppp), .segment(defaultSegment()))
            assertEveryCut(labelled, as: .ppp, headersEnd: 48, expected: .segment(defaultSegment()))
        }
    }

    func testPPPsOwnProtocolsAreNotIPAndCompressedTCPIsATunnelNotOpened() {
        // LCP, IPCP, IPV6CP, CHAP: the link's own negotiation.
        for proto: [UInt8] in [[0xC0, 0x21], [0x80, 0x21], [0x80, 0x57], [0xC2, 0x23]] {
            XCTAssertSkipped(decode([0xFF, 0x03] + proto + Build.ipv4(Build.tcp()), as: .ppp), .notIP)
        }
        // Van Jacobson's TCP/IP header compression: TCP that one frame alone cannot give.
        for proto: [UInt8] in [[0x00, 0x2D], [0x00, 0x2F]] {
            XCTAssertSkipped(decode([0xFF, 0x03] + proto + Build.ipv4(Build.tcp()), as: .ppp), .tunnel)
        }
    }

    func testCiscoHDLCCarriesEtherTypesOnItsOwnLinkTypeAndInPPPFiles() {
        for address: UInt8 in [0x0F, 0x8F] {
            let v4 = [address, 0x00, 0x08, 0x00] + Build.ipv4(Build.tcp(payload: 1))
            let v6 = [address, 0x00, 0x86, 0xDD] + Build.ipv6(Build.tcp(payload: 1))
            for linkType in [LinkType.ciscoHDLC, .ppp, .pppSerial] {
                XCTAssertOutcome(decode(v4, as: linkType), .segment(defaultSegment(payloadLength: 1)))
                assertEveryCut(v4, as: linkType, headersEnd: 44, expected: .segment(defaultSegment(payloadLength: 1)))
                XCTAssertOutcome(decode(v6, as: linkType), .segment(defaultV6Segment(payloadLength: 1)))
            }
        }
        // SLARP keepalives and CDP: Cisco's own, no IP.
        for proto: [UInt8] in [[0x80, 0x35], [0x20, 0x00]] {
            let frame = [0x8F, 0x00] + proto + [UInt8](repeating: 0, count: 20)
            XCTAssertSkipped(decode(frame, as: .ciscoHDLC), .notIP)
            assertEveryCut(frame, as: .ciscoHDLC, headersEnd: 4, expected: .skipped(.notIP))
        }
        for length in 0..<4 { withBytes([0x0F, 0x00, 0x08, 0x00].prefix(length).map { $0 }) { XCTAssertNil(CiscoHDLCFrame($0)) } }
    }

    func testThePPPViewReadsWhereTheProtocolFieldEnds() {
        withBytes([0xFF, 0x03, 0x00, 0x21, 9]) { bytes in
            XCTAssertEqual(PPPFrame(bytes)?.protocolNumber, 0x0021)
            XCTAssertEqual(PPPFrame(bytes).map { Array($0.payload) }, [9])
        }
        withBytes([0x21, 9]) { XCTAssertEqual(PPPFrame($0).map { Array($0.payload) }, [9]) }
        // Framing alone, or framing and half a protocol field: no view.
        for cut: [UInt8] in [[], [0xFF, 0x03], [0xFF, 0x03, 0x00], [0x00]] { withBytes(cut) { XCTAssertNil(PPPFrame($0)) } }
    }

    // MARK: - Real frames

    /// A frame of a third-party capture, cut after the TCP header's first option bytes, and
    /// the segment tshark reads in it.
    struct RealFrame {
        let source: String
        let linkType: LinkType
        let bytes: [UInt8]
        let headersEnd: Int
        let segment: TCPSegment
    }

    static let realFrames = [
        RealFrame(source: "nDPI's BGP_redist.pcap (Cisco HDLC), frame 1: BGP under MPLS label 18",
                  linkType: .ciscoHDLC, bytes: [
                      0x0f, 0x00, 0x88, 0x47, 0x00, 0x01, 0x2d, 0xfe, 0x45, 0xc0, 0x00, 0x9b, 0x93, 0xcc, 0x40, 0x00,
                      0xff, 0x06, 0xda, 0xc4, 0x02, 0x02, 0x02, 0x02, 0x04, 0x04, 0x04, 0x04, 0x00, 0xb3, 0xf8, 0x2f,
                      0xd5, 0xa8, 0x6c, 0x49, 0x3c, 0x92, 0xf6, 0x50, 0x50, 0x18, 0x3f, 0xb4, 0x0e, 0xa1, 0x00, 0x00,
                      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                  ], headersEnd: 48,
                  segment: TCPSegment(source: IPAddress(ipv4: 0x0202_0202), destination: IPAddress(ipv4: 0x0404_0404),
                                      sourcePort: 179, destinationPort: 63535, flags: [.psh, .ack],
                                      sequenceNumber: 3_584_584_777, acknowledgmentNumber: 1_016_264_272,
                                      payloadLength: 115)),
        RealFrame(source: "nDPI's BGP_Cisco_hdlc_slarp.pcap (a PPP file of Cisco HDLC frames), frame 1: a SYN to BGP",
                  linkType: .ppp, bytes: [
                      0x0f, 0x00, 0x08, 0x00, 0x45, 0xc0, 0x00, 0x2c, 0xf8, 0x92, 0x40, 0x00, 0x01, 0x06, 0xb6, 0x56,
                      0x64, 0x10, 0x01, 0x02, 0x64, 0x10, 0x01, 0x01, 0x47, 0x94, 0x00, 0xb3, 0xbc, 0xea, 0x75, 0xd1,
                      0x00, 0x00, 0x00, 0x00, 0x60, 0x02, 0x40, 0x00, 0x13, 0x00, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4,
                  ], headersEnd: 44,
                  segment: TCPSegment(source: IPAddress(ipv4: 0x6410_0102), destination: IPAddress(ipv4: 0x6410_0101),
                                      sourcePort: 18324, destinationPort: 179, flags: .syn, sequenceNumber: 3_169_482_193)),
        RealFrame(source: "tcpdump's bgp_vpn_attrset.pcap (PPP in HDLC-like framing), its one frame: a BGP update",
                  linkType: .ppp, bytes: [
                      0xff, 0x03, 0x00, 0x21, 0x45, 0xc0, 0x00, 0xad, 0xe5, 0x04, 0x00, 0x00, 0x3e, 0x06, 0x79, 0x7d,
                      0x0c, 0x04, 0x04, 0x04, 0x0c, 0x01, 0x01, 0x01, 0x08, 0x03, 0x00, 0xb3, 0xc4, 0x48, 0x60, 0x45,
                      0xc7, 0x90, 0x15, 0x26, 0x80, 0x18, 0x40, 0x00, 0xcf, 0x18, 0x00, 0x00, 0x01, 0x01, 0x08, 0x0a,
                      0x00, 0x05, 0xd8, 0x9b, 0x00, 0x0d, 0x95, 0xbb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                  ], headersEnd: 44,
                  segment: TCPSegment(source: IPAddress(ipv4: 0x0C04_0404), destination: IPAddress(ipv4: 0x0C01_0101),
                                      sourcePort: 2051, destinationPort: 179, flags: [.psh, .ack],
                                      sequenceNumber: 3_293_077_573, acknowledgmentNumber: 3_348_108_582,
                                      payloadLength: 121)),
        RealFrame(source: "tcpdump's lspping-fec-ldp.pcap (PPP), frame 1: BGP under MPLS label 100656 (protocol 0x0281)",
                  linkType: .ppp, bytes: [
                      0xff, 0x03, 0x02, 0x81, 0x18, 0x93, 0x0d, 0x40, 0x45, 0xc0, 0x00, 0x47, 0x9f, 0x0f, 0x00, 0x00,
                      0x40, 0x06, 0xb6, 0xca, 0x0c, 0x04, 0x04, 0x04, 0x0c, 0x08, 0x08, 0x08, 0x10, 0x04, 0x00, 0xb3,
                      0x6e, 0xe7, 0x24, 0xa6, 0xb0, 0xfe, 0x80, 0x27, 0x80, 0x18, 0x40, 0x00, 0xfd, 0x1b, 0x00, 0x00,
                      0x01, 0x01, 0x08, 0x0a, 0x05, 0x0d, 0xb4, 0x18, 0x05, 0x0d, 0x7d, 0xbe, 0xff, 0xff, 0xff, 0xff,
                  ], headersEnd: 48,
                  segment: TCPSegment(source: IPAddress(ipv4: 0x0C04_0404), destination: IPAddress(ipv4: 0x0C08_0808),
                                      sourcePort: 4100, destinationPort: 179, flags: [.psh, .ack],
                                      sequenceNumber: 1_860_641_958, acknowledgmentNumber: 2_969_468_967,
                                      payloadLength: 19)),
    ]

    func testRealFramesOfRoutersLinksDecodeAsTsharkReadsThemAtEveryCut() {
        for frame in Self.realFrames {
            assertEveryCut(frame.bytes, as: frame.linkType, headersEnd: frame.headersEnd, expected: .segment(frame.segment),
                           frame.source)
        }
    }

    func testTheLinkTypesAreNamedAsLibpcapNamesThem() {
        XCTAssertEqual([LinkType.ppp, .pppSerial, .ciscoHDLC].map(\.name), ["PPP", "PPP_SERIAL", "C_HDLC"])
        XCTAssertTrue([LinkType.ppp, .pppSerial, .ciscoHDLC].allSatisfy { $0.isSupported && $0.isLive })
    }
}
