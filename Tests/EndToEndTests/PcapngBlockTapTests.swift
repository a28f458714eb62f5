import Flows
import Foundation
@testable import PcapKit
@testable import TrafficGenerator
import XCTest

/// A pcapng that libpcap reads from a stream dasaudit cannot read in place (a pipe, standard
/// input, a compressed file) names each packet's interface through its tap
/// (`PcapngBlockTap`), as the same file read in place does: a capture of several interfaces
/// audits the same however it is handed over.
final class PcapngBlockTapTests: XCTestCase {
    var scratch: ScratchDirectory!

    override func setUpWithError() throws { scratch = try scratchDirectory() }
    override func tearDown() { scratch = nil }

    /// The interfaces `bytes` names read in place from a file, from a pipe and gzip-compressed,
    /// with `filter`; checks the three agree, and that the packets are libpcap's.
    @discardableResult
    func assertInterfacesAlike(_ bytes: Data, filter: String? = nil, _ context: String,
                               line: UInt = #line) throws -> (interfaces: [UInt32?], atStart: Int) {
        let path = try scratch.file("capture.pcapng", bytes)
        let pipe = scratch.path("pipe-\(UUID().uuidString)")
        fifo(at: pipe, carrying: bytes)
        let compressed = scratch.path("capture.pcapng.gz")
        try runTool("gzip", ["-c", path], stdout: compressed)
        let reference = try CaptureFile(path: path, records: .libpcap)
        if let filter { try reference.setFilter(filter) }
        let expected = reference.recordDigest()
        var found: [(interfaces: [UInt32?], atStart: Int)] = []
        var drops: [String] = []
        for input in [path, pipe, compressed] {
            let file = try CaptureFile(path: input)
            if let filter { try file.setFilter(filter) }
            found.append((interfaceNumbers(of: file), file.interfacesAtStart))
            drops.append("\(file.statisticsRead) \(String(describing: file.recordedDrops))")
            // The packets are libpcap's (a compressed input's message says so too).
            let again = input == pipe ? nil : try CaptureFile(path: input)
            if let again {
                if let filter { try again.setFilter(filter) }
                let digest = again.recordDigest()
                XCTAssertEqual([digest.packets, Int(truncatingIfNeeded: digest.value)],
                               [expected.packets, Int(truncatingIfNeeded: expected.value)], "\(context): \(input)", line: line)
                XCTAssertEqual(digest.end == .endOfInput, expected.end == .endOfInput, "\(context): \(input)", line: line)
            }
        }
        XCTAssertEqual(drops, Array(repeating: drops[0], count: 3), "\(context): the recorded drops", line: line)
        XCTAssertEqual(found[1].interfaces, found[0].interfaces, "\(context): piped", line: line)
        XCTAssertEqual(found[2].interfaces, found[0].interfaces, "\(context): compressed", line: line)
        XCTAssertEqual(found.map(\.atStart), Array(repeating: found[0].atStart, count: 3), context, line: line)
        XCTAssertEqual(found[0].interfaces.count, expected.packets, context, line: line)
        return found[0]
    }

    /// The follower sees the same packet blocks whatever sizes of chunks the bytes come in:
    /// every size from 1 to 40 bytes, and random ones, over the real capture on three
    /// interfaces; it ends where each packet block ends, with its interface.
    func testTheFollowerReadsTheSameBlocksInChunksOfAnySize() throws {
        let bytes = [UInt8](try contents(capture("copies-dumpcap.pcapng")))
        let byTshark = try runTool("tshark", ["-r", capture("copies-dumpcap.pcapng"), "-T", "fields", "-e", "frame.interface_id"])
            .split(separator: "\n").map { UInt32($0) }
        func interfaces(chunks: [Int]) -> [UInt32?] {
            var follower = PcapngBlockFollower()
            var start = 0, chunk = 0
            while start < bytes.count {
                let end = min(bytes.count, start + chunks[chunk % chunks.count])
                bytes.withUnsafeBytes { follower.follow(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
                (start, chunk) = (end, chunk + 1)
            }
            XCTAssertEqual(follower.interfacesBeforeFirstPacket, 3)
            XCTAssertTrue(follower.isFollowing)
            return byTshark.map { _ in follower.interfaceOfNextPacket() }
        }
        XCTAssertEqual(byTshark.count, 264)
        for size in 1...40 { XCTAssertEqual(interfaces(chunks: [size]), byTshark, "chunks of \(size)") }
        var generator = SplitMix(seed: 0xF0_11_0E)
        for round in 0..<20 {
            let chunks = (0..<7).map { _ in Int.random(in: 1...3_000, using: &generator) }
            XCTAssertEqual(interfaces(chunks: chunks), byTshark, "round \(round): \(chunks)")
        }
    }

    func testEveryBundledPcapngNamesTheSameInterfacesPipedAndCompressed() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: capturesDirectory.path)
            .filter { $0.hasSuffix(".pcapng") }.sorted()
        var several = 0
        for name in names {
            let (interfaces, atStart) = try assertInterfacesAlike(try contents(capture(name)), name)
            XCTAssertFalse(interfaces.contains(nil), name)
            if atStart > 1 { several += 1 }
        }
        XCTAssertEqual(several, 5)
    }

    /// Every kind of packet block, interfaces described between packets, blocks to skip,
    /// one larger than libpcap's stream buffer, a second section; then with filters, whose
    /// refused packets the tap passes by.
    func testEveryKindOfBlockNamesItsInterfaceThroughTheTap() throws {
        let packets = Array(pcapRecords(try contents(capture("das-offset3-lo.pcap"))).prefix(30))
        for swapped in [false, true] {
            var file = Pcapng(swapped: swapped)
            file.interface(resolution: nil, offset: nil)
            file.interface(resolution: 9, offset: nil)
            var written: [UInt32?] = []
            // Named over the file: the second section's interfaces after the first's two.
            var firstInterface: UInt32 = 0
            for (index, packet) in packets.enumerated() {
                let interface = UInt32(index % 2)
                file.enhancedPacket(packet.bytes, time: UInt64(index), interface: interface)
                written.append(firstInterface + interface)
                switch index {
                case 5: file.simplePacket(packet.bytes); written.append(0)
                case 9: file.block(type: 2, content: Pcapng.obsoletePacketContent(packet.bytes, swapped: swapped)); written.append(0)
                case 12: file.block(type: 0xBAD, content: Data(count: 600_000))
                case 15: file.statistics(interfaceDrops: 1, systemDrops: nil, interface: 1)
                case 20:
                    firstInterface = 2
                    file.section()
                    file.interface(resolution: 6, offset: nil)
                    file.interface(resolution: 6, offset: nil)
                    file.interface(resolution: 6, offset: nil)
                default: break
                }
            }
            let (interfaces, atStart) = try assertInterfacesAlike(file.bytes, "swapped \(swapped)")
            XCTAssertEqual(interfaces, written, "swapped \(swapped)")
            XCTAssertEqual(atStart, 2)
            for filter in ["tcp[tcpflags] & tcp-syn != 0", "tcp[tcpflags] & tcp-fin != 0", "udp"] {
                try assertInterfacesAlike(file.bytes, filter: filter, "swapped \(swapped), \(filter)")
            }
        }
    }

    /// A filter that refuses tens of thousands of packets in a row: the tap forgets the
    /// blocks libpcap passed by, and still names the interface of the one it returns.
    func testPacketsAFilterRefusesAreLetGo() throws {
        let records = pcapRecords(try contents(capture("das-offset3-lo.pcap")))
        let syn = try XCTUnwrap(records.first { $0.bytes.count > 47 && $0.bytes[47] & 0x12 == 0x02 })
        let other = try XCTUnwrap(records.first { $0.bytes.count > 47 && $0.bytes[47] & 0x02 == 0 })
        var file = Pcapng(swapped: false)
        file.interface(resolution: nil, offset: nil)
        file.interface(resolution: nil, offset: nil)
        for index in 0..<(PcapngBlockFollower.packetsKept + 5_000) {
            file.enhancedPacket(other.bytes, time: UInt64(index), interface: UInt32(index % 2))
        }
        file.enhancedPacket(syn.bytes, time: 1 << 40, interface: 1)
        file.enhancedPacket(other.bytes, time: 1 << 41, interface: 0)
        let (interfaces, _) = try assertInterfacesAlike(file.bytes, filter: "tcp[tcpflags] & tcp-syn != 0", "rare SYNs")
        XCTAssertEqual(interfaces, [1])
    }

    /// Past `PcapngRecordFormat.interfaceLimit` interfaces, no packet is named, piped as in
    /// place, and the statistics after them still count.
    func testPastTheInterfaceLimitNoPacketIsNamedButTheDropsCount() throws {
        let packets = Array(pcapRecords(try contents(capture("das-offset3-lo.pcap"))).prefix(6))
        var file = Pcapng(swapped: false)
        file.interface(resolution: nil, offset: nil)
        file.enhancedPacket(packets[0].bytes, time: 1)
        for _ in 0..<PcapngRecordFormat.interfaceLimit { file.interface(resolution: nil, offset: nil) }
        for index in 0..<12 { file.enhancedPacket(packets[index % packets.count].bytes, time: 2, interface: UInt32(index)) }
        file.statistics(interfaceDrops: 7, systemDrops: 3, interface: 4_000)
        let (interfaces, _) = try assertInterfacesAlike(file.bytes, "past the limit")
        XCTAssertEqual(interfaces, [0] + Array(repeating: nil, count: 12))
        let piped = scratch.path("limit-pipe")
        fifo(at: piped, carrying: file.bytes)
        let capture = try CaptureFile(path: piped)
        XCTAssertEqual(capture.recordDigest().packets, 13)
        XCTAssertEqual(capture.recordedDrops, RecordedDrops(interface: 7, system: 3))
    }

    /// A pcap stream leaves the tap idle; a pcapng whose blocks go wrong stops it where
    /// libpcap stops: the packets before are libpcap's, with their interfaces.
    func testOtherStreamsAndBrokenBlocksLeaveTheTapAsLibpcapLeavesThem() throws {
        let pcap = scratch.path("pipe.pcap")
        fifo(at: pcap, carrying: try contents(capture("das-offset3-lo.pcap")))
        let piped = try CaptureFile(path: pcap)
        XCTAssertEqual(piped.interfacesAtStart, 0)
        let interfaces = interfaceNumbers(of: piped)
        XCTAssertGreaterThan(interfaces.count, 100)
        XCTAssertEqual(Set(interfaces), [nil])

        let packets = Array(pcapRecords(try contents(capture("das-offset3-lo.pcap"))).prefix(6))
        var file = Pcapng(swapped: false)
        file.interface(resolution: nil, offset: nil)
        file.interface(resolution: nil, offset: nil)
        for (index, packet) in packets.enumerated() { file.enhancedPacket(packet.bytes, time: 1, interface: UInt32(index % 2)) }
        file.rawWords([6, 30, 0, 0])
        file.enhancedPacket(packets[0].bytes, time: 2)
        let (named, _) = try assertInterfacesAlike(file.bytes, "a length not a multiple of 4")
        XCTAssertEqual(named, [0, 1, 0, 1, 0, 1])
    }

    /// The audit of the real capture on three interfaces, handed over as a file, a pipe and
    /// zstd-compressed: the same services, each packet once.
    func testACaptureOfSeveralInterfacesAuditsTheSameHoweverHandedOver() throws {
        let path = capture("copies-dumpcap.pcapng")
        let pipe = scratch.path("pipe")
        fifo(at: pipe, carrying: try contents(path))
        let compressed = scratch.path("copies.pcapng.zst")
        try runTool("zstd", ["-q", "-c", path], stdout: compressed)
        var results: [String] = []
        for input in [path, pipe, compressed] {
            let command = try runDasaudit(["audit", input, "--offset", "0", "--format", "json"])
            let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(command.stdout.utf8)) as? [String: Any])
            let coverage = try XCTUnwrap(json["coverage"] as? [String: Any])
            XCTAssertEqual(coverage["skipped"] as? [String: Int], ["duplicate": 132], input)
            let services = try XCTUnwrap(json["services"] as? [[String: Any]])
            results.append(services.map { "\($0["port"] ?? "") \($0["packets"] ?? "") \($0["connections"] ?? "")" }.joined())
        }
        XCTAssertEqual(results, Array(repeating: "9763 132 6", count: 3))
    }
}
