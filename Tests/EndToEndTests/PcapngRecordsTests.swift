import Flows
import Foundation
@testable import PcapKit
@testable import TrafficGenerator
import XCTest

/// dasaudit reads a pcapng file's packet blocks itself, a megabyte at a time
/// (`readPcapngRecords`), gives the file to libpcap at each block it does not read (a new
/// interface or section, anything libpcap would refuse) up to libpcap's next packet, and
/// takes it back after that packet (`CaptureFile.readPcapngInPlace`). Read either way, a
/// file must give the same packets, times and lengths and the same end, in libpcap's own
/// words: real captures, every time resolution and offset, every kind of block, files cut
/// at every length and corrupted anywhere. Read in place, each packet also names the
/// interface it came from.
final class PcapngRecordsTests: XCTestCase {
    var scratch: ScratchDirectory!

    override func setUpWithError() throws { scratch = try scratchDirectory() }
    override func tearDown() { scratch = nil }

    /// Reads `bytes` both ways from a file and checks they agree, whether dasaudit started
    /// in place (unless `inPlace` is nil) and whether it handed the file back to libpcap on
    /// the way (unless `handsBack` is nil); returns what was read, nil when libpcap refused
    /// the file (and so did dasaudit).
    @discardableResult
    func assertReadAlike(_ bytes: Data, inPlace: Bool? = true, handsBack: Bool? = nil, _ context: @autoclosure () -> String = "",
                         file: StaticString = #filePath, line: UInt = #line) throws -> RecordDigest? {
        try assertReadsAsLibpcap(try scratch.file("case.pcapng", bytes), inPlace: inPlace, handsBack: handsBack, context(),
                                 file: file, line: line)
    }

    /// Real packets, from a bundled capture.
    func realPackets(_ count: Int = 12) throws -> [(seconds: UInt32, fraction: UInt32, length: UInt32, bytes: Data)] {
        Array(pcapRecords(try contents(capture("das-offset3-lo.pcap"))).prefix(count))
    }

    func testEveryBundledPcapngCaptureIsReadInPlaceAsLibpcapReadsIt() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: capturesDirectory.path)
            .filter { $0.hasSuffix(".pcapng") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 3)
        for name in names {
            // Every one is read in place to its end, a pcapng of several interfaces
            // (dumpcap's) too: libpcap reads its second Interface Description Block and the
            // ones after, up to the first packet, and gives the file back.
            let digest = try XCTUnwrap(try assertReadAlike(try contents(capture(name)), handsBack: false, name))
            XCTAssertGreaterThanOrEqual(digest.packets, 60, name)
            XCTAssertEqual(digest.end, .endOfInput, name)
            // Each packet names its interface as tshark numbers them.
            let file = try CaptureFile(path: capture(name))
            let interfaces = interfaceNumbers(of: file)
            let byTshark = try runTool("tshark", ["-r", capture(name), "-T", "fields", "-e", "frame.interface_id"])
                .split(separator: "\n").map { UInt32($0) }
            XCTAssertEqual(interfaces, byTshark, name)
            let severalInterfaces = ["bond-rr-dumpcap.pcapng", "copies-dumpcap.pcapng", "dumpcap-2if.pcapng",
                                     "sections-two-interfaces.pcapng", "tunnel-vxlan-overlay.pcapng"].contains(name)
            XCTAssertEqual(file.interfacesAtStart > 1, severalInterfaces, name)
            XCTAssertEqual(Set(interfaces).count > 1, severalInterfaces, name)
        }
    }

    /// Past `PcapngRecordFormat.interfaceLimit` interfaces, libpcap reads on from the
    /// block that described one too many, with the filter: the same packets, but those it
    /// read name no interface.
    func testPastTheInterfaceLimitLibpcapReadsOnWithTheFilter() throws {
        let packets = try realPackets(6)
        var file = Pcapng(swapped: false)
        file.interface(resolution: nil, offset: nil)
        file.enhancedPacket(packets[0].bytes, time: 1)
        for _ in 0..<PcapngRecordFormat.interfaceLimit { file.interface(resolution: nil, offset: nil) }
        for index in 0..<40 {
            file.enhancedPacket(packets[index % packets.count].bytes, time: UInt64(index) + 2, interface: UInt32(index))
        }
        let path = try scratch.file("many.pcapng", file.bytes)
        let all = try CaptureFile(path: path)
        XCTAssertEqual(interfaceNumbers(of: all), [0] + Array(repeating: nil, count: 40))
        XCTAssertFalse(all.readsRecordsInPlace)
        for filter in ["tcp[tcpflags] & tcp-syn != 0", "tcp port 9763", "udp"] {
            let byLibpcap = try CaptureFile(path: path, records: .libpcap)
            try byLibpcap.setFilter(filter)
            let inPlace = try CaptureFile(path: path)
            try inPlace.setFilter(filter)
            let expected = byLibpcap.recordDigest()
            XCTAssertEqual(inPlace.recordDigest(), expected, filter)
            XCTAssertLessThan(expected.packets, 41, filter)
        }
    }

    /// Interfaces of different clocks, described before the packets and between them, in
    /// two sections: each packet has its own interface's time (libpcap's), and names it.
    func testEachPacketHasItsInterfacesClockAndNamesIt() throws {
        let packets = try realPackets(8)
        for swapped in [false, true] {
            var file = Pcapng(swapped: swapped)
            let clocks: [(UInt8?, UInt64?)] = [(nil, nil), (9, 1_700_000_000), (0x80 | 30, nil)]
            for (resolution, offset) in clocks { file.interface(resolution: resolution, offset: offset) }
            var written: [UInt32?] = []
            for index in 0..<24 {
                let interface = UInt32(index % 3)
                file.enhancedPacket(packets[index % packets.count].bytes, time: UInt64(index) * 1_234_567, interface: interface)
                written.append(interface)
                if index == 11 {
                    // A fourth interface, between packets.
                    file.interface(resolution: 3, offset: 5)
                    file.enhancedPacket(packets[0].bytes, time: 77, interface: 3)
                    written.append(3)
                }
            }
            // A second section, whose two interfaces are numbered from 0 again in the file,
            // and named after the first section's four (`PacketHeader.interface`).
            file.section()
            file.interface(resolution: 6, offset: nil)
            file.interface(resolution: 9, offset: nil)
            for index in 0..<4 {
                file.enhancedPacket(packets[index].bytes, time: 1_000_000_000 + UInt64(index), interface: UInt32(index % 2))
                written.append(4 + UInt32(index % 2))
            }
            let path = try scratch.file("interfaces.pcapng", file.bytes)
            let digest = try XCTUnwrap(try assertReadAlike(file.bytes, handsBack: false, "swapped \(swapped)"))
            XCTAssertEqual(digest.packets, written.count)
            let capture = try CaptureFile(path: path)
            XCTAssertEqual(capture.interfacesAtStart, 3)
            XCTAssertEqual(interfaceNumbers(of: capture), written, "swapped \(swapped)")
            XCTAssertTrue(capture.readsRecordsInPlace)
        }
    }

    /// Each time resolution libpcap knows (10^-n for n up to 19, 2^-n up to 63), with and
    /// without an offset, in both byte orders, times near and far: the same nanoseconds.
    func testEveryTimeResolutionAndOffsetGivesLibpcapsTimes() throws {
        let packets = try realPackets(4)
        let units: [UInt64] = [0, 1, 999_999, 1_000_000, 1_700_000_000_123_456, 0xFFFF_FFFF_FFFF_FFFF, 1 << 63]
        var resolutions: [UInt8?] = [nil, 0, 3, 6, 9, 12, 19]
        resolutions += [0x80, 0x80 | 10, 0x80 | 30, 0x80 | 40, 0x80 | 63]
        for swapped in [false, true] {
            for resolution in resolutions {
                for offset in [nil, 0, 1_700_000_000, 0xFFFF_FFFF_FFFF_FF00] as [UInt64?] {
                    var file = Pcapng(swapped: swapped)
                    file.interface(resolution: resolution, offset: offset)
                    for (index, time) in units.enumerated() {
                        file.enhancedPacket(packets[index % packets.count].bytes, time: time)
                    }
                    let name = "swapped \(swapped), resolution \(String(describing: resolution)), offset \(String(describing: offset))"
                    let digest = try XCTUnwrap(try assertReadAlike(file.bytes, handsBack: false, name))
                    XCTAssertEqual(digest.packets, units.count, name)
                }
            }
        }
    }

    /// Blocks of every kind between the packets: skipped as libpcap skips them, or handed
    /// to it (a new interface or section, the obsolete Packet Block, a packet of an
    /// interface libpcap has not been told of, lengths it refuses), and read the same; after
    /// a block libpcap reads without complaint, the reading in place goes on.
    func testEveryKindOfBlockIsReadOrHandedBackAsLibpcapReadsIt() throws {
        let packets = try realPackets()
        // Whether libpcap has the last word (it refused a block): the variants from the
        // fourth on, but for the second section, the obsolete Packet Block and the block
        // larger than the window, after which the file is read in place again.
        let readOnInPlace: Set = [0, 1, 2, 5, 6, 9]
        let variants: [(name: String, packets: Int?, build: (inout Pcapng) -> Void)] = [
            ("simple packet blocks, cut to the snapshot", 4, { file in
                file.simplePacket(packets[0].bytes)
                file.simplePacket(Data((0..<300).map { UInt8(truncatingIfNeeded: $0) }))
                file.simplePacket(Data(count: 256), wireLength: 1500)
                file.enhancedPacket(packets[1].bytes, time: 5)
            }),
            ("blocks to skip: statistics, names, custom, unknown", 2, { file in
                file.block(type: 5, content: Data(count: 24))
                file.enhancedPacket(packets[0].bytes, time: 5)
                file.block(type: 4, content: Data([0, 0, 0, 0]))
                file.block(type: 0xBAD, content: Data(count: 40))
                file.block(type: 0x4000_0BAD, content: Data(count: 12))
                file.enhancedPacket(packets[1].bytes, time: 6)
            }),
            ("a second interface of the same type, and its packets", 3, { file in
                file.enhancedPacket(packets[0].bytes, time: 5)
                file.interface(resolution: 9, offset: nil)
                file.enhancedPacket(packets[1].bytes, time: 6, interface: 1)
                file.enhancedPacket(packets[2].bytes, time: 7)
            }),
            ("a second interface of another type", 1, { file in
                file.enhancedPacket(packets[0].bytes, time: 5)
                file.interface(resolution: nil, offset: nil, linkType: 113)
            }),
            ("a packet of an interface never described", 1, { file in
                file.enhancedPacket(packets[0].bytes, time: 5)
                file.enhancedPacket(packets[1].bytes, time: 6, interface: 3)
            }),
            ("a second section with its interface", 2, { file in
                file.enhancedPacket(packets[0].bytes, time: 5)
                file.section()
                file.interface(resolution: 3, offset: nil)
                file.enhancedPacket(packets[1].bytes, time: 6)
            }),
            ("the obsolete packet block", 2, { file in
                file.enhancedPacket(packets[0].bytes, time: 5)
                file.block(type: 2, content: Pcapng.obsoletePacketContent(packets[1].bytes, swapped: file.swapped))
            }),
            ("a packet longer than the snapshot", 1, { file in
                file.enhancedPacket(packets[0].bytes, time: 5)
                file.enhancedPacket(Data(count: 300), time: 6)
            }),
            ("a captured length past its block", 1, { file in
                file.enhancedPacket(packets[0].bytes, time: 5)
                file.enhancedPacket(packets[1].bytes, time: 6, capturedLength: UInt32(packets[1].bytes.count + 40))
            }),
            ("a block longer than the reading window", 2, { file in
                file.enhancedPacket(packets[0].bytes, time: 5)
                file.block(type: 0xBAD, content: Data(count: 2 * RecordWindow.capacity))
                file.enhancedPacket(packets[1].bytes, time: 6)
            }),
            ("a block whose trailer disagrees", 1, { file in
                file.enhancedPacket(packets[0].bytes, time: 5)
                file.enhancedPacket(packets[1].bytes, time: 6)
                file.corruptLastTrailer()
            }),
            ("a block of a length not a multiple of 4", 1, { file in
                file.enhancedPacket(packets[0].bytes, time: 5)
                file.rawWords([6, 30, 0, 0])
            }),
            ("a block shorter than its header and trailer", 1, { file in
                file.enhancedPacket(packets[0].bytes, time: 5)
                file.rawWords([6, 8, 8])
            }),
            ("an enhanced packet block too short for its fields", 1, { file in
                file.enhancedPacket(packets[0].bytes, time: 5)
                file.block(type: 6, content: Data(count: 8))
            }),
        ]
        for swapped in [false, true] {
            for (index, variant) in variants.enumerated() {
                var file = Pcapng(swapped: swapped, snapshot: 256)
                file.interface(resolution: nil, offset: nil)
                variant.build(&file)
                let name = "\(variant.name), swapped \(swapped)"
                let digest = try XCTUnwrap(try assertReadAlike(file.bytes, handsBack: !readOnInPlace.contains(index), name))
                if let count = variant.packets { XCTAssertEqual(digest.packets, count, name) }
            }
        }
    }

    /// A file cut at every length, in both byte orders, ends as libpcap says it does; the
    /// cuts meet a block header, a block's body and the end between two blocks.
    func testEveryLengthOfACutFileEndsAsLibpcapSaysItDoes() throws {
        let packets = try realPackets(6)
        for swapped in [false, true] {
            var file = Pcapng(swapped: swapped)
            file.interface(resolution: 9, offset: 12)
            let headerEnd = file.bytes.count
            for (index, packet) in packets.enumerated() {
                file.enhancedPacket(packet.bytes, time: UInt64(index) * 1_000_003)
                if index == 2 { file.block(type: 5, content: Data(count: 16)) }
            }
            var ends: Set<String> = []
            for length in headerEnd..<file.bytes.count {
                let digest = try XCTUnwrap(try assertReadAlike(file.bytes.prefix(length), "swapped \(swapped), cut at \(length)"))
                ends.insert("\(digest.end)".prefix(40).description)
            }
            XCTAssertGreaterThanOrEqual(ends.count, 2, "\(ends)")
        }
    }

    /// A file several times the reading window, its blocks straddling the window's edges,
    /// whole and cut on either side of them.
    func testBlocksAcrossManyWindowsReadAlike() throws {
        var generator = SplitMix(seed: 0xB10C_5EED)
        let real = pcapRecords(try contents(capture("spark-cluster-offset2-lo.pcap")))
        var file = Pcapng(swapped: false)
        file.interface(resolution: nil, offset: nil)
        var time: UInt64 = 1_700_000_000_000_000
        while file.bytes.count < 4 * RecordWindow.capacity {
            let packet = generator.chance(0.003)
                ? Data(count: Int.random(in: 65_536...200_000, using: &generator))
                : real.randomElement(using: &generator)!.bytes
            time += UInt64.random(in: 1...5_000, using: &generator)
            file.enhancedPacket(packet, time: time)
        }
        let whole = try XCTUnwrap(try assertReadAlike(file.bytes, handsBack: false))
        XCTAssertEqual(whole.end, .endOfInput)
        XCTAssertGreaterThan(whole.packets, 1_000)
        try assertCutsReadAlike(file)
    }

    /// The same with interfaces described between the packets, now and then a block larger
    /// than the window after them: libpcap steps in at each, anywhere in a window, and the
    /// reading in place goes on from where libpcap stopped, within the window or past it.
    /// Every packet names its interface, and the evidence hash fed by the windows is still
    /// the file's.
    func testInterfacesDescribedAcrossManyWindowsReadAlike() throws {
        var generator = SplitMix(seed: 0x1D_B5EED)
        let real = pcapRecords(try contents(capture("spark-cluster-offset2-lo.pcap")))
        var file = Pcapng(swapped: false)
        file.interface(resolution: nil, offset: nil)
        var (time, described): (UInt64, UInt32) = (1_700_000_000_000_000, 1)
        var (written, large): ([UInt32?], Int) = ([], 0)
        while file.bytes.count < 6 * RecordWindow.capacity {
            if generator.chance(0.004) {
                file.interface(resolution: nil, offset: UInt64(described))
                described += 1
            }
            if generator.chance(0.0002) {
                file.block(type: 0xBAD, content: Data(count: RecordWindow.capacity + Int.random(in: 0...9_000, using: &generator)))
                large += 1
            }
            let interface = UInt32.random(in: 0..<described, using: &generator)
            time += UInt64.random(in: 1...5_000, using: &generator)
            file.enhancedPacket(real.randomElement(using: &generator)!.bytes, time: time, interface: interface)
            written.append(interface)
        }
        XCTAssertGreaterThan(described, 20)
        XCTAssertGreaterThan(large, 0)
        let whole = try XCTUnwrap(try assertReadAlike(file.bytes, handsBack: false))
        XCTAssertEqual(whole.packets, written.count)
        let path = try scratch.file("interfaces.pcapng", file.bytes)
        XCTAssertEqual(interfaceNumbers(of: try CaptureFile(path: path)), written)
        try assertCutsReadAlike(file)
        let result = try runDasaudit(["audit", path, "--offset", "2", "--threads", "1", "--format", "json"])
        XCTAssertLessThanOrEqual(result.status, 1, result.stderr)  // 1: findings
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let inputs = try XCTUnwrap((report["evidence"] as? [String: Any])?["inputs"] as? [[String: Any]])
        XCTAssertEqual(inputs.first?["sha256"] as? String, String(try runTool("sha256sum", [path]).prefix(64)))
    }

    /// `file` cut on either side of the reading window's first and fourth edges reads as
    /// libpcap reads it.
    func assertCutsReadAlike(_ file: Pcapng, line: UInt = #line) throws {
        for boundary in [1, 3].map({ $0 * RecordWindow.capacity }) {
            for length in [boundary - 9, boundary - 1, boundary, boundary + 3, boundary + 70_000] {
                try assertReadAlike(file.bytes.prefix(length), "cut at \(length)", line: line)
            }
        }
    }

    /// Thousands of files, each a small real pcapng with a few bytes changed, most of them
    /// in block headers and packet fields: the two readers agree on every one.
    func testRandomlyCorruptedFilesReadAlike() throws {
        var generator = SplitMix(seed: 0xC0_22_0F7)
        let packets = try realPackets(8)
        var originals: [Data] = []
        for swapped in [false, true] {
            var file = Pcapng(swapped: swapped, snapshot: 200)
            file.interface(resolution: 9, offset: nil)
            for (index, packet) in packets.enumerated() {
                file.enhancedPacket(packet.bytes.prefix(200), time: UInt64(index) << 20)
                if index == 3 { file.simplePacket(packet.bytes) }
            }
            originals.append(file.bytes)
        }
        var ends: [String: Int] = [:]
        for round in 0..<1_500 {
            var bytes = originals[round % 2]
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let offset = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[offset] = UInt8.random(in: 0...255, using: &generator)
            }
            let digest = try assertReadAlike(bytes, inPlace: nil, "round \(round)")
            ends[digest.map { "\($0.end)".prefix(40).description } ?? "refused", default: 0] += 1
        }
        XCTAssertGreaterThanOrEqual(ends.count, 4, "\(ends)")
    }

    /// From a pipe, where the stream cannot be repositioned for libpcap, a pcapng is
    /// libpcap's to read, with the same result.
    func testAPcapngFromAPipeIsLeftToLibpcap() throws {
        let bytes = try contents(capture("das-offset3-lo.pcapng"))
        let expected = try CaptureFile(path: try scratch.file("file.pcapng", bytes), records: .libpcap).recordDigest()
        let pipe = scratch.path("pipe")
        fifo(at: pipe, carrying: bytes)
        let piped = try CaptureFile(path: pipe)
        XCTAssertFalse(piped.readsRecordsInPlace)
        XCTAssertEqual(piped.recordDigest(), expected)
    }

    /// The drops a pcapng records are those of the last Interface Statistics Block of each
    /// interface of each section, summed, in either byte order; a block about an interface
    /// never described, or whose options do not hold together, is not believed. A file
    /// handed to libpcap is read again from there for its statistics; one cut short has
    /// none known.
    func testTheLastStatisticsBlockOfTheFirstInterfaceGivesTheDrops() throws {
        let packets = try realPackets(3)
        func read(_ build: (inout Pcapng) -> Void, swapped: Bool) throws -> CaptureFile {
            var file = Pcapng(swapped: swapped)
            file.interface(resolution: nil, offset: nil)
            file.enhancedPacket(packets[0].bytes, time: 1)
            build(&file)
            let capture = try CaptureFile(path: try scratch.file("drops.pcapng", file.bytes))
            XCTAssertEqual(capture.recordDigest().end, .endOfInput)
            return capture
        }
        for swapped in [false, true] {
            let one = try read({ $0.statistics(interfaceDrops: 5, systemDrops: 2) }, swapped: swapped)
            XCTAssertEqual(one.recordedDrops, RecordedDrops(interface: 5, system: 2))
            XCTAssertTrue(one.isPcapng)
            XCTAssertTrue(one.statisticsRead)
            let last = try read({ file in
                file.statistics(interfaceDrops: 10, systemDrops: nil)
                file.enhancedPacket(packets[1].bytes, time: 2)
                file.statistics(interfaceDrops: 12, systemDrops: nil)
                file.statistics(interfaceDrops: 99, systemDrops: nil, interface: 1)
                file.statistics(interfaceDrops: 98, systemDrops: nil, optionLengthLie: true)
            }, swapped: swapped)
            XCTAssertEqual(last.recordedDrops, RecordedDrops(interface: 12, system: nil), "swapped \(swapped)")
            let silent = try read({ $0.statistics(interfaceDrops: nil, systemDrops: nil) }, swapped: swapped)
            XCTAssertEqual(silent.recordedDrops, RecordedDrops(interface: nil, system: nil))
            // Two interfaces, read in place; libpcap has the last word at a block larger than
            // the window, and the rest of the file is read again for its statistics. Each
            // interface's last block counts.
            let two = try read({ file in
                file.statistics(interfaceDrops: 7, systemDrops: nil)
                file.interface(resolution: nil, offset: nil)
                file.enhancedPacket(packets[1].bytes, time: 2, interface: 1)
                file.statistics(interfaceDrops: 3, systemDrops: 1)
                file.statistics(interfaceDrops: 4, systemDrops: nil, interface: 1)
                file.block(type: 0xBAD, content: Data(count: 3 * RecordWindow.capacity))
            }, swapped: swapped)
            XCTAssertFalse(two.readsRecordsInPlace)
            XCTAssertTrue(two.statisticsRead)
            XCTAssertEqual(two.recordedDrops, RecordedDrops(interface: 7, system: 1))
            // Cut inside its last block: libpcap fails there, and the drops are not known.
            var cut = Pcapng(swapped: swapped)
            cut.interface(resolution: nil, offset: nil)
            cut.statistics(interfaceDrops: 7, systemDrops: nil)
            cut.interface(resolution: nil, offset: nil)
            cut.statistics(interfaceDrops: 1, systemDrops: nil, interface: 1)
            let cutFile = try CaptureFile(path: try scratch.file("cut.pcapng", cut.bytes.dropLast(2)))
            if case .endOfInput = cutFile.recordDigest().end { XCTFail("a cut file read to its end") }
            XCTAssertFalse(cutFile.statisticsRead)
            XCTAssertNil(cutFile.recordedDrops)
        }
        // Two files one after the other (`cat a.pcapng b.pcapng`): each section's interfaces
        // count. (libpcap refuses sections of different byte orders.)
        var first = Pcapng(swapped: true), second = Pcapng(swapped: true)
        first.interface(resolution: nil, offset: nil)
        first.enhancedPacket(packets[0].bytes, time: 1)
        first.statistics(interfaceDrops: 2, systemDrops: nil)
        second.interface(resolution: nil, offset: nil)
        second.enhancedPacket(packets[1].bytes, time: 2)
        second.statistics(interfaceDrops: 5, systemDrops: 6)
        let joined = try CaptureFile(path: try scratch.file("joined.pcapng", first.bytes + second.bytes))
        XCTAssertEqual(joined.recordDigest().packets, 2)
        XCTAssertEqual(joined.recordedDrops, RecordedDrops(interface: 7, system: 6))
        let pcap = try CaptureFile(path: capture("das-offset3-lo.pcap"))
        XCTAssertFalse(pcap.isPcapng)
        XCTAssertEqual(pcap.recordDigest().end, .endOfInput)
        XCTAssertNil(pcap.recordedDrops)
    }

    /// What the reading lends the evidence hash of a pcapng is the file after libpcap's
    /// header: with the header the hash reads itself, `sha256sum`'s.
    func testTheHashOfAPcapngReadInPlaceIsTheFiles() throws {
        let path = capture("spark-cluster-offset2-lo.pcapng")
        XCTAssertTrue(try CaptureFile(path: path).readsRecordsInPlace)
        let result = try runDasaudit(["audit", path, "--offset", "2", "--mode", "cluster", "--threads", "1", "--format", "json"])
        XCTAssertLessThanOrEqual(result.status, 1, result.stderr)  // 1: findings
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let inputs = try XCTUnwrap((report["evidence"] as? [String: Any])?["inputs"] as? [[String: Any]])
        XCTAssertEqual(inputs.first?["sha256"] as? String, String(try runTool("sha256sum", [path]).prefix(64)))
    }
}

/// A pcapng file built block by block, in either byte order.
struct Pcapng {
    let swapped: Bool
    let snapshot: UInt32
    var bytes = Data()

    init(swapped: Bool, snapshot: UInt32 = 262_144) {
        self.swapped = swapped
        self.snapshot = snapshot
        section()
    }

    mutating func put<T: FixedWidthInteger>(_ value: T, into data: inout Data) {
        if swapped { data.appendBigEndian(value) } else { data.appendLittleEndian(value) }
    }

    /// A block of `type` around `content` (padded to 4 bytes), with its length twice.
    mutating func block(type: UInt32, content: Data) {
        var padded = content
        padded.append(Data(count: (4 - content.count % 4) % 4))
        let length = UInt32(12 + padded.count)
        var block = Data()
        put(type, into: &block)
        put(length, into: &block)
        block += padded
        put(length, into: &block)
        bytes += block
    }

    /// Words as they are, for blocks whose lengths lie.
    mutating func rawWords(_ words: [UInt32]) {
        var data = Data()
        for word in words { put(word, into: &data) }
        bytes += data
    }

    mutating func section() {
        var content = Data()
        put(UInt32(0x1A2B_3C4D), into: &content)
        put(UInt16(1), into: &content)
        put(UInt16(0), into: &content)
        put(UInt64.max, into: &content)  // section length not given
        block(type: 0x0A0D_0D0A, content: content)
    }

    mutating func interface(resolution: UInt8?, offset: UInt64?, linkType: UInt16 = 1) {
        var content = Data()
        put(linkType, into: &content)
        put(UInt16(0), into: &content)
        put(snapshot, into: &content)
        if let resolution {
            put(UInt16(9), into: &content)
            put(UInt16(1), into: &content)
            content += Data([resolution, 0, 0, 0])
        }
        if let offset {
            put(UInt16(14), into: &content)
            put(UInt16(8), into: &content)
            put(offset, into: &content)
        }
        put(UInt16(0), into: &content)  // end of options
        put(UInt16(0), into: &content)
        block(type: 1, content: content)
    }

    mutating func enhancedPacket(_ packet: Data, time: UInt64, interface: UInt32 = 0, capturedLength: UInt32? = nil) {
        var content = Data()
        put(interface, into: &content)
        put(UInt32(time >> 32), into: &content)
        put(UInt32(truncatingIfNeeded: time), into: &content)
        put(capturedLength ?? UInt32(packet.count), into: &content)
        put(UInt32(packet.count + 4), into: &content)
        content += packet
        block(type: 6, content: content)
    }

    mutating func simplePacket(_ packet: Data, wireLength: UInt32? = nil) {
        var content = Data()
        put(wireLength ?? UInt32(packet.count), into: &content)
        content += packet
        block(type: 3, content: content)
    }

    /// An Interface Statistics Block with `isb_ifdrop` and `isb_osdrop` when given (and an
    /// `isb_ifrecv` before them); `optionLengthLie`: its last option claims more bytes than
    /// the block has.
    mutating func statistics(interfaceDrops: UInt64?, systemDrops: UInt64?, interface: UInt32 = 0,
                             optionLengthLie: Bool = false) {
        var content = Data()
        put(interface, into: &content)
        put(UInt32(0), into: &content)
        put(UInt32(1_000), into: &content)
        for (code, value) in [(UInt16(4), UInt64(1_000) as UInt64?), (5, interfaceDrops), (7, systemDrops)] {
            guard let value else { continue }
            put(code, into: &content)
            put(UInt16(8), into: &content)
            put(value, into: &content)
        }
        if optionLengthLie {
            put(UInt16(5), into: &content)
            put(UInt16(64), into: &content)
            put(UInt64(1), into: &content)
        } else {
            put(UInt32(0), into: &content)  // end of options
        }
        block(type: 5, content: content)
    }

    /// The content of an obsolete Packet Block (type 2) on interface 0.
    static func obsoletePacketContent(_ packet: Data, swapped: Bool) -> Data {
        var file = Pcapng(swapped: swapped)
        var content = Data()
        file.put(UInt16(0), into: &content)
        file.put(UInt16(0), into: &content)
        file.put(UInt32(0), into: &content)
        file.put(UInt32(1_000), into: &content)
        file.put(UInt32(packet.count), into: &content)
        file.put(UInt32(packet.count), into: &content)
        return content + packet
    }

    /// Makes the last block's trailing length one more than its header's.
    mutating func corruptLastTrailer() {
        let index = bytes.count - (swapped ? 1 : 4)
        bytes[index] &+= 1
    }
}
