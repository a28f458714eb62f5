import CaptureEngine
import Foundation
import XCTest

/// Large blocks go back to the system when freed, even after larger ones were freed before
/// (which, left to itself, makes glibc keep blocks of up to that size in the heap).
final class LargeAllocationsTests: XCTestCase {
    func testAFreedLargeBlockIsNoLongerMapped() throws {
        #if !canImport(Glibc)
        throw XCTSkip("the threshold is a glibc setting")
        #else
        XCTAssertTrue(LargeAllocations.returnToSystemWhenFreed())
        // By default this raises glibc's threshold to 24 MiB, and the next block comes from the heap.
        touchAndFree(24 << 20)
        let size = 16 << 20, page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        block.initializeMemory(as: UInt8.self, repeating: 1, count: size)
        // Whole pages inside the block: mapped while it is in use, gone once it is freed.
        // (Asked of the pages themselves, so other threads' memory cannot blur the answer.)
        let firstPage = UnsafeMutableRawPointer(bitPattern: (Int(bitPattern: block) + page - 1) / page * page)!
        let length = size - 2 * page
        XCTAssertTrue(isMapped(firstPage, length: length), "the block is mapped while in use")
        block.deallocate()
        XCTAssertFalse(isMapped(firstPage, length: length), "the freed block is still mapped")
        #endif
    }

    private func touchAndFree(_ size: Int) {
        let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        block.initializeMemory(as: UInt8.self, repeating: 1, count: size)
        block.deallocate()
    }

    /// Whether every page of the range is mapped: `mincore` fails with ENOMEM where one is not.
    private func isMapped(_ start: UnsafeMutableRawPointer, length: Int) -> Bool {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        var residency = [UInt8](repeating: 0, count: (length + page - 1) / page)
        return mincore(start, length, &residency) == 0
    }
}
