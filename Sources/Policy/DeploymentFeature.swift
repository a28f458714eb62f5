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
    /// The JMX RMI registry and server (`<StartRMIServer>` in etc/jmx.xml). On in the
    /// stock configuration (as `rest-submission` and `spark-ui`): not said, its ports are expected and must be used.
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
    /// Spark applications submitted with `--deploy-mode cluster` to the standalone cluster:
    /// the worker that hosts such a driver starts `DriverWrapper`, whose own RPC environment
    /// (`Driver`) takes `spark.driver.port`, so the application's driver (`sparkDriver`)
    /// always binds the next port (`Catalog.clusterDeployDriver`, key `sparkDriver.clusterDeployMode`). Not said: client mode only.
    case clusterDeployMode = "cluster-deploy-mode"
    /// Spark's history server (`sbin/start-history-server.sh`), a daemon of its own that
    /// serves finished applications' event logs on `spark.history.ui.port`. Neither DAS nor
    /// a stock Spark cluster starts one: not said, its port is explained when seen but not
    /// required, and firewall rules leave it closed.
    case historyServer = "history-server"
    /// The master's REST submission server on `spark.master.rest.port`
    /// (`spark.master.rest.enabled`, on unless set false; setting it false is the usual
    /// hardening, since the server runs any jar it is sent without authentication).
    case restSubmission = "rest-submission"
    /// The application's web UI on `spark.ui.port` (`spark.ui.enabled`, on unless set
    /// false, which batch deployments do to leave no UI open: the driver then binds no UI).
    /// The master's and workers' UIs run whatever it says.
    case sparkUI = "spark-ui"

    /// Whether the stock configuration has it on (a policy that says nothing of it keeps that):
    /// JMX, the master's REST submission server and the application's web UI.
    public var isOnInStockConfiguration: Bool { self == .jmx || self == .restSubmission || self == .sparkUI }

    /// Whether its ports are expected (explained when seen, info when unused) while the
    /// policy says nothing of it: the DAS specification's conditional ports are; the shuffle
    /// service, which only Spark's own configuration names, and the cluster-deploy-mode
    /// driver, which client mode never binds, are expected only when said on.
    public var isExpectedWhenNotSaid: Bool { self != .shuffleService && self != .clusterDeployMode }

    /// Whether a port of the feature that the policy does not expect is still named as the
    /// feature's (`not-in-mode`, naming its switch). Not the cluster-deploy-mode driver's:
    /// its port, `spark.driver.port` + 1, is also where a second client-mode driver on the
    /// host lands, so it is left to the port-retry hint, which names both causes.
    public var namesItsPortWhenNotExpected: Bool { self != .clusterDeployMode }

    /// What switches it on, for messages.
    public var switchedOnBy: String {
        switch self {
        case .ha: "HA mode in event-processor.xml"
        case .clustering: "clustering in axis2.xml"
        case .embeddedLDAP: "the embedded LDAP in embedded-ldap.xml"
        case .jmx: "StartRMIServer in etc/jmx.xml"
        case .shuffleService: "spark.shuffle.service.enabled in spark-defaults.conf"
        case .sparkUIHTTPS: "spark.ssl.enabled (or spark.ssl.<ui|standalone|historyServer>.enabled) in the spark-defaults.conf of Spark 2.0 and later"
        case .clusterDeployMode: "spark-submit --deploy-mode cluster"
        case .historyServer: "sbin/start-history-server.sh"
        case .restSubmission: "spark.master.rest.enabled in spark-defaults.conf (on unless set false)"
        case .sparkUI: "spark.ui.enabled in spark-defaults.conf (on unless set false)"
        }
    }

    /// Whether its ports are listed as unused openings (info) when the policy does not say
    /// it is on. Not the web UIs' HTTPS ports: every Spark UI would list one beside its
    /// HTTP port on every cluster without SSL, the usual one; traffic there is explained all
    /// the same, and a policy that says the feature is on expects them used.
    public var listsUnusedWhenNotSaid: Bool { self != .sparkUIHTTPS }
}
