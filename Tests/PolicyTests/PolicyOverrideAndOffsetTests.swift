import Policy
import XCTest

/// Which source won a field, and the offsets a catalog can take.
final class PolicyOverrideAndOffsetTests: XCTestCase {
    func testAFieldSetTwiceIsReportedWithBothSources() throws {
        let file = try PolicyFile.parse("offset: 5\ncores: 2\nmode: cluster\n", path: "policy.yaml")
        var commandLine = PolicySettings()
        commandLine.offset = 2
        commandLine.origins["offset"] = SettingOrigin(source: "--offset")
        commandLine.mode = .cluster
        commandLine.origins["mode"] = SettingOrigin(source: "--mode")
        XCTAssertEqual(file.overrides(by: commandLine).map(\.description),
                       ["offset 2 from --offset overrides 5 from policy.yaml:1"], "the same value twice is no override")
        XCTAssertEqual(file.overlaid(with: commandLine).origins["offset"], SettingOrigin(source: "--offset"))
        XCTAssertEqual(file.overlaid(with: commandLine).origins["cores"], SettingOrigin(source: "policy.yaml", line: 2))
    }

    func testMovedPortsAndAllowedPortsAreComparedOneByOne() throws {
        let file = try PolicyFile.parse("ports:\n  spark.ui.port: 4050\nallow:\n  - {port: 22, reason: ssh}\n", path: "p.yaml")
        var home = PolicySettings()
        home.basePorts = ["spark.ui.port": 4060, "spark.driver.port": 13100]
        home.origins["ports.spark.ui.port"] = SettingOrigin(source: "spark-defaults.conf", line: 4)
        home.allowedPorts = [22: "operator ssh"]
        XCTAssertEqual(file.overrides(by: home).map(\.description), [
            "ports.spark.ui.port 4060 from spark-defaults.conf:4 overrides 4050 from p.yaml:2",
            "allow.22 'operator ssh' (no protocol) overrides 'ssh' (no protocol) from p.yaml:4",
        ])
    }

    /// Regression: the limit used to be 55535 for every profile, and ports were clamped at 65535.
    func testTheLargestOffsetComesFromTheCatalog() {
        XCTAssertEqual(Policy(profile: .das).largestOffset, 65535 - 18080, "spark.history.ui.port 18080")
        XCTAssertEqual(Policy(profile: .das).largestOffset, 47455)
        XCTAssertEqual(Policy(profile: .spark).largestOffset, 0, "nothing shifted: plain Spark has no offset")
        XCTAssertEqual(Policy(profile: .spark, offset: 2).offsetProblem?.hasPrefix("offset 2: profile spark has no port offset"), true)
        var moved = Policy(profile: .das)
        moved.moveBasePort(of: "spark.ui.port", to: 60000)
        XCTAssertEqual(moved.largestOffset, 5535, "a moved port counts")
        XCTAssertEqual(Policy(profile: .das31, coresPerNode: 1000, portRetries: 0).largestOffset, 65535 - 18080)
    }

    /// Regression: `ports --offset 50000` printed 65535 for ten keys.
    func testAnOffsetPastTheLastPortIsRefusedNamingTheLargest() {
        var settings = PolicySettings()
        settings.offset = 50000
        settings.origins["offset"] = SettingOrigin(source: "--offset")
        XCTAssertThrowsError(try settings.makePolicy()) { error in
            XCTAssertEqual("\(error)", "--offset: offset 50000 would put spark.history.ui.port (base 18080) at 68080, past 65535; "
                + "the largest offset profile das allows is 47455 (range 0-47455)")
        }
        settings.offset = 47455
        XCTAssertEqual(try settings.makePolicy().ports(of: Catalog.das.first { $0.key == "spark.history.ui.port" }!), 65535...65535)
    }

    func testANegativeOffsetStatesTheRangeAndTheFileLine() throws {
        var settings = PolicySettings()
        settings.offset = -1
        XCTAssertThrowsError(try settings.makePolicy()) { error in
            XCTAssertEqual("\(error)", "offset: offset -1 is outside the allowed range 0-47455 for profile das")
        }
        let file = try PolicyFile.parse("offset: 40000\nports:\n  spark.driver.port: 30000\n", path: "p.yaml")
        XCTAssertThrowsError(try file.makePolicy()) { error in
            XCTAssertTrue("\(error)".hasPrefix("p.yaml:1: offset 40000 would put spark.driver.port (base 30000) at 70000"), "\(error)")
        }
    }

    func testAnUnknownProfileSuggestsTheNearest() {
        var settings = PolicySettings()
        settings.profile = "das-3.3"
        settings.origins["profile"] = SettingOrigin(source: "--profile")
        XCTAssertThrowsError(try settings.makePolicy()) { error in
            XCTAssertEqual("\(error)", "--profile: unknown profile 'das-3.3'; did you mean das-3.0? the built-in profiles are "
                + "das, das-3.0, das-3.1, das-3.2, spark")
        }
        settings.profile = "SPARK"
        XCTAssertEqual(try settings.makePolicy().profileName, "spark")
    }
}
