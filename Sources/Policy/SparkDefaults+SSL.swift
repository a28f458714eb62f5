/// What spark-defaults.conf's SSL settings do in a DAS installation. Every DAS 3.x embeds
/// Spark 1.4 or 1.6, whose `spark.ssl.*` (`SecurityManager`) covers Akka remoting
/// (`spark.ssl.akka`) and the HTTP file server, broadcast and REPL class servers
/// (`spark.ssl.fs`): those speak TLS then, on their own ports (the "or tls" of
/// `PortProtocols`). Its web UIs are served over HTTP only: their HTTPS connectors
/// (`SparkHTTPSPorts`) came with Spark 2.0 (SPARK-2750). So `spark.ssl.enabled` and the UI
/// namespaces' `enabled` open no port in a DAS installation, and leave `spark-ui-https`
/// unsaid, as a file without them does; `spark.ssl.ui.port`, `spark.ssl.standalone.port` and
/// `spark.ssl.historyServer.port`, which nothing in Spark 1.x reads, are ignored keys
/// (`IgnoredSetting`). A policy file (`features: {spark-ui-https: on}`) still says it for a
/// Spark 2.0 or later cluster audited with the `das` profile.
extension DASInstallation {
    /// The switches that turn SSL on for Spark's web UIs in Spark 2.0 and later.
    static let sparkUISSLSwitches = ["spark.ssl.enabled"] + ["ui", "standalone", "historyServer"].map { "spark.ssl.\($0).enabled" }

    /// A note for the first of `sparkUISSLSwitches` the file turns on (`true` in any case,
    /// Scala's `toBoolean`): it opens no HTTPS port here.
    static func noteSparkSSL(_ values: [String: (value: String, line: Int)], source: String, to settings: inout PolicySettings) {
        let on = sparkUISSLSwitches.compactMap { key in
            values[key].flatMap { $0.value.lowercased() == "true" ? (key: key, line: $0.line) : nil }
        }
        guard let first = on.min(by: { $0.line < $1.line }) else { return }
        settings.installationNotes.append(InstallationNote(origin: SettingOrigin(source: source, line: first.line), text:
            "\(first.key) true: DAS's Spark 1.x applies SSL to its Akka remoting and its HTTP file server, not to its "
            + "web UIs, which it serves over HTTP only (HTTPS web UIs came with Spark 2.0), so no HTTPS UI port is "
            + "expected from it"))
    }
}
