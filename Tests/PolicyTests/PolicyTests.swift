import Policy
import XCTest

final class CatalogTests: XCTestCase {
    func testTheCatalogHoldsEveryPortOfTheSpecification() {
        let ports = Dictionary(grouping: Catalog.das, by: \.key).mapValues { $0[0].basePort }
        XCTAssertEqual(ports, [
            "thrift.ssl.port": 7711, "thrift.tcp.port": 7611,
            "ha.management.port": 10005, "ha.presenter.port": 11000, "ha.eventSync.port": 11224,
            "spark.ui.port": 4040, "spark.history.ui.port": 18080, "spark.blockManager.port": 12000,
            "spark.broadcast.port": 12500, "spark.driver.port": 13000, "spark.executor.port": 13500,
            "spark.fileserver.port": 14000, "spark.replClassServer.port": 14500,
            "spark.master.port": 7077, "spark.master.rest.port": 6066, "spark.master.webui.port": 8081,
            "spark.worker.port": 11000, "spark.worker.webui.port": 11500,
            // The driver of a cluster-deploy-mode application (only with cluster-deploy-mode).
            "sparkDriver.clusterDeployMode": 13001,
            // Spark's external shuffle service (only with the shuffle-service feature).
            "spark.shuffle.service.port": 7337,
            // The Carbon server under every DAS node.
            "carbon.https.port": 9443, "carbon.http.port": 9763, "Ports.JMX.RMIRegistryPort": 9999,
            "Ports.JMX.RMIServerPort": 11111, "Ports.EmbeddedLDAP.LDAPServerPort": 10389,
            "Ports.EmbeddedLDAP.KDCServerPort": 8000, "Ports.ThriftEntitlementReceivePort": 10500,
            "hazelcast.localMemberPort": 4000, "binary.tcp.port": 9611, "binary.ssl.port": 9711,
        ])
    }

    func testClusterPortsOpenOnlyInClusterMode() {
        let clusterOnly = Catalog.das.filter { $0.group == .sparkCluster }
        XCTAssertEqual(clusterOnly.count, 6, "master 3, worker 2, the shuffle service")
        XCTAssertTrue(clusterOnly.allSatisfy { $0.modes == [.cluster] })
        // The cluster-deploy-mode driver is a driver port: the spark group, in cluster mode only.
        let clusterDeployDriver = Catalog.das.filter { $0.feature == .clusterDeployMode }
        XCTAssertEqual(clusterDeployDriver.map(\.modes), [[.cluster]])
        XCTAssertTrue(Catalog.das.filter { $0.group != .sparkCluster && $0.feature != .clusterDeployMode }
            .allSatisfy { $0.modes.count == 3 })
    }

    func testBroadcastReplClassServerAndEntitlementAreNormallyUnbound() {
        XCTAssertEqual(Set(Catalog.das.filter { !$0.normallyBound }.map(\.key)),
                       ["spark.broadcast.port", "spark.replClassServer.port", "Ports.ThriftEntitlementReceivePort"])
        // The history server is a feature of its own, required only when said on.
        XCTAssertEqual(Catalog.das.first { $0.key == "spark.history.ui.port" }?.feature, .historyServer)
    }
}

final class PolicyTests: XCTestCase {
    func testTheOffsetShiftsEveryExpectedPort() {
        let policy = Policy(offset: 2, mode: .cluster, coresPerNode: 2)
        XCTAssertEqual(policy.expectedEntries(at: 7079).map(\.key), ["spark.master.port"])
        XCTAssertEqual(policy.expectedEntries(at: 7613).map(\.key), ["thrift.tcp.port"])
        XCTAssertEqual(policy.expectedEntries(at: 7077), [])
    }

    func testPort11000IsBothHAPresenterAndSparkWorkerInClusterMode() {
        let cluster = Policy(offset: 2, mode: .cluster)
        XCTAssertEqual(Set(cluster.expectedEntries(at: 11002).map(\.key)), ["ha.presenter.port", "spark.worker.port"])
        let local = Policy(offset: 2, mode: .local)
        XCTAssertEqual(local.expectedEntries(at: 11002).map(\.key), ["ha.presenter.port"])
        XCTAssertEqual(local.unexpectedCatalogEntries(at: 11002).map(\.key), ["spark.worker.port"])
    }

    func testTheMasterMayUseTheDriverPortPlusOnePortPerCore() {
        let policy = Policy(offset: 2, mode: .cluster, coresPerNode: 2)
        XCTAssertEqual(policy.executorAllowed, PortRange(12002, 12004))
        XCTAssertEqual(policy.executorBand, PortRange(12002, 12018))
        XCTAssertEqual(Policy(offset: 0, coresPerNode: 1).executorAllowed, PortRange(12000, 12001))
    }

    func testExpectedServerPortsIncludeTheAllowedExecutorPortsAndAllowedPorts() {
        let policy = Policy(offset: 3, mode: .local, coresPerNode: 1, allowedPorts: [22: "ssh"])
        let ports = policy.expectedPorts
        XCTAssertTrue(ports.isSuperset(of: [7614, 7714, 4043, 13003, 12003, 12004, 22]))
        XCTAssertFalse(ports.contains(12005))
        XCTAssertFalse(ports.contains(7080), "spark.master.port is not expected in local mode")
    }

    func testValidationRejectsImpossibleValues() {
        XCTAssertEqual(Policy(offset: -1).validationErrors(), ["offset -1 is outside the allowed range 0-47455 for profile das"])
        XCTAssertEqual(Policy(coresPerNode: 0).validationErrors(), ["cores 0 is outside 1-1024"])
        XCTAssertEqual(Policy(offset: 2, coresPerNode: 4).validationErrors(), [])
    }

    func testPortRangesParse() {
        XCTAssertEqual(PortRange(parsing: "32768-60999"), PortRange(32768, 60999))
        XCTAssertEqual(PortRange(parsing: "80"), PortRange(80, 80))
        XCTAssertNil(PortRange(parsing: "9-1"))
        XCTAssertNil(PortRange(parsing: "1-70000"))
        XCTAssertNil(PortRange(parsing: "a-b"))
    }
}
