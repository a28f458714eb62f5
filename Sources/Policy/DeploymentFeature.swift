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

    /// Whether the stock configuration has it on (a policy that says nothing of it keeps that).
    public var isOnInStockConfiguration: Bool { self == .jmx }

    /// What switches it on, for messages.
    public var switchedOnBy: String {
        switch self {
        case .ha: "HA mode in event-processor.xml"
        case .clustering: "clustering in axis2.xml"
        case .embeddedLDAP: "the embedded LDAP in embedded-ldap.xml"
        case .jmx: "StartRMIServer in etc/jmx.xml"
        }
    }
}
