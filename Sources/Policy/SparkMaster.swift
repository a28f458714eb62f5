/// The Spark mode DAS runs for its `carbon.spark.master` and Carbon clustering (axis2.xml),
/// as carbon-analytics' `SparkAnalyticsExecutor.getClusterMode` decides it (v1.2.7 in
/// DAS 3.1.0, v1.3.25 in DAS 3.2.0). The value is compared in lower case, by prefix:
/// - `local…`: local; with clustering on, DAS forms its own Spark cluster (cluster mode:
///   "Using 'local' with Carbon clustering is deprecated"; in DAS 3.0.1, carbon-analytics
///   v1.0.5, the only way to get one);
/// - `carbon…`: cluster mode (any `[N]` is ignored: the master count is
///   `carbon.spark.master.count`); with clustering off DAS refuses to start Spark;
/// - `spark…` (standalone), `yarn…` (but `yarn-cluster`, which DAS refuses) and `mesos…`:
///   an external cluster, where the DAS node runs only the driver: client mode;
/// - anything else: DAS refuses to start Spark ("Unknown cluster mode").
///
/// DAS 3.0.1 knows only `local…` and `spark…` (anything else is "Unknown mode"); it is read
/// here as the later versions read it.
public enum SparkMaster {
    /// The mode for `master` (Spark trims it) with clustering on, off or not said (nil,
    /// no axis2.xml: `carbon` is then taken at its word); or why DAS would not start Spark.
    public static func mode(_ master: String, clustering: Bool?) -> Result<SparkMode, Refusal> {
        let value = master.lowercased()
        if value.hasPrefix("local") { return .success(clustering == true ? .cluster : .local) }
        if value.hasPrefix("carbon") {
            guard clustering != false else {
                return .failure(Refusal(message: "'\(master.escapedForMessage)' needs Carbon clustering, which axis2.xml "
                    + "switches off: DAS refuses to start Spark (\"Using Carbon Clustering without enabling clustering in "
                    + "axis2\"); enable <clustering> or use local"))
            }
            return .success(.cluster)
        }
        if value == "yarn-cluster" {
            return .failure(Refusal(message: "'\(master.escapedForMessage)' is not supported by DAS, which refuses to "
                + "start Spark; use yarn-client"))
        }
        if value.hasPrefix("spark") || value.hasPrefix("yarn") || value.hasPrefix("mesos") { return .success(.client) }
        return .failure(Refusal(message: "'\(master.escapedForMessage)' is not a master DAS knows (it refuses to start "
            + "Spark); expected local, local[N], carbon, spark://host:port, yarn-client or mesos://host:port"))
    }

    /// Why DAS would not start Spark with this master, in words for the user.
    public struct Refusal: Error, Equatable, Sendable {
        public var message: String
    }
}
