/// A feature of a DAS deployment that is off in the stock configuration and opens ports
/// only when switched on. Catalog entries that need one are *conditional*: the policy may
/// say the feature is on (its ports are expected and must be used), off (its ports are not
/// expected), or say nothing (its ports are explained when seen, but an unused one is only
/// info, since the stock configuration leaves it closed). docs/ports.md gives the sources.
public enum DeploymentFeature: String, CaseIterable, Codable, Sendable {
    /// `<mode name="HA" enable="true">` in event-processor.xml (stock: false).
    case ha
    /// Carbon clustering in axis2.xml (`<clustering ... enable="true">`): Hazelcast membership.
    case clustering
    /// The embedded LDAP user store and its KDC (embedded-ldap.xml; off in DAS).
    case embeddedLDAP = "embedded-ldap"
    /// The JMX RMI registry and server (`<StartRMIServer>` in etc/jmx.xml). The one feature
    /// the stock configuration has **on**: not said, its ports are expected and must be used.
    case jmx
    /// Spark's external shuffle service, which each standalone worker starts on
    /// `spark.shuffle.service.port` when `spark.shuffle.service.enabled` is true (Spark's
    /// default: false; dynamic allocation in standalone mode needs it). No DAS port: the
    /// specification does not list it, so unlike the features above, a policy that says
    /// nothing of it does not expect its port either (docs/ports.md).
    case shuffleService = "shuffle-service"
    /// The HTTPS connectors of Spark's web UIs (`SparkHTTPSPorts`): `spark.ssl.enabled`, or
    /// `spark.ssl.ui.enabled`, `spark.ssl.standalone.enabled`, `spark.ssl.historyServer.enabled`.
    case sparkUIHTTPS = "spark-ui-https"

    /// Whether the stock configuration has it on (a policy that says nothing of it keeps that).
    public var isOnInStockConfiguration: Bool { self == .jmx }

    /// Whether its ports are expected (explained when seen, info when unused) while the
    /// policy says nothing of it: the DAS specification's conditional ports are; the shuffle
    /// service, which only Spark's own configuration names, is expected only when said on.
    public var isExpectedWhenNotSaid: Bool { self != .shuffleService }

    /// What switches it on, for messages.
    public var switchedOnBy: String {
        switch self {
        case .ha: "HA mode in event-processor.xml"
        case .clustering: "clustering in axis2.xml"
        case .embeddedLDAP: "the embedded LDAP in embedded-ldap.xml"
        case .jmx: "StartRMIServer in etc/jmx.xml"
        case .shuffleService: "spark.shuffle.service.enabled in spark-defaults.conf"
        case .sparkUIHTTPS: "spark.ssl.enabled (or spark.ssl.<ui|standalone|historyServer>.enabled) in spark-defaults.conf"
        }
    }

    /// Whether its ports are listed as unused openings (info) when the policy does not say
    /// it is on. Not the web UIs' HTTPS ports: every Spark UI would list one beside its
    /// HTTP port on every cluster without SSL, the usual one; traffic there is explained all
    /// the same, and a policy that says the feature is on expects them used.
    public var listsUnusedWhenNotSaid: Bool { self != .sparkUIHTTPS }
}
