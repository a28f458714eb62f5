@testable import Audit
import XCTest

/// `stablySorted(by:keyCount:)` is the standard library's stable sort by the same key:
/// equal keys keep their order, on random keys (many repeats), none, and one.
final class StableCountingSortTests: XCTestCase {
    func testCountingSortIsTheStableSortByKey() {
        var generator = SystemRandomNumberGenerator()
        for count in [0, 1, 2, 17, 1000] {
            for keyCount in [1, 3, 50] {
                let elements = (0..<count).map { (key: Int.random(in: 0..<keyCount, using: &generator), tag: $0) }
                let sorted = elements.stablySorted(by: \.key, keyCount: keyCount)
                let expected = elements.sorted { $0.key < $1.key }  // stable
                XCTAssertEqual(sorted.map(\.tag), expected.map(\.tag), "\(count) elements, \(keyCount) keys")
            }
        }
        // Non-trivial elements are placed, not copied over a fill.
        XCTAssertEqual(["b", "a", "c"].stablySorted(by: { $0 == "c" ? 0 : 1 }, keyCount: 2), ["c", "b", "a"])
    }
}
