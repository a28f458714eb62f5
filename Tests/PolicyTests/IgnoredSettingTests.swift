import Foundation
import Policy
import XCTest

/// `--das-home` keeps every port-like key of spark-defaults.conf it does not read, with
/// its line (`IgnoredSetting`), instead of dropping it in silence; the keys it reads are
/// never among them. On Tests/Fixtures/das-home-ignored-ports (SOURCE.md) and small files.
final class IgnoredSettingTests: XCTestCase {
    let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/das-home-ignored-ports").path

    func testTheFixtureKeysDasauditDoesNotReadAreKeptWithTheirLines() throws {
        let read = try DASInstallation.read(home: fixture)
        XCTAssertEqual(read.ignoredSettings.map(\.key), ["spark.driver.blockManager.port", "spark.ssl.port",
                                                        "spark.driver.port.maxRetries", "spark.UI.Port", "spark.ui.https.port"])
        XCTAssertEqual(read.ignoredSettings.map(\.origin.line), [8, 9, 10, 11, 12])
        XCTAssertEqual(read.ignoredSettings.map(\.value), ["12600", "4443", "8", "4041", "4840"])
        XCTAssertTrue(read.ignoredSettings.allSatisfy { $0.origin.source.hasSuffix(DASInstallation.sparkDefaults) })
        // What it reads is applied and not noted.
        XCTAssertEqual(read.basePorts["spark.ui.port"], 4040)
        XCTAssertEqual(read.basePorts["spark.driver.port"], 13000)
        XCTAssertEqual(read.basePorts["spark.shuffle.service.port"], 7337)
        XCTAssertEqual(read.basePorts["spark.blockManager.port"], 12000)
        XCTAssertEqual(read.portRetries, 16)
        XCTAssertNil(read.basePorts["spark.driver.blockManager.port"])
    }

    func testTheNoteNamesTheFileTheLineAndWhatToDo() throws {
        let read = try DASInstallation.read(home: fixture)
        let notes = read.ignoredSettings.map(\.description)
        XCTAssertEqual(notes[0], "\(fixture)/\(DASInstallation.sparkDefaults):8: spark.driver.blockManager.port 12600 is not used "
            + "by dasaudit: it sets no port of the das profiles' catalog, so nothing is expected from it; if a service listens "
            + "there, allow its port (12600 plus the port offset, which DAS adds to every spark.*.port) in a policy file with `allow:`")
        XCTAssertFalse(notes[2].contains("allow"), "a retry count pins no port: \(notes[2])")
        XCTAssertTrue(notes[4].contains("(spark.ui.https.port is dasaudit's name; Spark's key is spark.ssl.ui.port)"), notes[4])
    }

    func testOnlyPortLikeSparkKeysAreKept() throws {
        let read = try settings(sparkDefaults: """
            spark.shuffle.io.transport nio
            spark.sql.support x
            spark.hadoop.fs.s3a.endpoint http://s3
            carbon.analytics.port 7000
            spark.yarn.am.port 9000
            spark.driver.bindPort 9001
            spark.ports.maxRetries 3
            spark.ui.port 4050
            spark.port.maxRetries 20

            """)
        XCTAssertEqual(read.ignoredSettings.map(\.key), ["spark.yarn.am.port", "spark.driver.bindPort", "spark.ports.maxRetries"])
        XCTAssertEqual(read.ignoredSettings.map(\.origin.line), [5, 6, 7])
    }

    func testAFileOfReadKeysOnlyKeepsNone() throws {
        XCTAssertEqual(try DASInstallation.read(home: URL(fileURLWithPath: fixture).deletingLastPathComponent()
            .appendingPathComponent("das-3.2.0-cluster-local").path).ignoredSettings, [])
        XCTAssertEqual(try settings(sparkDefaults: "spark.ui.port 4050\nspark.worker.webui.port 11600\nspark.master.port 7080\n").ignoredSettings, [])
    }

    func testThePolicyNamesThePortAKeyPinsUnderItsOffset() throws {
        var read = try DASInstallation.read(home: fixture)
        read.mode = .cluster
        let policy = try read.makePolicy()
        XCTAssertEqual(policy.ignoredSettings.count, 5, "carried into the policy, not applied")
        XCTAssertEqual(policy.ignoredSetting(pinning: 12602)?.key, "spark.driver.blockManager.port", "12600 + offset 2")
        XCTAssertNil(policy.ignoredSetting(pinning: 12600))
        XCTAssertNil(policy.ignoredSetting(pinning: 10), "8 + 2: a retry count pins nothing")
        XCTAssertEqual(policy.ignoredSettingPorts, [12602, 4445, 4043, 4842])
        XCTAssertTrue(policy.ignoredSettingHint(12602)?.hasPrefix("spark.driver.blockManager.port, a key dasaudit does not read: ")
                      == true)
    }
}
