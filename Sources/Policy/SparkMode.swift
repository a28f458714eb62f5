/// How DAS runs Spark (`carbon.spark.master` in spark-defaults.conf with Carbon clustering:
/// `SparkMaster`).
public enum SparkMode: String, CaseIterable, Codable, Sendable {
    /// Each DAS node runs its own driver in-process (`local`, `local[N]`); the DAS default.
    case local
    /// DAS forms its own Spark standalone cluster (`carbon`, or `local` under Carbon
    /// clustering): masters and workers.
    case cluster
    /// DAS submits to an external cluster (`spark://host:port`, `yarn-client`, `mesos://…`):
    /// the DAS node runs the driver only.
    case client
}

/// The catalog's groups of ports, which a policy expects or not as a whole.
public enum CatalogGroup: String, CaseIterable, Codable, Sendable {
    /// Thrift event receivers.
    case receivers
    /// High-availability deployment (event-processor.xml).
    case ha
    /// Spark ports available in every mode.
    case spark
    /// Spark standalone cluster ports (cluster mode only).
    case sparkCluster = "spark-cluster"
    /// Ports every WSO2 Carbon server opens: management console, binary receivers, JMX,
    /// embedded LDAP, Hazelcast clustering.
    case carbon
}
