import Wire
import XCTest

/// A snapshot length that keeps TCP's fixed 20 bytes but cuts its options: `tcpdump -i any
/// -s 96` keeps 20 (SLL2) + 40 (IPv6) + 36 of an IPv6 SYN's 40 TCP bytes (MSS, SACK
/// permitted, timestamps, window scale). The segment is decoded from its fixed header:
/// ports, flags, numbers, window; the payload length from the IP lengths; no payload captured.
final class CutTCPOptionsTests: XCTestCase {
    /// Bytes from their hex, spaces ignored.
    private func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.filter { !$0.isWhitespace })
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
    }

    /// `captures/das-offset3-any.pcap`, packet 56: a real IPv6 SYN (::1 49310 -> ::1 7614)
    /// in a Linux SLL2 frame, whole (100 bytes).
    private var sll2SYN: [UInt8] {
        bytes("""
            86dd0000 00000001 03040006 00000000 00000000
            6006988a 00280640 00000000 00000000 00000000 00000001 00000000 00000000 00000000 00000001
            c09e1dbe bcfb21d7 00000000 a002ffc4 00300000 0204ffc4 0402080a d76db785 00000000 0103030a
            """)
    }

    /// `captures/das-offset3-lo.pcap`, packet 56: the same scenario's IPv6 SYN on Ethernet (94 bytes).
    private var ethernetSYN: [UInt8] {
        bytes("""
            00000000 00000000 00000000 86dd
            6000932f 00280640 00000000 00000000 00000000 00000001 00000000 00000000 00000000 00000001
            c5d81dbe fdbb4b75 00000000 a002ffc4 00300000 0204ffc4 0402080a 7eb53664 00000000 0103030a
            """)
    }

    private func syn(sourcePort: UInt16, sequenceNumber: UInt32) -> TCPSegment {
        TCPSegment(source: IPAddress("::1")!, destination: IPAddress("::1")!, sourcePort: sourcePort,
                   destinationPort: 7614, flags: [.syn], sequenceNumber: sequenceNumber)
    }

    /// Every cut of `packet`: truncated before the end of TCP's fixed header (`link` + 40 +
    /// 20 bytes), the SYN from there on, with the same identity and no payload captured.
    private func assertEveryCut(_ packet: [UInt8], as linkType: LinkType, link: Int, expected: TCPSegment,
                                copyIdentity: UInt32, file: StaticString = #filePath, line: UInt = #line) {
        let fixedEnd = link + 40 + 20
        XCTAssertEqual(packet.count, fixedEnd + 20, "40 TCP bytes: 20 of options", file: file, line: line)
        for cut in 0...packet.count {
            let prefix = Array(packet.prefix(cut))
            let outcome = decode(prefix, as: linkType)
            guard cut >= fixedEnd else {
                XCTAssertSkipped(outcome, .truncated, "cut \(cut)", file: file, line: line)
                continue
            }
            XCTAssertOutcome(outcome, .segment(expected), "cut \(cut)", file: file, line: line)
            guard case .segment(let segment) = outcome else { continue }
            XCTAssertEqual(segment.copyIdentity, copyIdentity, "cut \(cut)", file: file, line: line)
            XCTAssertEqual(segment.capturedTail, 0, "cut \(cut)", file: file, line: line)
            withBytes(prefix) { XCTAssertEqual(segment.capturedPayload(in: $0).count, 0, "cut \(cut)", file: file, line: line) }
        }
    }

    func testARealIPv6SYNInSLL2DecodesFromItsFixedHeaderOn() {
        assertEveryCut(sll2SYN, as: .linuxSLL2, link: 20, expected: syn(sourcePort: 49310, sequenceNumber: 3_170_574_807),
                       copyIdentity: 0x988A << 16 | (0x0030 ^ 0xFFC4))
    }

    func testARealIPv6SYNOnEthernetDecodesFromItsFixedHeaderOn() {
        assertEveryCut(ethernetSYN, as: .ethernet, link: 14, expected: syn(sourcePort: 50648, sequenceNumber: 4_256_910_197),
                       copyIdentity: 0x932F << 16 | (0x0030 ^ 0xFFC4))
    }

    /// A data segment whose options were cut: its payload length is the IP length's, none of
    /// it captured (the sample is "not captured", its protocol `unknown`).
    func testAPayloadBehindCutOptionsIsCountedButNotCaptured() {
        let timestamps: [UInt8] = [1, 1, 8, 10] + [UInt8](repeating: 7, count: 8)
        for (packet, linkType) in [(Build.ethernet(etherType: 0x0800, Build.ipv4(Build.tcp(options: timestamps, payload: 100))), LinkType.ethernet),
                                   (Build.sll2(protocol: 0x86DD, Build.ipv6(Build.tcp(options: timestamps, payload: 100))), .linuxSLL2)] {
            let fixedEnd = packet.count - 100 - timestamps.count
            for cut in fixedEnd..<(fixedEnd + timestamps.count) {
                let prefix = Array(packet.prefix(cut))
                guard case .segment(let segment) = decode(prefix, as: linkType) else { return XCTFail("cut \(cut)") }
                XCTAssertEqual(segment.payloadLength, 100, "cut \(cut)")
                withBytes(prefix) { XCTAssertEqual(segment.capturedPayload(in: $0).count, 0, "cut \(cut)") }
            }
        }
    }
}
