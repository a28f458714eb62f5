import Foundation
@testable import PcapKit
import XCTest

/// The reading in place refills its window with `fread` (`RecordWindow.refill`): asked for
/// what the stream's buffer still holds and then whole buffers, glibc reads them straight
/// into the window and keeps nothing back; asked for any other length, it read the last
/// part into its own buffer and copied it out, a quarter of the file copied twice.
final class RecordWindowRefillTests: XCTestCase {
    func testARefillLeavesNothingInTheStreamsBuffer() throws {
        let scratch = try ScratchDirectory()
        let path = try scratch.file("bytes", Data(count: 4 << 20))
        let stream = try XCTUnwrap(fopen(path, "rb"))
        let buffer = StreamBuffer(for: stream, size: CaptureStream.bufferSize)
        defer {
            fclose(stream)
            withExtendedLifetime(buffer) {}
        }
        var fileHeader = [UInt8](repeating: 0, count: 24)
        XCTAssertEqual(fread(&fileHeader, 1, 24, stream), 24)  // as libpcap reads it, through the buffer
        var window = RecordWindow(observer: nil)
        defer { window.deallocate() }
        for refill in 1...3 {
            window.refill(from: stream)
            XCTAssertGreaterThanOrEqual(window.count, RecordWindow.capacity - 100, "refill \(refill)")
            XCTAssertEqual(ftello(stream), lseek(fileno(stream), 0, SEEK_CUR), "bytes left in the buffer after refill \(refill)")
            window.consume(window.count - 100)  // the start of a record stays unread
        }
    }

    func testAPipeIsAskedForTheRestOfTheMegabyte() throws {
        var ends: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&ends), 0)
        let stream = try XCTUnwrap(fdopen(ends[0], "rb"))
        defer {
            fclose(stream)
            close(ends[1])
        }
        XCTAssertEqual(RecordWindow.readSize(after: 1000, from: stream), RecordWindow.capacity - 1000)
    }
}
