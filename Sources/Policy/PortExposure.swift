/// Who is supposed to connect to a catalog port: only the cluster's own nodes, or clients
/// from outside it. The firewall rules open a `cluster` port to the declared nodes'
/// addresses only, and a `clients` port to every source (docs/firewall.md).
///
/// The default is `cluster`, the safe side: Spark's RPC, block manager, REST submission and
/// web UIs, the HA ports, Hazelcast and JMX carry no authentication worth the name (Spark's
/// REST submission server runs whatever it is sent), so they should never face clients.
public enum PortExposure: String, CaseIterable, Codable, Sendable {
    /// Only other members of the cluster connect (Spark, HA, Hazelcast, JMX).
    case cluster
    /// Clients outside the cluster connect: event publishers (thrift and binary
    /// receivers) and administrators (the management console), and ports allowed with `--allow`.
    case clients
    /// The cluster's nodes and the external Spark cluster's hosts (`external_cluster`): the
    /// driver's callback ports in mode `client` when the policy names that cluster.
    case externalCluster = "external-cluster"
}
