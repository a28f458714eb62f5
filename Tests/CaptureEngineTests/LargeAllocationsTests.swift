import CaptureEngine
import Foundation
import XCTest

/// Large blocks go back to the system when freed, even after larger ones were freed before
/// (which, left to itself, makes glibc keep blocks of up to that size in the heap).
final class LargeAllocationsTests: XCTestCase {
    func testALargeBlockGetsAMappingOfItsOwnAndGivesItBack() throws {
        #if !canImport(Glibc)
        throw XCTSkip("the threshold is a glibc setting")
        #else
        XCTAssertTrue(LargeAllocations.returnToSystemWhenFreed())
        // By default this raises glibc's threshold to 24 MiB, and the next block comes from the heap.
        touchAndFree(24 << 20)
        // The allocator's own count of mapped blocks, not addresses or the process's resident
        // total, which other threads' memory moves; half the block's size leaves room for them.
        // glibc serves a block from free heap space when it has enough, whatever the
        // threshold, so the block is larger than that space (after other tests, the heap may
        // hold some; a block above 32 MiB then gets a mapping either way).
        let size = max(16 << 20, LargeAllocations.heapFreeBytes + (1 << 20))
        let before = LargeAllocations.mappedBytes
        let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        block.initializeMemory(as: UInt8.self, repeating: 1, count: size)
        let inUse = LargeAllocations.mappedBytes
        block.deallocate()
        let after = LargeAllocations.mappedBytes
        XCTAssertGreaterThan(inUse - before, size / 2, "the block has a mapping of its own")
        XCTAssertGreaterThan(inUse - after, size / 2, "freeing the block gave its mapping back")
        #endif
    }

    private func touchAndFree(_ size: Int) {
        let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        block.initializeMemory(as: UInt8.self, repeating: 1, count: size)
        block.deallocate()
    }
}
