/// Reading `repository/conf/analytics/spark/spark-defaults.conf` as DAS does: Spark loads it
/// with `java.util.Properties` (`Utils.getPropertiesFromFile`, values trimmed), DAS takes the
/// mode from `carbon.spark.master` (default `local`) and Carbon clustering, then sets it as
/// Spark's master, so a `spark.master` line has no effect; and it adds the port offset to
/// every `spark.*.port`.
///
/// A catalog key the file leaves out is at the catalog's port plus the offset all the same:
/// carbon-analytics' `SparkAnalyticsExecutor.initializeSparkConf` (v1.0.5, v1.2.7, v1.3.25)
/// first fills every Spark port it knows with its own default (`setAdditionalConfigs`:
/// `setIfMissing("spark.blockManager.port", "12000")` and the like, the catalog's values),
/// then adds the offset to every `spark.*.port` the configuration then holds
/// (`addSparkPropertiesPortOffset`). The one catalog key it does not fill in is the
/// shuffle service's (`noteShuffleServicePort`).
extension DASInstallation {
    /// The mode (`carbon.spark.master`, with clustering as axis2.xml says: read axis2.xml
    /// first), the cores, `spark.port.maxRetries`, whether the external shuffle service
    /// runs (`spark.shuffle.service.enabled`), whether the master's REST server
    /// does (`spark.master.rest.enabled`), whether the application's UI does
    /// (`spark.ui.enabled`) and every catalog `spark.*.port`; the other
    /// port-like keys as ignored settings (`IgnoredSetting`).
    static func applySparkDefaults(_ text: String, source: String, to settings: inout PolicySettings) throws {
        let values: [String: (value: String, line: Int)]
        do {
            values = try JavaProperties.values(text).mapValues { ($0.value.trimmedAsJava, $0.line) }
        } catch {
            throw PolicyError(source: source, line: error.line, message: "malformed \\uXXXX escape (Java refuses the file)")
        }
        func origin(_ key: String) -> SettingOrigin? { values[key].map { SettingOrigin(source: source, line: $0.line) } }
        func integer(_ key: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let (text, line) = values[key] else { return nil }
            guard let value = Int(text), range.contains(value) else {
                throw PolicyError(source: source, line: line, message: "\(key) is '\(text.escapedForMessage)'; expected a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        }
        let clustering = settings.features[.clustering]
        if let (master, line) = values["carbon.spark.master"] {
            switch SparkMaster.mode(master, clustering: clustering) {
            case .success(let mode):
                settings.mode = mode
                settings.origins["mode"] = SettingOrigin(source: source, line: line)
            case .failure(let refusal):
                throw PolicyError(source: source, line: line, message: "carbon.spark.master \(refusal.message)")
            }
        } else if clustering == true {
            // No carbon.spark.master: DAS runs `local`, a Spark cluster under Carbon clustering.
            settings.mode = .cluster
            settings.origins["mode"] = settings.origins["features.clustering"]
        }
        settings.cores = try integer("spark.worker.cores", Policy.coresRange) ?? integer("spark.executor.cores", Policy.coresRange)
        settings.origins["cores"] = origin("spark.worker.cores") ?? origin("spark.executor.cores")
        settings.portRetries = try integer("spark.port.maxRetries", 0...1000)
        settings.origins["port_retries"] = origin("spark.port.maxRetries")
        for (key, feature) in sparkSwitches {
            guard let (text, line) = values[key] else { continue }
            // Spark reads each as a boolean conf (`String.toBoolean`: true or false in any
            // case) and refuses anything else; unsaid, its default is what the feature left
            // unsaid means too (the shuffle service off, the REST server and the UI on).
            guard let on = ["true": true, "false": false][text.lowercased()] else {
                throw PolicyError(source: source, line: line,
                                  message: "\(key) is '\(text.escapedForMessage)'; expected true or false")
            }
            settings.features[feature] = on
            settings.origins["features.\(feature.rawValue)"] = SettingOrigin(source: source, line: line)
        }
        noteSparkSSL(values, source: source, to: &settings)
        for key in values.keys.sorted() where sparkPortKeys.contains(key) {
            // 0 is Spark's "any free port"; DAS adds the offset to it all the same (see Policy.expects).
            if let port = try integer(key, 0...65535) {
                settings.basePorts[key] = UInt16(port)
                settings.origins["ports.\(key)"] = origin(key)
            }
        }
        noteShuffleServicePort(values, source: source, to: &settings)
        // Every other port-like key is said, not dropped in silence: a port the operator
        // pinned that the audit does not expect would otherwise contradict their file.
        let read = sparkPortKeys.union(["spark.port.maxRetries"])
        settings.ignoredSettings += values.filter { isPortLike($0.key) && !read.contains($0.key) }
            .sorted { ($0.value.line, $0.key) < ($1.value.line, $1.key) }
            .map { IgnoredSetting(key: $0.key, value: $0.value.value, origin: SettingOrigin(source: source, line: $0.value.line)) }
    }

    /// The note for a file that turns the shuffle service on but leaves
    /// `spark.shuffle.service.port` out. DAS has no default of its own for it, so the key is
    /// not in the configuration it adds the offset to, and the worker's shuffle service
    /// (Spark 1.6 `StandaloneWorkerShuffleService`: `getInt("spark.shuffle.service.port",
    /// 7337)`) binds Spark's 7337 as it is, under any offset: the catalog's port
    /// (`Catalog.shuffleService`), which only a set key moves, by the offset. Said, as the
    /// reading differs from every other Spark port's.
    static func noteShuffleServicePort(_ values: [String: (value: String, line: Int)], source: String,
                                       to settings: inout PolicySettings) {
        let key = Catalog.shuffleServiceKey
        guard values[key] == nil, settings.features[.shuffleService] == true,
              let (_, line) = values["spark.shuffle.service.enabled"] else { return }
        let sparkDefault = Catalog.shuffleService.basePort
        settings.installationNotes.append(InstallationNote(origin: SettingOrigin(source: source, line: line), text:
            "spark.shuffle.service.enabled true, without \(key): DAS adds its port offset only to the spark.*.port keys "
            + "its configuration holds, which it fills in with its own defaults for every other Spark port, not for this "
            + "one, so the shuffle service binds Spark's default \(sparkDefault) without the offset; dasaudit expects it "
            + "there (set \(key) in the file to have DAS add the offset)"))
    }

    /// The boolean keys of spark-defaults.conf that switch a deployment feature on or off:
    /// the external shuffle service, and the master's REST submission server
    /// (`spark.master.rest.enabled false`, the usual hardening, leaves its port unbound),
    /// and the application's web UI (`spark.ui.enabled false`: the driver binds no UI).
    static let sparkSwitches: [(key: String, feature: DeploymentFeature)] = [
        ("spark.shuffle.service.enabled", .shuffleService),
        ("spark.master.rest.enabled", .restSubmission),
        ("spark.ui.enabled", .sparkUI),
    ]

    /// The `spark.*.port` keys read as base ports: the DAS profiles' catalog keys only.
    /// Spark 1.6 ignores keys of later Sparks (spark.driver.blockManager.port, Spark 2.1),
    /// and so does DAS; the same goes for the UIs' HTTPS ports, of Spark 2.0 and later
    /// (`noteSparkSSL`), whose catalog keys are dasaudit's names.
    static let sparkPortKeys = Set(Profile.all.filter { $0.name.hasPrefix("das") }.flatMap { $0.catalog.map(\.key) })
        .filter { $0.hasPrefix("spark.") && $0.hasSuffix(".port") && !SparkHTTPSPorts.isConnectorKey($0) }

    /// Whether `key` looks like it sets a Spark port: `spark.` (any case) with a part
    /// `port` or `ports` (any case: `spark.ssl.ui.port`, `spark.driver.port.maxRetries`,
    /// `spark.UI.Port`, which Java's case-sensitive keys leave unread) or a camel-case
    /// part ending in `Port`. Not `transport` or `support`.
    static func isPortLike(_ key: String) -> Bool {
        guard key.lowercased().hasPrefix("spark.") else { return false }
        return key.split(separator: ".").dropFirst().contains { part in
            ["port", "ports"].contains(part.lowercased()) || part.dropFirst().hasSuffix("Port")
        }
    }
}

extension String {
    /// Java's `String.trim()`: without the leading and trailing characters up to U+0020.
    var trimmedAsJava: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0.value > 0x20 }),
              let last = scalars.lastIndex(where: { $0.value > 0x20 }) else { return "" }
        return String(scalars[first...last])
    }
}
