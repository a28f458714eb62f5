import Foundation
import PcapKit
import XCTest

/// `POSIXFile.read(_:into:at:)`, the positional read behind the evidence hash: it fills the
/// buffer unless the file ends first, says how much it read, and fails without a count.
final class POSIXFileTests: XCTestCase {
    func testAPositionalReadFillsTheBufferOrStopsAtTheEnd() throws {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("posixfile-\(UUID().uuidString)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let descriptor = open(path, O_RDONLY)
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 256)

        let whole = buffer.withUnsafeMutableBytes { POSIXFile.read(descriptor, into: $0, at: 100) }
        XCTAssertEqual(whole, 256)
        XCTAssertEqual(buffer, Array(bytes[100..<356]))

        let tail = buffer.withUnsafeMutableBytes { POSIXFile.read(descriptor, into: $0, at: 900) }
        XCTAssertEqual(tail, 100, "the file ends 100 bytes on")
        XCTAssertEqual(Array(buffer.prefix(100)), Array(bytes[900...]))

        XCTAssertEqual(buffer.withUnsafeMutableBytes { POSIXFile.read(descriptor, into: $0, at: 1000) }, 0)
        XCTAssertEqual(lseek(descriptor, 0, SEEK_CUR), 0, "no file offset moved")
    }

    func testAReadThatFailsGivesNoCount() {
        var buffer = [UInt8](repeating: 0, count: 16)
        XCTAssertNil(buffer.withUnsafeMutableBytes { POSIXFile.read(-1, into: $0, at: 0) })
        XCTAssertEqual(errno, EBADF)
    }
}
