import Foundation
@testable import PcapKit
import XCTest

/// libpcap reads a capture through a stdio stream, in blocks of the stream's buffer: 256 KiB
/// for an input, which glibc only honours when it is given the buffer (`StreamBuffer`);
/// asked for the size alone, it read 4 KiB at a time, a system call each.
final class StreamBufferTests: XCTestCase {
    func testAStreamReadsItsFileInBlocksOfItsBuffer() throws {
        let scratch = try ScratchDirectory()
        let path = try scratch.file("bytes", Data(count: 1 << 20))
        for size in [1 << 16, 1 << 18] {
            let stream = try XCTUnwrap(fopen(path, "rb"))
            let buffer = StreamBuffer(for: stream, size: size)
            var bytes = [UInt8](repeating: 0, count: 16)
            XCTAssertEqual(fread(&bytes, 1, 16, stream), 16)
            // The first 16 bytes came with one read of a whole buffer.
            XCTAssertEqual(lseek(fileno(stream), 0, SEEK_CUR), off_t(size), "buffer of \(size) bytes")
            fclose(stream)
            withExtendedLifetime(buffer) {}
        }
    }

    func testACaptureIsReadInBlocksOf256KiB() throws {
        let path = capture("spark-cluster-offset2-lo.pcap")
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        XCTAssertGreaterThan(size, 1 << 18)
        let capture = try CaptureFile(path: path)
        // libpcap has read the file header: the stream, one block.
        XCTAssertEqual(lseek(fileno(capture.stream.file), 0, SEEK_CUR), off_t(1 << 18))
    }
}
