/// The HTTPS connectors of Spark's web UIs (Spark 2.0 and later). With SSL on for a UI's
/// namespace, Spark keeps the UI's HTTP port, which then only redirects, and serves the UI
/// over HTTPS on `spark.ssl.<namespace>.port`, by default the UI port + 400
/// (`JettyUtils.startJettyServer`: `sslOptions.port.getOrElse(Utils.userPort(port, 400))`,
/// retried like any Spark port; the log says "Successfully started service 'SparkUI
/// (HTTPS)' on port 4442"). The namespace is `ui` for the application UI (`SparkUI`),
/// `standalone` for the master and worker UIs (`MasterWebUI`, `WorkerWebUI`) and
/// `historyServer` for the history server (`SecurityManager.getSSLOptions`).
///
/// Each is a catalog entry of its own, derived from its UI's: the port + 400, the same
/// group, modes, roles and offset rule, and the feature `spark-ui-https`, since the stock
/// configuration has no SSL. Spark 1.x served its UIs over HTTP only (HTTPS came with
/// SPARK-2750 in 2.0), so the das-3.x profiles have none.
public enum SparkHTTPSPorts {
    /// One UI's HTTPS connector: the UI's catalog key, the connector's, and the Spark key
    /// that sets its port.
    public struct Connector: Sendable {
        public let uiKey: String
        public let key: String
        public let sparkKey: String
    }

    /// Every UI with an HTTPS connector, in any profile: DAS's keys and stock Spark's.
    public static let connectors: [Connector] = [
        Connector(uiKey: "spark.ui.port", key: "spark.ui.https.port", sparkKey: "spark.ssl.ui.port"),
        Connector(uiKey: "spark.history.ui.port", key: "spark.history.ui.https.port", sparkKey: "spark.ssl.historyServer.port"),
        Connector(uiKey: "spark.master.webui.port", key: "spark.master.webui.https.port", sparkKey: "spark.ssl.standalone.port"),
        Connector(uiKey: "spark.worker.webui.port", key: "spark.worker.webui.https.port", sparkKey: "spark.ssl.standalone.port"),
        Connector(uiKey: "spark.master.ui.port", key: "spark.master.ui.https.port", sparkKey: "spark.ssl.standalone.port"),
        Connector(uiKey: "spark.worker.ui.port", key: "spark.worker.ui.https.port", sparkKey: "spark.ssl.standalone.port"),
    ]

    /// The namespace a Spark key's `spark.ssl.<namespace>.enabled` turns on: `ui`,
    /// `standalone`, `historyServer`.
    public static func namespace(of connector: Connector) -> String {
        String(connector.sparkKey.dropFirst("spark.ssl.".count).dropLast(".port".count))
    }

    /// Whether `key` is an HTTPS connector's catalog key.
    public static func isConnectorKey(_ key: String) -> Bool { connectors.contains { $0.key == key } }

    /// The HTTPS base port Spark derives from a UI's base `port`: `Utils.userPort(port,
    /// 400)`, which wraps past 65535 into 1024 and up. A UI port 0 gives 400: DAS makes it
    /// port N under offset N, whose HTTPS port is N + 400 (under offset 0 both are any free
    /// port, which no catalog port names).
    public static func derivedPort(from port: UInt16) -> UInt16 {
        guard port != 0 else { return 400 }
        let above: Int = (Int(port) + 400 - 1024) % (65536 - 1024)
        return UInt16(above + 1024)
    }

    /// Whether `entry` is an HTTPS connector at the port its UI in `catalog` gives it: moved
    /// only with its UI, so a result records the UI's move alone.
    public static func followsItsUI(_ entry: CatalogEntry, in catalog: [CatalogEntry]) -> Bool {
        guard let connector = connectors.first(where: { $0.key == entry.key }),
              let ui = catalog.first(where: { $0.key == connector.uiKey }) else { return false }
        return entry.basePort == derivedPort(from: ui.basePort)
    }

    /// `entries` followed by the HTTPS connector of each of their web UIs.
    static func adding(to entries: [CatalogEntry]) -> [CatalogEntry] {
        entries + connectors.compactMap { connector in
            entries.first { $0.key == connector.uiKey }.map { ui in
                CatalogEntry(key: connector.key, basePort: derivedPort(from: ui.basePort), group: ui.group, modes: ui.modes,
                             roles: ui.roles, shiftedByOffset: ui.shiftedByOffset,
                             // One feature an entry: the history server's connector is
                             // optional even when both features are on; the application
                             // UI's, whose feature is on unless said off, is not.
                             normallyBound: ui.normallyBound && ui.feature?.isOnInStockConfiguration ?? true,
                             exposure: ui.exposure, feature: .sparkUIHTTPS,
                             summary: "\(ui.summary), HTTPS (\(connector.sparkKey), else the UI port + 400)")
            }
        }
    }
}
