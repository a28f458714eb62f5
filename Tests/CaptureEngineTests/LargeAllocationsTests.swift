import CaptureEngine
import Foundation
import XCTest

/// Large blocks go back to the system when freed, even after larger ones were freed before
/// (which, left to itself, makes glibc keep blocks of up to that size in the heap).
final class LargeAllocationsTests: XCTestCase {
    func testAFreedLargeBlockNoLongerCountsAsResident() throws {
        #if !canImport(Glibc)
        throw XCTSkip("the threshold is a glibc setting")
        #else
        XCTAssertTrue(LargeAllocations.returnToSystemWhenFreed())
        // By default this raises glibc's threshold to 24 MiB, and the next block comes from the heap.
        touchAndFree(24 << 20)
        let size = 16 << 20
        let before = residentBytes()
        let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        block.initializeMemory(as: UInt8.self, repeating: 1, count: size)
        let touched = residentBytes()
        block.deallocate()
        let after = residentBytes()
        XCTAssertGreaterThan(touched - before, size / 2, "the block was resident while in use")
        XCTAssertLessThan(after - before, size / 4, "the freed block is still resident")
        #endif
    }

    private func touchAndFree(_ size: Int) {
        let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        block.initializeMemory(as: UInt8.self, repeating: 1, count: size)
        block.deallocate()
    }

    /// This process's resident bytes (Linux: /proc/self/statm, in pages).
    private func residentBytes() -> Int {
        let text = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? ""
        let pages = text.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
