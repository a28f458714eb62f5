import Foundation
import Policy
import Protocols
import XCTest

/// The web UIs' HTTPS connectors (`SparkHTTPSPorts`) in the catalog, moved with their UI,
/// and none from a DAS installation's spark-defaults.conf, whose Spark 1.x has no HTTPS UI;
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

    func testADASInstallationsSSLKeysOpenNoHTTPSUIPort() throws {
        // DAS 3.x runs Spark 1.x: spark.ssl.* covers Akka and the file server, no web UI.
        let read = try DASInstallation.read(home: home(sparkDefaults: """
            spark.ui.port 4040
            spark.ssl.enabled true
            spark.ssl.standalone.enabled FALSE
            spark.ssl.ui.port 4600
            spark.ssl.historyServer.port 70000
            """))
        XCTAssertNil(read.features[.sparkUIHTTPS], "left unsaid, as in a file without SSL")
        XCTAssertEqual(read.unboundKeys, [])
        XCTAssertEqual(read.basePorts.keys.filter(SparkHTTPSPorts.isConnectorKey), [])
        XCTAssertEqual(read.ignoredSettings.map { "\($0.origin.line!) \($0.key)" },
                       ["4 spark.ssl.ui.port", "5 spark.ssl.historyServer.port"], "Spark 1.x reads neither: no error for 70000")
        XCTAssertTrue(read.ignoredSettings[0].description.contains("DAS's Spark 1.x serves its UIs over HTTP only"),
                      read.ignoredSettings[0].description)
        XCTAssertEqual(read.installationNotes.map(\.origin.line), [2])
        XCTAssertTrue(read.installationNotes[0].text.hasPrefix("spark.ssl.enabled true: DAS's Spark 1.x applies SSL to its "
            + "Akka remoting and its HTTP file server, not to its web UIs"), read.installationNotes[0].text)
        let policy = try read.makePolicy()
        XCTAssertFalse(policy.expectedEntries.filter { SparkHTTPSPorts.isConnectorKey($0.key) }.contains(where: policy.mustBeBound),
                       "no HTTPS UI port must be bound, so none is a low unused opening")
        XCTAssertEqual(try DASInstallation.read(home: home(sparkDefaults: "spark.ssl.enabled false\n")).installationNotes, [],
                       "SSL off: nothing to say")
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
