import Foundation
import Policy
import Protocols
import XCTest

/// The web UIs' HTTPS connectors (`SparkHTTPSPorts`) in the catalog, moved with their UI,
/// and read from a DAS installation's spark-defaults.conf as Spark's `SSLOptions` reads them;
/// and which Spark ports may carry TLS by Spark's own configuration.
final class SparkHTTPSPortsTests: XCTestCase {
    /// A DAS home of carbon.xml at offset 2 and this spark-defaults.conf.
    private func home(sparkDefaults: String) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("das-https-\(UUID())")
        let spark = root.appendingPathComponent(DASInstallation.sparkDefaults)
        try FileManager.default.createDirectory(at: spark.deletingLastPathComponent(), withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        try Data("<Server xmlns=\"http://wso2.org/projects/carbon/carbon.xml\"><Ports><Offset>2</Offset></Ports></Server>".utf8)
            .write(to: root.appendingPathComponent(DASInstallation.carbonXML))
        try Data(sparkDefaults.utf8).write(to: spark)
        return root.path
    }

    func testEachUIHasItsHTTPSPortFourHundredAbove() throws {
        let policy = Policy(profile: .das, offset: 2, mode: .cluster)
        func port(_ key: String) -> UInt16? { policy.catalog.first { $0.key == key }?.port(offset: 2) }
        XCTAssertEqual(port("spark.ui.https.port"), 4442, "Spark's log: 'SparkUI (HTTPS)' on port 4442")
        XCTAssertEqual(port("spark.master.webui.https.port"), 8483)
        XCTAssertEqual(port("spark.worker.webui.https.port"), 11902)
        XCTAssertEqual(port("spark.history.ui.https.port"), 18482)
        XCTAssertEqual(policy.expectedProtocol(key: "spark.ui.https.port"), .tls)
        let stock = Policy(profile: .spark)
        XCTAssertEqual(stock.catalog.first { $0.key == "spark.master.ui.https.port" }?.port(offset: 0), 8480)
        XCTAssertEqual(stock.catalog.first { $0.key == "spark.worker.ui.https.port" }?.port(offset: 0), 8481)
        // Spark 1.x served its UIs over HTTP only.
        XCTAssertFalse(Policy(profile: .das31).catalog.contains { SparkHTTPSPorts.isConnectorKey($0.key) })
        XCTAssertEqual(SparkHTTPSPorts.derivedPort(from: 65400), 1288, "Utils.userPort wraps into 1024 and up")
    }

    func testAMovedUIMovesItsHTTPSPortUnlessThatIsSetItself() throws {
        var settings = PolicySettings()
        settings.basePorts = ["spark.ui.port": 5000, "spark.master.webui.port": 9000, "spark.master.webui.https.port": 9100]
        let policy = try settings.makePolicy()
        XCTAssertEqual(policy.catalog.first { $0.key == "spark.ui.https.port" }?.basePort, 5400)
        XCTAssertEqual(policy.catalog.first { $0.key == "spark.master.webui.https.port" }?.basePort, 9100)
        // Under a Spark 1.x profile the HTTPS key has nothing to move: not an error.
        settings.profile = "das-3.1"
        XCTAssertNoThrow(try settings.makePolicy())
    }

    func testTheInstallationSaysWhichUIsServeHTTPSAndOnWhichPorts() throws {
        let stock = try DASInstallation.read(home: home(sparkDefaults: "spark.ui.port 4040\n"))
        XCTAssertNil(stock.features[.sparkUIHTTPS], "no spark.ssl.*.enabled: not said")

        let some = try DASInstallation.read(home: home(sparkDefaults: """
            spark.ssl.enabled true
            spark.ssl.standalone.enabled FALSE
            spark.ssl.ui.port 4600
            spark.ssl.historyServer.port 18600
            """))
        XCTAssertEqual(some.features[.sparkUIHTTPS], true)
        XCTAssertEqual(some.origins["features.spark-ui-https"]?.line, 1)
        XCTAssertEqual(some.basePorts["spark.ui.https.port"], 4600)
        XCTAssertEqual(some.origins["ports.spark.ui.https.port"]?.line, 3)
        XCTAssertEqual(some.basePorts["spark.history.ui.https.port"], 18600)
        XCTAssertEqual(some.unboundKeys, ["spark.master.webui.https.port", "spark.worker.webui.https.port"],
                       "spark.ssl.standalone.enabled false: the master and worker UIs stay HTTP")
        let policy = try some.makePolicy()
        XCTAssertEqual(policy.expectedEntries(at: 4602).map(\.key), ["spark.ui.https.port"], "DAS adds the offset")
        XCTAssertEqual(policy.expectedEntries(at: 8483), [])

        let off = try DASInstallation.read(home: home(sparkDefaults: "spark.ssl.enabled false\nspark.ssl.ui.port 4600\n"))
        XCTAssertEqual(off.features[.sparkUIHTTPS], false)
        XCTAssertEqual(off.basePorts["spark.ui.https.port"], 4600, "read all the same, and recorded")
        XCTAssertEqual(try off.makePolicy().expectedEntries(at: 4602), [])

        XCTAssertThrowsError(try DASInstallation.read(home: home(sparkDefaults: "spark.ssl.ui.port 70000\n"))) { error in
            XCTAssertEqual((error as? PolicyError)?.line, 1)
        }
    }

    func testSparkCanCarryItsOwnPortsInTLS() {
        // Spark 4's spark.ssl.rpc.enabled: the RPC and block transfer ports.
        XCTAssertTrue(PortProtocols.mayWrapInTLS(key: "spark.master.port", profileName: "das"))
        XCTAssertTrue(PortProtocols.mayWrapInTLS(key: "spark.blockManager.port", profileName: "spark"))
        // Spark 1.6's network-common RPC has none; its Akka actor system has spark.ssl.akka.
        XCTAssertFalse(PortProtocols.mayWrapInTLS(key: "spark.master.port", profileName: "das-3.1"))
        XCTAssertTrue(PortProtocols.mayWrapInTLS(key: "sparkDriverActorSystem", profileName: "das-3.2"))
        XCTAssertTrue(PortProtocols.mayWrapInTLS(key: "spark.master.port", profileName: "das-3.0"))
        XCTAssertTrue(PortProtocols.mayWrapInTLS(key: "spark.fileserver.port", profileName: "das-3.1"), "spark.ssl.fs")
        XCTAssertFalse(PortProtocols.mayWrapInTLS(key: "thrift.tcp.port", profileName: "das"))
        // An allow: entry that states the port's protocol is the whole word.
        var policy = Policy(profile: .das, offset: 2, mode: .cluster)
        XCTAssertTrue(policy.mayWrapInTLS(port: 7079, key: "spark.master.port"))
        policy.allowedPorts[7079] = "RPC in the clear only"
        policy.allowedProtocols[7079] = .sparkRPC
        XCTAssertFalse(policy.mayWrapInTLS(port: 7079, key: "spark.master.port"))
    }
}
