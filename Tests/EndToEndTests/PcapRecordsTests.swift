import Flows
import Foundation
@testable import PcapKit
@testable import TrafficGenerator
import XCTest

/// dasaudit reads a classic pcap file's records itself, a megabyte at a time
/// (`readPcapRecords`), where libpcap would make two `fread` calls and a copy per packet.
/// It must hand over exactly what libpcap's `pcap_next_ex` does: the same packets, times and
/// lengths, and the same end, in libpcap's own words, for real captures and for files cut
/// or corrupted anywhere.
final class PcapRecordsTests: XCTestCase {
    var scratch: ScratchDirectory!

    override func setUpWithError() throws { scratch = try scratchDirectory() }
    override func tearDown() { scratch = nil }

    /// Reads `path` both ways and checks they agree, and that dasaudit read it in place
    /// (unless `inPlace` is nil: either); returns what was read.
    @discardableResult
    func assertReadAlike(_ path: String, inPlace: Bool? = true, _ context: @autoclosure () -> String = "",
                         file: StaticString = #filePath, line: UInt = #line) throws -> RecordDigest? {
        try assertReadsAsLibpcap(path, inPlace: inPlace, context(), file: file, line: line)
    }

    func testEveryBundledPcapCaptureReadsAsLibpcapReadsIt() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: capturesDirectory.path)
            .filter { $0.hasSuffix(".pcap") }.sorted()
        XCTAssertGreaterThan(names.count, 20)
        for name in names {
            let digest = try XCTUnwrap(try assertReadAlike(capture(name), name))
            // nodes-n2-empty.pcap: a real tcpdump file that captured nothing, read alike all the same.
            if name != "nodes-n2-empty.pcap" { XCTAssertGreaterThan(digest.packets, 0, name) }
            XCTAssertEqual(digest.end, .endOfInput, name)
        }
    }

    func testOtherInputsAreLeftToLibpcap() throws {
        let compressed = scratch.path("a.pcap.gz")
        try runTool("gzip", ["-c", capture("das-offset3-lo.pcap")], stdout: compressed)
        XCTAssertFalse(try CaptureFile(path: compressed).readsRecordsInPlace, "gzip")
        let modified = try scratch.file("modified.pcap", pcapHeader(magic: 0xA1B2_CD34))
        XCTAssertFalse(try CaptureFile(path: modified).readsRecordsInPlace, "the modified format")
        let old = try scratch.file("old.pcap", pcapHeader(minor: 3))
        XCTAssertFalse(try CaptureFile(path: old).readsRecordsInPlace, "version 2.3")
        let usb = try scratch.file("usb.pcap", pcapHeader(linkType: 220))
        XCTAssertFalse(try CaptureFile(path: usb).readsRecordsInPlace, "a link type whose lengths libpcap corrects")
        let dbus = try scratch.file("dbus.pcap", pcapHeader(linkType: 231))
        XCTAssertFalse(try CaptureFile(path: dbus).readsRecordsInPlace, "a link type with longer records")
        let swappedCooked = try scratch.file("sll.pcap", pcapHeader(snaplen: UInt32(262_144).byteSwapped, linkType: UInt32(113).byteSwapped, magic: 0xD4C3_B2A1,
                                                                    major: UInt16(2).byteSwapped, minor: UInt16(4).byteSwapped))
        XCTAssertFalse(try CaptureFile(path: swappedCooked).readsRecordsInPlace, "SLL in the other byte order")
        let cooked = try scratch.file("sll-native.pcap", pcapHeader(linkType: 113))
        XCTAssertTrue(try CaptureFile(path: cooked).readsRecordsInPlace, "SLL in this byte order: nothing to rewrite")
    }

    /// A filter runs on the records read in place as libpcap runs it on those it reads:
    /// the same packets, pcap and pcapng, one interface or several.
    func testAFilteredFileIsReadInPlaceAsLibpcapFiltersIt() throws {
        let filters = ["tcp port 9763", "tcp[tcpflags] & tcp-syn != 0", "not tcp", "ip6", "len > 1000", "tcp and host 10.205.0.2"]
        for name in ["das-offset3-lo.pcap", "das-offset3-lo.pcapng", "copies-dumpcap.pcapng", "copies-any-sll2.pcap"] {
            var matched = 0
            for filter in filters {
                let byLibpcap = try CaptureFile(path: capture(name), records: .libpcap)
                try byLibpcap.setFilter(filter)
                let inPlace = try CaptureFile(path: capture(name))
                try inPlace.setFilter(filter)
                let expected = byLibpcap.recordDigest()
                XCTAssertEqual(inPlace.recordDigest(), expected, "\(name), \(filter)")
                XCTAssertTrue(inPlace.readsRecordsInPlace, "\(name), \(filter)")
                matched += expected.packets
            }
            XCTAssertGreaterThan(matched, 0, name)
        }
    }

    /// A small real capture in each of the four classic layouts.
    func layouts() throws -> [(name: String, bytes: Data)] {
        let records = Array(pcapRecords(try contents(capture("das-offset3-lo.pcap"))).prefix(12))
        func file(magic: UInt32, swapped: Bool) -> Data {
            func put(_ value: UInt32, _ data: inout Data) { data.appendLittleEndian(swapped ? value.byteSwapped : value) }
            var data = Data()
            put(magic, &data)
            let version: UInt32 = 2 | 4 << 16  // major 2, minor 4
            data.appendLittleEndian(swapped ? UInt32(2 << 8 | 4 << 24) : version)
            put(0, &data)
            put(0, &data)
            put(262_144, &data)
            put(1, &data)
            for record in records {
                put(record.seconds, &data)
                put(record.fraction, &data)
                put(UInt32(record.bytes.count), &data)
                put(record.length, &data)
                data += record.bytes
            }
            return data
        }
        return [("microseconds", file(magic: 0xA1B2_C3D4, swapped: false)),
                ("microseconds, swapped", file(magic: 0xA1B2_C3D4, swapped: true)),
                ("nanoseconds", file(magic: 0xA1B2_3C4D, swapped: false)),
                ("nanoseconds, swapped", file(magic: 0xA1B2_3C4D, swapped: true))]
    }

    func testEveryLayoutCutAtEveryLengthEndsAsLibpcapSaysItDoes() throws {
        for (name, bytes) in try layouts() {
            let whole = try XCTUnwrap(try assertReadAlike(try scratch.file("whole.pcap", bytes), name))
            XCTAssertEqual(whole.packets, 12, name)
            XCTAssertEqual(whole.end, .endOfInput, name)
            var ends: Set<String> = []
            for length in 24..<bytes.count {
                let path = try scratch.file("cut.pcap", bytes.prefix(length))
                let digest = try XCTUnwrap(try assertReadAlike(path, "\(name) cut at \(length)"))
                if case .failed(let reason) = digest.end { ends.insert(reason.contains("header bytes") ? "header" : "packet") }
            }
            // Both kinds of cut were met: inside a record's header and inside its packet.
            XCTAssertEqual(ends.count, 2, "\(name): \(ends)")
        }
    }

    func testRecordsLongerThanTheSnapshotOrThanAnyAreTreatedAsLibpcapTreatsThem() throws {
        let packet = Data((0..<300).map { UInt8(truncatingIfNeeded: $0) })
        let cases: [(String, Data)] = [
            ("longer than the snapshot: cut to it", pcapHeader(snaplen: 100) + pcapRecord(packet) + pcapRecord(packet.prefix(60))),
            ("longer than any, and the snapshot", pcapHeader(snaplen: 100) + pcapRecord(packet, caplen: 300_000)),
            ("longer than any, not the snapshot", pcapHeader(snaplen: 400_000) + pcapRecord(packet, caplen: 300_000)),
            ("cut short before the snapshot's end", pcapHeader(snaplen: 100) + pcapRecord(packet).prefix(16 + 80)),
            ("cut short after the snapshot's end", pcapHeader(snaplen: 100) + pcapRecord(packet).prefix(16 + 200)),
            ("the largest record", pcapHeader() + pcapRecord(Data(count: 262_144)) + pcapRecord(packet)),
            ("empty records", pcapHeader() + pcapRecord(Data()) + pcapRecord(Data(), length: 1500)),
            ("times before 1970", pcapHeader() + pcapRecord(packet, seconds: 0xFFFF_FFF0) + pcapRecord(packet, seconds: 0x8000_0000)),
        ]
        for (name, bytes) in cases {
            let digest = try XCTUnwrap(try assertReadAlike(try scratch.file("case.pcap", bytes), name))
            switch name {
            case "longer than the snapshot: cut to it", "the largest record", "empty records":
                XCTAssertEqual(digest.end, .endOfInput, name)
                XCTAssertEqual(digest.packets, 2, name)
            case "longer than any, and the snapshot":
                XCTAssertEqual(digest.end, .failed(reason: "corrupt capture: a record or block length is impossible "
                    + "(invalid packet capture length 300000, bigger than snaplen of 100)"), name)
            case "cut short before the snapshot's end":
                XCTAssertEqual(digest.end, .failed(reason: "capture is cut short in the middle of a packet "
                    + "(truncated dump file; tried to read 100 captured bytes, only got 80)"), name)
            default:
                XCTAssertEqual(digest.packets, name.hasPrefix("times") ? 2 : 0, name)
            }
        }
    }

    /// A file several times the reading window (1 MiB), whose records of every size, up to
    /// the largest, straddle its boundaries; and the same file cut on either side of them.
    func testRecordsAcrossManyWindowsReadAlike() throws {
        let bytes = try manyWindowsCapture()
        let whole = try XCTUnwrap(try assertReadAlike(try scratch.file("large.pcap", bytes)))
        XCTAssertEqual(whole.end, .endOfInput)
        XCTAssertGreaterThan(whole.packets, 1_000)
        for boundary in [1, 2, 4].map({ $0 * RecordWindow.capacity }) {
            for length in [boundary - 17, boundary - 1, boundary, boundary + 1, boundary + 15, boundary + 100_000] {
                try assertReadAlike(try scratch.file("cut.pcap", bytes.prefix(length)), "cut at \(length)")
            }
        }
    }

    /// A pipe or standard input (`tcpdump -w - | dasaudit audit -`) is read in place too,
    /// a megabyte at a time: through a FIFO, each layout and a file of five windows, whole
    /// and cut, give what libpcap reads from the same bytes in a file.
    func testAPipeIsReadInPlaceAsLibpcapReadsTheFile() throws {
        let large = try manyWindowsCapture()
        var cases = try layouts()
        cases += [("five windows", large), ("five windows, cut inside a record", large.prefix(3 * RecordWindow.capacity + 7)),
                  ("a header cut short", large.prefix(24 + 9))]
        for (name, bytes) in cases {
            let expected = try CaptureFile(path: try scratch.file("file.pcap", bytes), records: .libpcap).recordDigest()
            let pipe = scratch.path("pipe-\(cases.firstIndex { $0.name == name }!)")
            fifo(at: pipe, carrying: bytes)
            let piped = try CaptureFile(path: pipe)
            XCTAssertTrue(piped.readsRecordsInPlace, name)
            XCTAssertEqual(piped.recordDigest(), expected, name)
        }
    }

    /// Thousands of files, each a real capture with a few bytes changed anywhere, most of
    /// them in record headers, where the lengths and times are: the two readers agree on
    /// every one.
    func testRandomlyCorruptedCapturesReadAlike() throws {
        var generator = SplitMix(seed: 0x5EED_CAFE)
        let layouts = try layouts()
        var ends: [String: Int] = [:]
        for round in 0..<2_000 {
            let (name, original) = layouts[round % layouts.count]
            var bytes = original
            let boundaries = recordHeaderOffsets(original, swapped: name.hasSuffix("swapped"))
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let offset = Bool.random(using: &generator)
                    ? boundaries.randomElement(using: &generator)! + Int.random(in: 0..<16, using: &generator)
                    : Int.random(in: 0..<bytes.count, using: &generator)  // the file header too
                bytes[offset] = UInt8.random(in: 0...255, using: &generator)
            }
            let digest = try assertReadAlike(try scratch.file("corrupt.pcap", bytes), inPlace: nil, "\(name), round \(round)")
            ends[digest.map { "\($0.end)".prefix(50).description } ?? "refused", default: 0] += 1
        }
        // The corruptions reached each way a read can end.
        XCTAssertGreaterThanOrEqual(ends.count, 4, "\(ends)")
    }

    /// The offsets of the record headers of a classic pcap file.
    func recordHeaderOffsets(_ file: Data, swapped: Bool) -> [Int] {
        var offsets: [Int] = []
        var offset = 24
        while offset + 16 <= file.count {
            offsets.append(offset)
            let raw = file.subdata(in: file.startIndex + offset + 8 ..< file.startIndex + offset + 12)
                .withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
            offset += 16 + Int(swapped ? raw.byteSwapped : raw)
        }
        return offsets
    }
}

/// Real records, now and then a large one up to the largest libpcap allows, for five
/// windows of the reading in place (5 MiB).
func manyWindowsCapture() throws -> Data {
    var generator = SplitMix(seed: 0xB16_F11E)
    let real = pcapRecords(try contents(capture("spark-cluster-offset2-lo.pcap")))
    var bytes = pcapHeader()
    var largest = 0
    while bytes.count < 5 * RecordWindow.capacity {
        let record = real.randomElement(using: &generator)!
        let packet = generator.chance(0.002)
            ? Data(count: Int.random(in: 65_536...Int(PcapRecordFormat.largestRecord), using: &generator))
            : record.bytes
        largest = max(largest, packet.count)
        bytes += pcapRecord(packet, length: max(record.length, UInt32(packet.count)), seconds: record.seconds)
    }
    XCTAssertGreaterThan(largest, 65_536, "large records were drawn")
    return bytes
}
