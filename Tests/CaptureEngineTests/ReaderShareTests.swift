@testable import CaptureEngine
import XCTest

/// Which thread of a pipelined reader tracks an input's connections.
final class ReaderShareTests: XCTestCase {
    func testTheReaderTracksOnlyWholePacketsWithTheHashBesideIt() {
        XCTAssertEqual(ReaderShare.forInput(snapshotLength: 96, hashedAlongside: true), .trackingThreadTakesAll)
        XCTAssertEqual(ReaderShare.forInput(snapshotLength: 256, hashedAlongside: true), .trackingThreadTakesAll)
        XCTAssertEqual(ReaderShare.forInput(snapshotLength: 257, hashedAlongside: true), .readerKeepsAll)
        XCTAssertEqual(ReaderShare.forInput(snapshotLength: 65535, hashedAlongside: true), .readerKeepsAll)
        XCTAssertEqual(ReaderShare.forInput(snapshotLength: 96, hashedAlongside: false), .trackingThreadTakesAll)
        XCTAssertEqual(ReaderShare.forInput(snapshotLength: 65535, hashedAlongside: false), .trackingThreadTakesAll)
    }
}
