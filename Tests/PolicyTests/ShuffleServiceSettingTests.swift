import Foundation
import Policy
import XCTest

/// `--das-home` reads `spark.shuffle.service.enabled` as Spark does (a boolean, any case;
/// anything else refused with its line) into the `shuffle-service` feature, and the
/// catalog expects `spark.shuffle.service.port` (plus the offset) only when it is on.
final class ShuffleServiceSettingTests: XCTestCase {
    func testEnabledExpectsTheMovedPortOnWorkersInClusterMode() throws {
        var read = try settings(sparkDefaults: "spark.shuffle.service.enabled TRUE\nspark.shuffle.service.port 7400\n")
        XCTAssertEqual(read.features[.shuffleService], true)
        read.mode = .cluster
        let policy = try read.makePolicy()
        XCTAssertEqual(policy.expectedEntries(at: 7402).map(\.key), ["spark.shuffle.service.port"], "7400 + offset 2")
        XCTAssertEqual(policy.expectedEntries(at: 7339), [])
        let worker = Node(name: "w", addresses: [AddressPattern("127.0.0.2")!], roles: [.worker])
        let master = Node(name: "m", addresses: [AddressPattern("127.0.0.1")!], roles: [.master])
        XCTAssertEqual(policy.expectedEntries(at: 7402, on: worker).count, 1)
        XCTAssertEqual(policy.expectedEntries(at: 7402, on: master).count, 0, "the workers run it")
    }

    func testEnabledWithoutItsPortIsSparksDefaultWithoutTheOffset() throws {
        // DAS fills in no default for spark.shuffle.service.port, so it adds no offset to it:
        // the worker's service binds Spark's 7337 at offset 2.
        var read = try settings(sparkDefaults: "spark.port.maxRetries 16\nspark.shuffle.service.enabled true\n")
        read.mode = .cluster
        let policy = try read.makePolicy()
        XCTAssertEqual(policy.expectedEntries(at: 7337).map(\.key), ["spark.shuffle.service.port"])
        XCTAssertEqual(policy.expectedEntries(at: 7339), [])
        XCTAssertNil(read.basePorts["spark.shuffle.service.port"], "not set: the catalog's unshifted port")
        XCTAssertEqual(read.installationNotes.map(\.origin.line), [2])
        XCTAssertTrue(read.installationNotes[0].text.contains("binds Spark's default 7337 without the offset"),
                      read.installationNotes[0].text)
        // Off, nothing is said: the port is not expected anyway.
        XCTAssertEqual(try settings(sparkDefaults: "spark.shuffle.service.enabled false\n").installationNotes, [])
    }

    /// At an offset of 7337 or more no base port brings the offset back to 7337: before, the
    /// unset key was stored as 7337 minus the offset, and past it left the catalog's port
    /// plus the offset (15337 at offset 8000).
    func testEnabledWithoutItsPortIsSparksDefaultUnderAnOffsetPastIt() throws {
        var read = try settings(sparkDefaults: "spark.shuffle.service.enabled true\n", offset: 8000)
        read.mode = .cluster
        let policy = try read.makePolicy()
        XCTAssertEqual(policy.offset, 8000)
        XCTAssertEqual(policy.expectedEntries(at: 7337).map(\.key), ["spark.shuffle.service.port"])
        XCTAssertEqual(policy.expectedEntries(at: 15337), [])
    }

    func testUnsaidOrFalseExpectsNothing() throws {
        for text in ["", "spark.shuffle.service.enabled false\n"] {
            var read = try settings(sparkDefaults: text)
            read.mode = .cluster
            let policy = try read.makePolicy()
            XCTAssertEqual(policy.expectedEntries(at: 7339), [], text)
            XCTAssertFalse(policy.expectedEntries.contains { $0.key == "spark.shuffle.service.port" }, "no unused opening")
        }
        XCTAssertNil(try settings(sparkDefaults: "").features[.shuffleService])
    }

    func testANonBooleanIsRefusedWithItsLine() {
        XCTAssertThrowsError(try settings(sparkDefaults: "# c\nspark.shuffle.service.enabled yes\n")) { error in
            XCTAssertTrue("\(error)".hasSuffix("spark-defaults.conf:2: spark.shuffle.service.enabled is 'yes'; expected true or false"),
                          "\(error)")
        }
    }

    func testALaterSparksKeyIsIgnoredAsDASDoes() throws {
        // spark.driver.blockManager.port (Spark 2.1) is no key of DAS's Spark 1.6.
        let read = try settings(sparkDefaults: "spark.driver.blockManager.port 12500\n")
        XCTAssertNil(read.basePorts["spark.driver.blockManager.port"])
        XCTAssertNoThrow(try read.makePolicy())
    }
}
