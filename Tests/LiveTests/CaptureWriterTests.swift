import Audit
import Foundation
import PcapKit
import XCTest

/// `CaptureWriter` on the packets of a real capture, in both formats: rotation by size and
/// time, names, and that what it writes reads back packet for packet, to the nanosecond.
final class CaptureWriterTests: XCTestCase {
    let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("captures/spark-cluster-offset2-lo.pcap").path
    var directory = ""

    override func setUp() {
        directory = NSTemporaryDirectory() + "dasaudit-writer-\(UUID().uuidString)"
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    struct Packet: Equatable {
        var timestamp: Int64
        var capturedLength: UInt32
        var wireLength: UInt32
        var bytes: [UInt8]
    }

    private func packets(of path: String) throws -> [Packet] {
        var packets: [Packet] = []
        let end = try CaptureFile(path: path).forEachPacket { header, bytes in
            packets.append(Packet(timestamp: header.timestamp, capturedLength: header.capturedLength,
                                  wireLength: header.wireLength, bytes: Array(bytes)))
        }
        XCTAssertEqual(end, .endOfInput, path)
        return packets
    }

    /// Writes every packet of the source through a writer with `rotation`.
    private func write(rotation: CaptureWriter.Rotation, startTime: Int64 = 0, format: CaptureWriter.Format = .pcapng,
                       into directory: String? = nil) throws -> CaptureWriter {
        let file = try CaptureFile(path: source)
        let writer = try CaptureWriter(directory: directory ?? self.directory, linkType: file.linkType,
                                       snapshotLength: file.snapshotLength, rotation: rotation, startTime: startTime,
                                       format: format)
        _ = file.forEachPacket { header, bytes in writer.write(header, bytes) }
        writer.close()
        return writer
    }

    func testFilesRotatedBySizeHoldEveryPacketInOrderToTheNanosecond() throws {
        let original = try packets(of: source)
        for format in CaptureWriter.Format.allCases {
            let writer = try write(rotation: .init(maxBytes: 8192), format: format, into: "\(directory)/\(format)")
            XCTAssertGreaterThan(writer.files.count, 3)
            XCTAssertNil(writer.failure)
            XCTAssertEqual(writer.packetsWritten, UInt64(original.count))
            for file in writer.files {
                XCTAssertTrue(file.hasSuffix(".\(format.fileExtension)"), file)
                let size = try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int ?? 0
                // Only a packet bigger than the limit by itself makes a bigger file, alone in it.
                if size > 8192 { XCTAssertEqual(try packets(of: file).count, 1, file) }
            }
            XCTAssertEqual(try writer.files.flatMap(packets(of:)), original, "\(format)")
        }
    }

    func testFilesRotatedByTimeEachSpanLessThanTheirSeconds() throws {
        let original = try packets(of: source)
        let writer = try write(rotation: .init(maxSeconds: 1), startTime: original[0].timestamp)
        let files = try writer.files.map(packets(of:))
        XCTAssertEqual(files.flatMap { $0 }, original)
        XCTAssertGreaterThan(files.count, 1)
        var previousStart: Int64?
        for packets in files {
            let start = try XCTUnwrap(packets.first?.timestamp, "no empty file between two packets")
            XCTAssertLessThan(packets.last!.timestamp - start, 1_000_000_000, "a file spans less than its second")
            if let previousStart { XCTAssertGreaterThanOrEqual(start - previousStart, 1_000_000_000) }
            previousStart = start
        }
    }

    func testFilesAreNamedByStartTimeAndNumberAndNeverOverwritten() throws {
        let start = try XCTUnwrap(Timestamp(parsing: "2026-11-27T00:11:55.5Z")).nanoseconds
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for format in CaptureWriter.Format.allCases {
            let taken = directory + "/dasaudit-20261127-001155-0001.\(format.fileExtension)"
            try Data("someone else's".utf8).write(to: URL(fileURLWithPath: taken))
            let writer = try CaptureWriter(directory: directory, linkType: 1, snapshotLength: 65535, rotation: .init(),
                                           startTime: start, format: format)
            writer.close()
            XCTAssertEqual(writer.files, [directory + "/dasaudit-20261127-001155-0002.\(format.fileExtension)"])
            XCTAssertEqual(try String(contentsOfFile: taken, encoding: .utf8), "someone else's")
            XCTAssertEqual(try packets(of: writer.files[0]), [], "an empty capture is still a readable capture")
        }
    }

    func testAFileThatCannotGrowStopsTheWritingAndSaysWhy() throws {
        // A file size limit of 4 KiB for this process, as a full disk would stop it.
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit)
        var small = limit
        small.rlim_cur = 4096
        let previousHandler = signal(SIGXFSZ, SIG_IGN)
        setrlimit(Int32(RLIMIT_FSIZE.rawValue), &small)
        let writers: [CaptureWriter]
        do {
            defer {
                setrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit)
                signal(SIGXFSZ, previousHandler)
            }
            writers = try CaptureWriter.Format.allCases.map { try write(rotation: .init(), format: $0, into: "\(directory)/\($0)") }
        }
        for writer in writers {
            let failure = try XCTUnwrap(writer.failure)
            XCTAssertEqual(failure.path, writer.files.last)
            XCTAssertTrue("\(failure)".hasSuffix(": File too large"), "\(failure)")
            XCTAssertLessThan(writer.packetsWritten, UInt64(try packets(of: source).count))
            var kept: UInt64 = 0
            XCTAssertEqual(try CaptureFile(path: writer.files[0]).forEachPacket { _, _ in kept += 1 }, .endOfInput,
                           "what was written before is still a whole capture")
            XCTAssertEqual(kept, writer.packetsWritten, "\(writer.format): every packet counted written is in the file")
        }
    }

    func testADirectoryThatCannotBeMadeIsAClearError() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let file = directory + "/plain-file"
        try Data().write(to: URL(fileURLWithPath: file))
        XCTAssertThrowsError(try CaptureWriter(directory: file + "/evidence", linkType: 1, snapshotLength: 65535,
                                               rotation: .init(), startTime: 0)) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot write capture file \(file)/evidence: "), "\(error)")
        }
    }
}
