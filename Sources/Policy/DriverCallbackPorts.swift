/// The driver's ports that executors connect to: its RPC (`spark.driver.port`, and the
/// Spark 1.6 actor system beside it), its block manager (broadcast pieces, task results),
/// and in Spark 1.x its file server, HTTP broadcast server and REPL class server.
///
/// In client mode the executors run on an external Spark cluster, whose hosts are no
/// declared node, and call the driver back on these ports: they face clients there, not
/// the cluster. The audit expects them from any client; so must the firewall rules, or
/// every job waits on executors whose connects to the driver are dropped.
extension Policy {
    /// The catalog keys of the driver's ports executors connect to.
    static let driverCallbackKeys: Set<String> = [
        "spark.driver.port", "sparkDriverActorSystem", "spark.blockManager.port", "spark.driver.blockManager.port",
        "spark.fileserver.port", "spark.broadcast.port", "spark.replClassServer.port",
    ]

    /// Whether `entry` is a driver port the external cluster's executors call back on:
    /// one of `driverCallbackKeys`, in client mode.
    public func isCalledBackByExternalExecutors(_ entry: CatalogEntry) -> Bool {
        mode == .client && Self.driverCallbackKeys.contains(entry.key)
    }

    /// Who connects to `entry` under this policy: its catalog exposure, but for the driver's
    /// ports in client mode (`isCalledBackByExternalExecutors`) the external cluster's hosts
    /// with the nodes where the policy names them (`externalCluster`), else any client.
    public func exposure(of entry: CatalogEntry) -> PortExposure {
        guard isCalledBackByExternalExecutors(entry) else { return entry.exposure }
        return externalCluster.isEmpty ? .clients : .externalCluster
    }
}
