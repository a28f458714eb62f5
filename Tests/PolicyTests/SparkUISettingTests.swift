import Foundation
import Policy
import XCTest

/// `--das-home` reads `spark.ui.enabled` as Spark does (a boolean, any case; anything else
/// refused with its line) into the `spark-ui` feature, which is on unless said off: the
/// application UI's port (4040 + offset) is expected on a driver until the file (or the
/// policy) turns the UI off.
final class SparkUISettingTests: XCTestCase {
    private let driver = Node(name: "d", addresses: [AddressPattern("127.0.0.1")!], roles: [.driver])

    func testFalseTakesTheUIPortOut() throws {
        let read = try settings(sparkDefaults: "spark.ui.enabled false\n")
        XCTAssertEqual(read.features[.sparkUI], false)
        XCTAssertEqual(read.origins["features.spark-ui"]?.line, 1)
        let policy = try read.makePolicy()
        XCTAssertEqual(policy.expectedEntries(at: 4042, on: driver), [], "4040 + offset 2, no UI")
        XCTAssertFalse(ExpectedOpenings(policy: policy).scopes.flatMap(\.openings).contains { $0.key == "spark.ui.port" })
    }

    func testUnsaidOrTrueKeepsItExpectedAndRequired() throws {
        for text in ["", "spark.ui.enabled TRUE\n"] {
            let policy = try settings(sparkDefaults: text).makePolicy()
            XCTAssertEqual(policy.expectedEntries(at: 4042, on: driver).map(\.key), ["spark.ui.port"], text)
            XCTAssertTrue(policy.mustBeBound(policy.expectedEntries(at: 4042)[0]), "an unused one is low: \(text)")
        }
    }

    func testANonBooleanIsRefusedWithItsLine() {
        XCTAssertThrowsError(try settings(sparkDefaults: "spark.ui.enabled no\n")) { error in
            XCTAssertTrue("\(error)".hasSuffix("spark-defaults.conf:1: spark.ui.enabled is 'no'; expected true or false"),
                          "\(error)")
        }
    }

    func testThePolicyFileSaysItToo() throws {
        let file = try PolicyFile.parse("offset: 2\nfeatures: {spark-ui: off}\n", path: "p.yaml")
        XCTAssertEqual(try file.makePolicy().expectedEntries(at: 4042), [])
    }
}
