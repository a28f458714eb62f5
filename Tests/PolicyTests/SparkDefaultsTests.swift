import Foundation
import Policy
import XCTest

/// spark-defaults.conf and axis2.xml's clustering read as DAS reads them, on the real DAS
/// 3.2.0 tree of the offset-4 cluster (Tests/Fixtures/das-3.2.0-cluster-local, SOURCE.txt)
/// and edited copies of it.
final class SparkDefaultsTests: XCTestCase {
    let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/das-3.2.0-cluster-local")

    /// A copy of the fixture with spark-defaults.conf (and axis2.xml) edited.
    private func home(sparkDefaults edit: (String) -> String = { $0 }, clustering: Bool = true) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("das-spark-\(UUID())")
        try FileManager.default.copyItem(at: fixture, to: root)
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        let sparkFile = root.appendingPathComponent(DASInstallation.sparkDefaults)
        try Data(edit(try String(contentsOf: sparkFile, encoding: .utf8)).utf8).write(to: sparkFile)
        if !clustering {
            let axis2 = root.appendingPathComponent(DASInstallation.axis2XML)
            let text = try String(contentsOf: axis2, encoding: .utf8)
            XCTAssertTrue(text.contains("enable=\"true\">"))
            try Data(text.replacingOccurrences(of: "enable=\"true\">", with: "enable=\"false\">").utf8).write(to: axis2)
        }
        return root.path
    }

    private func replacing(_ line: String, with new: String) -> (String) -> String {
        { text in
            XCTAssertTrue(text.contains("\n\(line)\n"), line)
            return text.replacingOccurrences(of: "\n\(line)\n", with: "\n\(new)\n")
        }
    }

    func testLocalWithClusteringIsDASsOwnSparkCluster() throws {
        let settings = try DASInstallation.read(home: fixture.path)
        XCTAssertEqual(settings.offset, 4)
        XCTAssertEqual(settings.features[.clustering], true)
        XCTAssertEqual(settings.mode, .cluster, "carbon.spark.master local + clustering: getClusterMode gives carbonSpark")
        XCTAssertEqual(settings.origins["mode"]?.line, 17)
        let local = try DASInstallation.read(home: home(clustering: false))
        XCTAssertEqual(local.mode, .local)
        let absent = try DASInstallation.read(home: home(sparkDefaults: replacing("carbon.spark.master local", with: "")))
        XCTAssertEqual(absent.mode, .cluster, "no carbon.spark.master: DAS's default local, under clustering")
    }

    func testSparkPortsLeftOutAreDASsOwnDefaultsPlusTheOffset() throws {
        // SparkAnalyticsExecutor fills every Spark port it knows with setIfMissing (the
        // catalog's values) before it adds the offset to each spark.*.port: a file trimmed of
        // every port key gives the node the same ports as the stock file.
        let trimmed = try home(sparkDefaults: { text in
            text.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !($0.hasPrefix("spark.") && $0.split(separator: " ").first?.hasSuffix(".port") == true) }
                .joined(separator: "\n")
        })
        let read = try DASInstallation.read(home: trimmed)
        XCTAssertEqual(read.basePorts.keys.filter { $0.hasPrefix("spark.") }, [], "no Spark port is read from the file")
        let stock = try DASInstallation.read(home: fixture.path).makePolicy()
        let policy = try read.makePolicy()
        XCTAssertEqual(policy.expectedEntries.map { "\($0.key) \(policy.ports(of: $0))" },
                       stock.expectedEntries.map { "\($0.key) \(stock.ports(of: $0))" })
        XCTAssertEqual(policy.expectedEntries(at: 4044).map(\.key), ["spark.ui.port"], "4040 + offset 4")
        XCTAssertTrue(policy.expectedEntries(at: 11004).contains { $0.key == "spark.worker.port" },
                      "11000 + 4, not startWorker's unreachable fallback 10000 + 4")
        XCTAssertEqual(policy.expectedEntries(at: 10004), [])
        XCTAssertEqual(policy.executorAllowed, PortRange(12004, 12005))
    }

    func testCarbonWithoutClusteringIsRefusedAsDASRefusesIt() throws {
        let carbon = replacing("carbon.spark.master local", with: "carbon.spark.master carbon")
        XCTAssertEqual(try DASInstallation.read(home: home(sparkDefaults: carbon)).mode, .cluster)
        let path = try home(sparkDefaults: carbon, clustering: false)
        XCTAssertThrowsError(try DASInstallation.read(home: path)) { error in
            XCTAssertEqual("\(error)", "\(path)/\(DASInstallation.sparkDefaults):17: carbon.spark.master 'carbon' needs Carbon "
                + "clustering, which axis2.xml switches off: DAS refuses to start Spark (\"Using Carbon Clustering without "
                + "enabling clustering in axis2\"); enable <clustering> or use local")
        }
    }

    func testACRLFFileIsRead() throws {
        let edit: (String) -> String = { text in
            self.replacing("carbon.spark.master local", with: "carbon.spark.master carbon")(
                self.replacing("spark.worker.cores 1", with: "spark.worker.cores 3")(
                    self.replacing("spark.ui.port 4040", with: "spark.ui.port 4100")(text)))
                .replacingOccurrences(of: "\n", with: "\r\n")
        }
        let settings = try DASInstallation.read(home: home(sparkDefaults: edit))
        XCTAssertEqual(settings.mode, .cluster)
        XCTAssertEqual(settings.cores, 3)
        XCTAssertEqual(settings.basePorts["spark.ui.port"], 4100)
        XCTAssertEqual(settings.origins["ports.spark.ui.port"]?.line, 51)
    }

    func testEqualsAndColonSeparateAsInJavaProperties() throws {
        let edit: (String) -> String = { text in
            self.replacing("spark.ui.port 4040", with: "spark.ui.port=4100")(
                self.replacing("spark.driver.port 13000", with: "spark.driver.port: 13100")(
                    self.replacing("spark.worker.cores 1", with: "spark.worker.cores = 3")(text)))
        }
        let settings = try DASInstallation.read(home: home(sparkDefaults: edit))
        XCTAssertEqual(settings.basePorts["spark.ui.port"], 4100)
        XCTAssertEqual(settings.basePorts["spark.driver.port"], 13100)
        XCTAssertEqual(settings.cores, 3)
    }

    func testCarbonSparkMasterWinsOverSparkMaster() throws {
        let both = replacing("carbon.spark.master local", with: "carbon.spark.master local\nspark.master spark://10.0.0.9:7077")
        XCTAssertEqual(try DASInstallation.read(home: home(sparkDefaults: both, clustering: false)).mode, .local,
                       "DAS sets carbon.spark.master as Spark's master")
    }

    func testExternalMastersAreClientMode() throws {
        for master in ["yarn-client", "yarn", "mesos://10.0.0.9:5050", "spark://10.0.0.9:7077", "SPARK://h:7077"] {
            let edit = replacing("carbon.spark.master local", with: "carbon.spark.master \(master)")
            XCTAssertEqual(try DASInstallation.read(home: home(sparkDefaults: edit)).mode, .client, master)
        }
        let path = try home(sparkDefaults: replacing("carbon.spark.master local", with: "carbon.spark.master yarn-cluster"))
        XCTAssertThrowsError(try DASInstallation.read(home: path)) { error in
            XCTAssertTrue("\(error)".hasSuffix(":17: carbon.spark.master 'yarn-cluster' is not supported by DAS, which refuses "
                + "to start Spark; use yarn-client"), "\(error)")
        }
    }

    func testMasterValuesAsGetClusterModeComparesThem() {
        func mode(_ master: String, _ clustering: Bool?) -> SparkMode? { try? SparkMaster.mode(master, clustering: clustering).get() }
        XCTAssertEqual(mode("local", nil), .local)
        XCTAssertEqual(mode("local[4]", false), .local)
        XCTAssertEqual(mode("Local", true), .cluster, "compared in lower case")
        XCTAssertEqual(mode("CARBON", true), .cluster)
        XCTAssertEqual(mode("carbon[3]", nil), .cluster, "no axis2.xml: taken at its word")
        XCTAssertNil(mode("carbon", false))
        XCTAssertEqual(mode("spark://10.0.0.1:7077", true), .client)
        XCTAssertNil(mode("kubernetes", nil))
        XCTAssertNil(mode("", nil))
    }

    func testPortZeroIsAnyFreePort() throws {
        let path = try home(sparkDefaults: replacing("spark.ui.port 4040", with: "spark.ui.port 0"), clustering: false)
        var settings = try DASInstallation.read(home: path)
        XCTAssertEqual(settings.basePorts["spark.ui.port"], 0)
        settings.offset = 0
        let policy = try settings.makePolicy()
        XCTAssertFalse(policy.expectedEntries.map(\.key).contains("spark.ui.port"), "offset 0: any free port, none expected")
        XCTAssertEqual(policy.expectedEntries(at: 0), [])
        settings.offset = 4
        XCTAssertEqual(try settings.makePolicy().expectedEntries(at: 4).map(\.key), ["spark.ui.port"], "DAS adds the offset to 0")
        XCTAssertEqual(try settings.makePolicy().expectedEntries(at: 404).map(\.key), ["spark.ui.https.port"],
                       "Spark's HTTPS port for UI port 4: Utils.userPort(4, 400)")

        var driver = PolicySettings()
        driver.profile = "das-3.2"
        driver.basePorts["spark.driver.port"] = 0
        let keys = try driver.makePolicy().expectedEntries.map(\.key)
        XCTAssertFalse(keys.contains("spark.driver.port") || keys.contains("sparkDriverActorSystem"),
                       "Spark 1.6 puts the actor system on any free port too when the driver port is 0")
    }

    func testAMalformedEscapeNamesItsLine() throws {
        let path = try home(sparkDefaults: replacing("spark.ui.port 4040", with: "spark.ui.port \\u40x0"))
        XCTAssertThrowsError(try DASInstallation.read(home: path)) { error in
            XCTAssertTrue("\(error)".hasSuffix(":51: malformed \\uXXXX escape (Java refuses the file)"), "\(error)")
        }
    }
}
