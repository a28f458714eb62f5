import Audit
import Foundation
import PcapKit
import Policy
import Wire
import XCTest

/// Which segments the reader marks damaged (`TCPSegment.judgeChecksum`, `Checksum`), on
/// real captures: the packets a relay damaged, and none of the good packets whose sums
/// tshark also calls incorrect (checksum offload's pseudo-header sum, GRO's and TSO's
/// super-packets), nor packets the snapshot length cut.
final class ChecksumCaptureTests: XCTestCase {
    /// The frames of `name` whose segment is marked damaged, judged as the reader judges it.
    func damagedFrames(_ path: String) throws -> [Int] {
        let file = try CaptureFile(path: path)
        let decoder = PacketDecoder(linkType: LinkType(rawValue: file.linkType))
        var frame = 0, damaged: [Int] = []
        _ = file.forEachPacket { header, bytes in
            frame += 1
            let uncaptured = Int(header.believedWireLength) - bytes.count
            guard case .segment(var segment) = decoder.decode(bytes, uncaptured: uncaptured) else { return }
            segment.judgeChecksum(in: bytes)
            if segment.checksumFailed { damaged.append(frame) }
        }
        return damaged
    }

    /// captures/damaged-packets-veth.pcap: frames 31 (a FIN whose destination port became
    /// 11811), 49 (a request whose source port changed), 65 (a FIN whose IPv4 source address
    /// changed: the IPv4 header checksum is wrong) and 90 (an ACK whose sequence number
    /// changed), the four the server's kernel dropped (tshark's `tcp.checksum.status == 0`
    /// and `ip.checksum.status == 0`, less the server's 51 offloaded packets).
    func testTheDamagedSegmentsAreTheOnesTheReceiverDropped() throws {
        XCTAssertEqual(try damagedFrames(capture("damaged-packets-veth.pcap")), [31, 49, 65, 90])
    }

    /// captures/damaged-teardown-veth.pcap: frames 8 and 37 (the client's RSTs), 22 and 23
    /// (the client's and the server's FIN), forged with wrong sums, the four the kernels
    /// dropped; the server's packets, sent with checksum offload, are good.
    func testTheForgedEndsAreTheDamagedSegments() throws {
        XCTAssertEqual(try damagedFrames(capture("damaged-teardown-veth.pcap")), [8, 22, 23, 37])
    }

    /// Every bundled capture, with its packets offloaded (most were recorded on veths and
    /// loopback, where each packet sent holds the pseudo-header sum), cut by the snapshot
    /// length, tunneled, fragmented, or merged by GRO: none is marked damaged but the four
    /// of each of the two damaged captures, and the 572 whole segments of the anonymized one,
    /// whose every sum covers its old addresses (its audit does not judge them:
    /// `AnonymizedCaptureTests`). The SYNs `nmap --badsum` sent with wrong sums (62 and 242)
    /// are not summed: a connection request starts its connection damaged or not.
    func testNoBundledCaptureHasDamagedSegmentsButTheDamagedOnes() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: capturesDirectory.path)
            .filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted()
        XCTAssertGreaterThan(names.count, 100)
        var damaged: [String: Int] = [:]
        for name in names {
            let frames = try damagedFrames(capture(name))
            if !frames.isEmpty { damaged[name] = frames.count }
        }
        XCTAssertEqual(damaged, ["damaged-packets-veth.pcap": 4, "damaged-teardown-veth.pcap": 4,
                                 "anonymized-bittwiste-veth-s200.pcap": 572])
    }

    /// The bytes of frame `number` of `path`, and its link type.
    func frame(_ number: Int, of path: String) throws -> (bytes: [UInt8], decoder: PacketDecoder) {
        let file = try CaptureFile(path: path)
        var count = 0, bytes: [UInt8] = []
        _ = file.forEachPacket { _, packet in
            count += 1
            if count == number { bytes = Array(packet) }
        }
        return (bytes, PacketDecoder(linkType: LinkType(rawValue: file.linkType)))
    }

    func isDamaged(_ bytes: [UInt8], _ decoder: PacketDecoder) -> Bool? {
        bytes.withUnsafeBytes {
            guard case .segment(var segment) = decoder.decode($0) else { return nil }
            segment.judgeChecksum(in: $0)
            return segment.checksumFailed
        }
    }

    /// An IPv6 segment (frame 41 of captures/scan-xmas-g7613-v6-veth.pcap, nmap's Xmas probe
    /// from [fd81::1]:7613, whose sum is right): a bit flipped in its source port marks it,
    /// as the IPv6 pseudo-header's sum tells; with its checksum replaced by the offloaded
    /// pseudo-header sum, or by 0, it is good.
    func testAnIPv6SegmentIsJudgedWithItsOwnPseudoHeader() throws {
        let (good, decoder) = try frame(41, of: capture("scan-xmas-g7613-v6-veth.pcap"))
        XCTAssertEqual(good.count, 74)
        XCTAssertEqual(isDamaged(good, decoder), false)
        var portFlipped = good
        portFlipped[54] ^= 0x01
        XCTAssertEqual(isDamaged(portFlipped, decoder), true)
        // The pseudo-header's folded sum: both addresses (bytes 22..<54), 6, the TCP length.
        var sum = 6 + 20
        for offset in stride(from: 22, to: 54, by: 2) { sum += Int(good[offset]) << 8 | Int(good[offset + 1]) }
        while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
        var offloaded = portFlipped
        (offloaded[70], offloaded[71]) = (UInt8(sum >> 8), UInt8(sum & 0xFF))
        XCTAssertEqual(isDamaged(offloaded, decoder), false)
        var zero = portFlipped
        (zero[70], zero[71]) = (0, 0)
        XCTAssertEqual(isDamaged(zero, decoder), false)
    }

    /// A damaged segment the capture's snapshot length cut (frame 49 of
    /// captures/damaged-packets-veth.pcap, the request whose source port changed, kept to
    /// 96 bytes as `tcpdump -s 96` keeps it) cannot be summed: it is taken as good.
    func testACutSegmentIsNotJudged() throws {
        let (whole, decoder) = try frame(49, of: capture("damaged-packets-veth.pcap"))
        XCTAssertEqual(isDamaged(whole, decoder), true)
        XCTAssertEqual(isDamaged(Array(whole.prefix(96)), decoder), false)
    }

    /// captures/offload-super-packets-veth.pcap: one connection whose data went as GRO's
    /// and TSO's super-packets, each with the pseudo-header sum. Audited as before: one
    /// connection of all 20 packets, 40,000 bytes up and 20,000 down, nothing skipped.
    func testSuperPacketsWithOffloadedSumsAreAuditedAsBefore() throws {
        let result = Auditor(policy: Policy(offset: 0)).audit(paths: [capture("offload-super-packets-veth.pcap")])
        let input = try XCTUnwrap(result.inputs.first)
        XCTAssertEqual(input.skipped, [:])
        XCTAssertEqual(input.tcpSegments, 20)
        XCTAssertEqual(result.services.map { "\($0.address):\($0.port) \($0.connections) \($0.packets) \($0.payloadBytes)" },
                       ["10.39.1.1:9763 1 20 60000"])
    }
}
