/// What spark-defaults.conf says of the web UIs' HTTPS connectors (`SparkHTTPSPorts`), as
/// Spark's `SSLOptions.parse` reads it: a namespace's connector is on with
/// `spark.ssl.<namespace>.enabled`, which defaults to `spark.ssl.enabled` (Scala's
/// `toBoolean`: `true` in any case), and its port is `spark.ssl.<namespace>.port` alone
/// (`spark.ssl.port` is not inherited). DAS adds the offset to that port as to every
/// `spark.*.port`.
extension DASInstallation {
    /// Sets the feature `spark-ui-https` when the file says `spark.ssl.enabled` or a UI
    /// namespace's `enabled` (on when some namespace is on, else off), the connectors of
    /// namespaces left off as never bound, and the ports the file sets, each with its line.
    /// The connectors whose Spark keys are read: only the UIs a DAS node has, since stock
    /// Spark's own keys are not in the das profiles.
    static let sparkHTTPSConnectors = SparkHTTPSPorts.connectors.filter { connector in
        Profile.das.catalog.contains { $0.key == connector.key }
    }

    static func applySparkHTTPS(_ values: [String: (value: String, line: Int)], source: String,
                                to settings: inout PolicySettings) throws {
        let connectors = sparkHTTPSConnectors
        // The ports are read whether or not their connector is on: the result records them.
        for connector in connectors {
            guard let (text, line) = values[connector.sparkKey] else { continue }
            guard let port = Int(text), (0...65535).contains(port) else {
                throw PolicyError(source: source, line: line,
                                  message: "\(connector.sparkKey) is '\(text.escapedForMessage)'; expected a whole number from 0 to 65535")
            }
            settings.basePorts[connector.key] = UInt16(port)
            settings.origins["ports.\(connector.key)"] = SettingOrigin(source: source, line: line)
        }
        // Said only when the file speaks of it: without spark.ssl.enabled or a namespace's
        // enabled, the feature stays unsaid, as in a policy file that does not name it.
        func enabledKey(_ connector: SparkHTTPSPorts.Connector) -> String {
            "spark.ssl.\(SparkHTTPSPorts.namespace(of: connector)).enabled"
        }
        let said = (["spark.ssl.enabled"] + connectors.map(enabledKey)).compactMap { values[$0] }
        guard let firstLine = said.map(\.line).min() else { return }
        func isTrue(_ key: String) -> Bool? { values[key].map { $0.value.lowercased() == "true" } }
        let defaultOn = isTrue("spark.ssl.enabled") ?? false
        let off = connectors.filter { !(isTrue(enabledKey($0)) ?? defaultOn) }
        let on = off.count < connectors.count
        settings.features[.sparkUIHTTPS] = on
        settings.origins["features.\(DeploymentFeature.sparkUIHTTPS.rawValue)"] = SettingOrigin(source: source, line: firstLine)
        // On for some UIs only: the others' connectors are never bound, nor the
        // application UI's when spark.ui.enabled is false (no UI, no connector).
        if on { settings.unboundKeys.formUnion(off.map(\.key)) }
        if on, settings.features[.sparkUI] == false { settings.unboundKeys.insert("spark.ui.https.port") }
    }
}
