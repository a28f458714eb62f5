/// What a DAS node does in the cluster; roles decide which catalog ports it should open.
public enum NodeRole: String, CaseIterable, Codable, Sendable {
    /// Runs a Spark master (`carbon.spark.master.count` first members in cluster mode).
    case master
    /// Runs a Spark worker and its executors.
    case worker
    /// Runs the Spark driver (the Carbon cluster leader in cluster mode; every node in local mode).
    case driver
    /// Receives events (thrift and binary receivers).
    case receiver
    /// The HA presenter node.
    case presenter
    /// An HA member (management and event sync ports).
    case ha
}
