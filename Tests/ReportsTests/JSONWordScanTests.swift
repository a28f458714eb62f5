@testable import Reports
import XCTest

/// `JSONStreamWriter.mayNeedEscaping`: eight bytes are skipped only when none of them is
/// one the escaper looks at.
final class JSONWordScanTests: XCTestCase {
    private func needsALook(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte >= 0x7F
    }

    func testEveryByteAtEveryPlaceAmongPlainOnes() {
        for plain in [UInt8(ascii: " "), UInt8(ascii: "a"), UInt8(ascii: "~"), UInt8(ascii: "!"), UInt8(ascii: "]")] {
            for byte in UInt8.min...UInt8.max {
                for place in 0..<8 {
                    var bytes = [UInt8](repeating: plain, count: 8)
                    bytes[place] = byte
                    let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                    XCTAssertEqual(JSONStreamWriter.mayNeedEscaping(word), needsALook(byte),
                                   "byte \(byte) at \(place) among \(plain)")
                }
            }
        }
    }

    func testRandomWordsAgreeWithTheBytes() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200_000 {
            // Mostly printable ASCII, so that words without a byte to look at are common.
            let bytes = (0..<8).map { _ in UInt8.random(in: 0...9, using: &generator) == 0
                ? UInt8.random(in: 0...255, using: &generator) : UInt8.random(in: 0x20...0x7E, using: &generator) }
            let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            XCTAssertEqual(JSONStreamWriter.mayNeedEscaping(word), bytes.contains(where: needsALook), "\(bytes)")
        }
    }
}
