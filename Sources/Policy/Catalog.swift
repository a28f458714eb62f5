/// The port catalogs the profiles are built from. Sources for each port are in
/// docs/ports.md: the WSO2 DAS port specification (part 1) and the WSO2 and Spark
/// sources (part 2).
public enum Catalog {
    /// A real DAS node: the WSO2 DAS port specification (receivers, HA, Spark in every
    /// mode, the Spark standalone cluster in cluster mode, every port shifted by the
    /// offset) and the ports of the WSO2 Carbon server every DAS node is built on. Without
    /// the Carbon ports, every node's own management console and JMX would be
    /// unexpected ports.
    /// The cluster-deploy-mode driver is Spark 2 and later's (DriverWrapper binds
    /// `spark.driver.port` since then), so the das-3.x profiles of Spark 1.x have none.
    public static let das: [CatalogEntry] = receivers + ha(shifted: true) + spark
        + [clusterDeployDriver(basePort: 13001, shifted: true)] + sparkCluster + carbon

    static let receivers: [CatalogEntry] = [
        CatalogEntry(key: "thrift.ssl.port", basePort: 7711, group: .receivers, roles: [.receiver], exposure: .clients,
                     summary: "Thrift SSL event receiver (authenticated clients)"),
        CatalogEntry(key: "thrift.tcp.port", basePort: 7611, group: .receivers, roles: [.receiver], exposure: .clients,
                     summary: "Thrift TCP event receiver"),
    ]

    /// The HA ports of event-processor.xml; DAS shifts them from 3.1.0 on only. Bound only
    /// when HA mode is enabled, which the stock event-processor.xml does not do: a worker
    /// (role `ha`) binds event sync and management (the snapshot server starts in
    /// `HAManager.init`, which only workers reach), a presenter that is not a worker only
    /// the presenter port (docs/ports.md).
    static func ha(shifted: Bool) -> [CatalogEntry] {
        [
            CatalogEntry(key: "ha.management.port", basePort: 10005, group: .ha, roles: [.ha],
                         shiftedByOffset: shifted, feature: .ha, summary: "HA management: nodes share their state"),
            CatalogEntry(key: "ha.presenter.port", basePort: 11000, group: .ha, roles: [.presenter],
                         shiftedByOffset: shifted, feature: .ha, summary: "HA presenter node listens for events"),
            CatalogEntry(key: "ha.eventSync.port", basePort: 11224, group: .ha, roles: [.ha],
                         shiftedByOffset: shifted, feature: .ha, summary: "HA event sync between active nodes"),
        ]
    }

    static let spark: [CatalogEntry] = [
        CatalogEntry(key: "spark.ui.port", basePort: 4040, group: .spark, roles: [.driver], feature: .sparkUI,
                     summary: "Spark application web UI"),
        historyServer(shifted: true),
        CatalogEntry(key: "spark.blockManager.port", basePort: 12000, group: .spark, roles: [.driver, .worker],
                     isExecutorBand: true, summary: "Spark block manager: driver and executors (the 1200x band)"),
        CatalogEntry(key: "spark.broadcast.port", basePort: 12500, group: .spark, roles: [.driver], normallyBound: false,
                     summary: "Spark HTTP broadcast server (unbound with torrent broadcast)"),
        CatalogEntry(key: "spark.driver.port", basePort: 13000, group: .spark, roles: [.driver],
                     summary: "Spark driver RPC"),
        CatalogEntry(key: "spark.executor.port", basePort: 13500, group: .spark, roles: [.worker],
                     summary: "Spark executor RPC"),
        CatalogEntry(key: "spark.fileserver.port", basePort: 14000, group: .spark, roles: [.driver],
                     summary: "Spark driver file server"),
        CatalogEntry(key: "spark.replClassServer.port", basePort: 14500, group: .spark, roles: [.driver],
                     normallyBound: false, summary: "Spark REPL class server (Spark shell only)"),
    ]

    static let sparkCluster: [CatalogEntry] = [
        CatalogEntry(key: "spark.master.port", basePort: 7077, group: .sparkCluster, modes: [.cluster], roles: [.master],
                     summary: "Spark master RPC"),
        CatalogEntry(key: "spark.master.rest.port", basePort: 6066, group: .sparkCluster, modes: [.cluster],
                     roles: [.master], feature: .restSubmission, summary: "Spark master REST submission"),
        CatalogEntry(key: "spark.master.webui.port", basePort: 8081, group: .sparkCluster, modes: [.cluster],
                     roles: [.master], summary: "Spark master web UI"),
        CatalogEntry(key: "spark.worker.port", basePort: 11000, group: .sparkCluster, modes: [.cluster],
                     roles: [.worker], summary: "Spark worker RPC"),
        CatalogEntry(key: "spark.worker.webui.port", basePort: 11500, group: .sparkCluster, modes: [.cluster],
                     roles: [.worker], summary: "Spark worker web UI"),
        shuffleService,
    ]

    public static let shuffleServiceKey = "spark.shuffle.service.port"
    /// Hazelcast's TCP port (axis2.xml's `localMemberPort`): a node that opens it is a
    /// Carbon cluster member (`HazelcastMembership`).
    public static let hazelcastMemberKey = "hazelcast.localMemberPort"

    /// Spark's external shuffle service (`ExternalShuffleService`, started by each
    /// standalone worker): on `spark.shuffle.service.port`, 7337 in every Spark from 1.2 on,
    /// only when `spark.shuffle.service.enabled` is true (default false). Not shifted, in
    /// the das profiles too: DAS adds its offset to the `spark.*.port` keys its
    /// configuration holds, and it fills in a default for every other one but not for this,
    /// so a node whose spark-defaults.conf leaves the key out binds Spark's 7337 under any
    /// offset. A policy that sets the key (`ports:`, or `--das-home` whose file sets it)
    /// moves it, and the offset is then added (`Policy.moveBasePort`). docs/ports.md.
    static let shuffleService =
        CatalogEntry(key: shuffleServiceKey, basePort: 7337, group: .sparkCluster, modes: [.cluster],
                     roles: [.worker], shiftedByOffset: false, feature: .shuffleService,
                     summary: "Spark external shuffle service (only with spark.shuffle.service.enabled)")

    /// Spark's history server, a daemon of its own (`sbin/start-history-server.sh`) that
    /// usually runs on the master's host: expected on master and driver nodes, and only
    /// required (and opened by firewall rules) when the policy says `history-server: on`.
    static func historyServer(shifted: Bool) -> CatalogEntry {
        CatalogEntry(key: "spark.history.ui.port", basePort: 18080, group: .spark, roles: [.master, .driver],
                     shiftedByOffset: shifted, feature: .historyServer,
                     summary: "Spark history server web UI")
    }

    /// The catalog key of the driver of a cluster-deploy-mode application.
    public static let clusterDeployDriverKey = "sparkDriver.clusterDeployMode"

    /// The driver of an application submitted with `--deploy-mode cluster`: the worker
    /// hosting it runs `DriverWrapper`, whose own RPC environment (`Driver`) binds
    /// `spark.driver.port` first, so the application's `sparkDriver` finds that port busy
    /// and binds the next one, every time. Follows `spark.driver.port` (`moveBasePort`):
    /// at port 0 (stock Spark, driver port not pinned) no policy expects it.
    static func clusterDeployDriver(basePort: UInt16, shifted: Bool) -> CatalogEntry {
        CatalogEntry(key: clusterDeployDriverKey, basePort: basePort, group: .spark, modes: [.cluster], roles: [.driver],
                     shiftedByOffset: shifted, feature: .clusterDeployMode,
                     summary: "Spark driver RPC in cluster deploy mode (spark.driver.port is the worker's DriverWrapper)")
    }

    /// Spark 1.6 (DAS 3.1 and 3.2): a legacy actor system beside the driver, and one
    /// `spark.executor.port` per executor.
    static let spark16: [CatalogEntry] = spark.map { entry in
        guard entry.key == "spark.executor.port" else { return entry }
        return CatalogEntry(key: entry.key, basePort: entry.basePort, group: .spark, roles: [.worker], perCore: true,
                            summary: "Spark executor RPC, one port per executor")
    } + [
        CatalogEntry(key: "sparkDriverActorSystem", basePort: 13001, group: .spark, roles: [.driver],
                     summary: "Spark 1.6 legacy actor system (spark.driver.port + 1)"),
    ]

    /// How many further Carbon members on one host Hazelcast makes room for: each takes
    /// the next port (4001, 4002, ...) when `localMemberPort` is taken.
    public static let hazelcastMembersPerHost = 16

    /// Ports of the WSO2 Carbon server under every DAS node (carbon.xml's `<Ports>`, the
    /// Tomcat connectors, data-bridge-config.xml's binary receiver, axis2.xml's
    /// clustering), DAS 3.0.x to 3.2.0 alike.
    static let carbon: [CatalogEntry] = [
        CatalogEntry(key: "carbon.https.port", basePort: 9443, group: .carbon, exposure: .clients,
                     summary: "Management console HTTPS (Tomcat connector)"),
        CatalogEntry(key: "carbon.http.port", basePort: 9763, group: .carbon, exposure: .clients,
                     summary: "Management console HTTP (Tomcat connector)"),
        CatalogEntry(key: "Ports.JMX.RMIRegistryPort", basePort: 9999, group: .carbon, feature: .jmx,
                     summary: "JMX RMI registry"),
        CatalogEntry(key: "Ports.JMX.RMIServerPort", basePort: 11111, group: .carbon, feature: .jmx,
                     summary: "JMX RMI server"),
        CatalogEntry(key: "Ports.EmbeddedLDAP.LDAPServerPort", basePort: 10389, group: .carbon, feature: .embeddedLDAP,
                     summary: "Embedded LDAP user store"),
        CatalogEntry(key: "Ports.EmbeddedLDAP.KDCServerPort", basePort: 8000, group: .carbon, feature: .embeddedLDAP,
                     summary: "Embedded LDAP Kerberos KDC"),
        CatalogEntry(key: "Ports.ThriftEntitlementReceivePort", basePort: 10500, group: .carbon, normallyBound: false,
                     summary: "Thrift entitlement service (DAS ships no entitlement feature)"),
        CatalogEntry(key: hazelcastMemberKey, basePort: 4000, group: .carbon, shiftedByOffset: false,
                     feature: .clustering, autoIncrement: hazelcastMembersPerHost - 1,
                     summary: "Hazelcast cluster membership (never shifted; +1 per further member on a host)"),
        CatalogEntry(key: "binary.tcp.port", basePort: 9611, group: .carbon, roles: [.receiver], exposure: .clients,
                     summary: "Binary event receiver TCP"),
        CatalogEntry(key: "binary.ssl.port", basePort: 9711, group: .carbon, roles: [.receiver], exposure: .clients,
                     summary: "Binary event receiver SSL"),
    ]

    /// A stock Apache Spark standalone cluster: Spark's own defaults, no DAS offset. The
    /// RPC and block manager ports are random in plain Spark (their keys default to 0), so
    /// their entries are at port 0, which no policy expects (`Policy.expects`) until it pins
    /// them (`ports: {spark.blockManager.port: 12002}`): a pinned block manager port gives
    /// the executor band, as in the DAS profiles.
    static let stockSpark: [CatalogEntry] = [
        CatalogEntry(key: "spark.master.port", basePort: 7077, group: .sparkCluster, roles: [.master],
                     shiftedByOffset: false, summary: "Spark master RPC"),
        CatalogEntry(key: "spark.master.rest.port", basePort: 6066, group: .sparkCluster, roles: [.master],
                     shiftedByOffset: false, feature: .restSubmission, summary: "Spark master REST submission"),
        CatalogEntry(key: "spark.master.ui.port", basePort: 8080, group: .sparkCluster, roles: [.master],
                     shiftedByOffset: false, summary: "Spark master web UI"),
        CatalogEntry(key: "spark.worker.ui.port", basePort: 8081, group: .sparkCluster, roles: [.worker],
                     shiftedByOffset: false, summary: "Spark worker web UI"),
        CatalogEntry(key: "spark.ui.port", basePort: 4040, group: .spark, roles: [.driver],
                     shiftedByOffset: false, feature: .sparkUI, summary: "Spark application web UI"),
        historyServer(shifted: false),
        CatalogEntry(key: "spark.driver.port", basePort: 0, group: .spark, roles: [.driver], shiftedByOffset: false,
                     summary: "Spark driver RPC (random unless pinned)"),
        clusterDeployDriver(basePort: 0, shifted: false),
        CatalogEntry(key: "spark.blockManager.port", basePort: 0, group: .spark, roles: [.driver, .worker],
                     shiftedByOffset: false, isExecutorBand: true,
                     summary: "Spark block manager: driver and executors (random unless pinned)"),
        CatalogEntry(key: "spark.driver.blockManager.port", basePort: 0, group: .spark, roles: [.driver],
                     shiftedByOffset: false,
                     summary: "Spark driver's block manager, when apart from spark.blockManager.port (Spark 2.1 on)"),
        CatalogEntry(key: "spark.worker.port", basePort: 0, group: .sparkCluster, roles: [.worker], shiftedByOffset: false,
                     summary: "Spark worker RPC (SPARK_WORKER_PORT or --port; random unless pinned)"),
        shuffleService,
    ]
}
