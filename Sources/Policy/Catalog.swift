/// The built-in port catalog of WSO2 DAS and its embedded Spark, from the WSO2 DAS port
/// specification (see docs/ports.md for each port's source).
public enum Catalog {
    public static let das: [CatalogEntry] = [
        // Event receivers (thrift).
        CatalogEntry(key: "thrift.ssl.port", basePort: 7711, group: .receivers,
                     summary: "Thrift SSL event receiver (authenticated clients)"),
        CatalogEntry(key: "thrift.tcp.port", basePort: 7611, group: .receivers,
                     summary: "Thrift TCP event receiver"),
        // Clustered (high availability) deployment.
        CatalogEntry(key: "ha.management.port", basePort: 10005, group: .ha,
                     summary: "HA management: nodes share their state"),
        CatalogEntry(key: "ha.presenter.port", basePort: 11000, group: .ha,
                     summary: "HA presenter node listens for events"),
        CatalogEntry(key: "ha.eventSync.port", basePort: 11224, group: .ha,
                     summary: "HA event sync between active nodes"),
        // Spark, all modes.
        CatalogEntry(key: "spark.ui.port", basePort: 4040, group: .spark,
                     summary: "Spark application web UI"),
        CatalogEntry(key: "spark.history.ui.port", basePort: 18080, group: .spark,
                     summary: "Spark history server web UI"),
        CatalogEntry(key: "spark.blockManager.port", basePort: 12000, group: .spark, isExecutorBand: true,
                     summary: "Spark block manager: driver and executors (the 1200x band)"),
        CatalogEntry(key: "spark.broadcast.port", basePort: 12500, group: .spark, normallyBound: false,
                     summary: "Spark HTTP broadcast server (unbound with torrent broadcast)"),
        CatalogEntry(key: "spark.driver.port", basePort: 13000, group: .spark,
                     summary: "Spark driver RPC"),
        CatalogEntry(key: "spark.executor.port", basePort: 13500, group: .spark,
                     summary: "Spark executor RPC"),
        CatalogEntry(key: "spark.fileserver.port", basePort: 14000, group: .spark,
                     summary: "Spark driver file server"),
        CatalogEntry(key: "spark.replClassServer.port", basePort: 14500, group: .spark, normallyBound: false,
                     summary: "Spark REPL class server (Spark shell only)"),
        // Spark standalone cluster, cluster mode only.
        CatalogEntry(key: "spark.master.port", basePort: 7077, group: .sparkCluster, modes: [.cluster],
                     summary: "Spark master RPC"),
        CatalogEntry(key: "spark.master.rest.port", basePort: 6066, group: .sparkCluster, modes: [.cluster],
                     summary: "Spark master REST submission"),
        CatalogEntry(key: "spark.master.webui.port", basePort: 8081, group: .sparkCluster, modes: [.cluster],
                     summary: "Spark master web UI"),
        CatalogEntry(key: "spark.worker.port", basePort: 11000, group: .sparkCluster, modes: [.cluster],
                     summary: "Spark worker RPC"),
        CatalogEntry(key: "spark.worker.webui.port", basePort: 11500, group: .sparkCluster, modes: [.cluster],
                     summary: "Spark worker web UI"),
    ]
}
