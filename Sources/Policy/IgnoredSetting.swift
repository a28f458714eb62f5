/// A port-like key of a DAS installation's file that dasaudit does not read
/// (`spark.driver.blockManager.port 12500` in spark-defaults.conf: a Spark 2.1 key DAS's
/// Spark 1.6 ignores, and no port of the das profiles' catalog). Kept, with its file and
/// line, so every command reading `--das-home` says on standard error that it was not
/// used, and the result records it: a pinned port dasaudit silently dropped made findings
/// that contradicted the operator's own file with no hint why.
public struct IgnoredSetting: Hashable, Sendable, CustomStringConvertible {
    public var key: String
    /// The value as the file gives it (Java properties: escapes applied, trimmed).
    public var value: String
    public var origin: SettingOrigin

    public init(key: String, value: String, origin: SettingOrigin) {
        self.key = key
        self.value = value
        self.origin = origin
    }

    /// The port the value pins, 1 to 65535; nil for anything else (0, "any free port"; a
    /// retry count; text).
    public var pinnedPort: UInt16? {
        guard let port = UInt16(value), port > 0, !key.hasSuffix("maxRetries") else { return nil }
        return port
    }

    /// The port DAS binds for the pinned port under `offset` (it adds the offset to every
    /// `spark.*.port`); nil when nothing is pinned or the sum passes 65535.
    public func port(offset: Int) -> UInt16? {
        pinnedPort.flatMap { UInt16(exactly: Int($0) + offset) }
    }

    /// The note: where, what, that dasaudit does not use it, and for a pinned port what to
    /// do ("…/spark-defaults.conf:8: spark.driver.blockManager.port 12600 is not used by
    /// dasaudit: …; if a service listens there, allow its port … with `allow:`").
    public var description: String {
        var text = "\(origin): \(key.escapedForMessage) \(value.escapedForMessage) is not used by dasaudit: "
            + "it sets no port of the das profiles' catalog, so nothing is expected from it"
        if let connector = SparkHTTPSPorts.connectors.first(where: { $0.key == key }) {
            text += " (\(key) is dasaudit's name; Spark's key is \(connector.sparkKey))"
        } else if SparkHTTPSPorts.connectors.contains(where: { $0.sparkKey == key }) {
            text += " (a web UI's HTTPS port in Spark 2.0 and later; DAS's Spark 1.x serves its UIs over HTTP only)"
        }
        if let port = pinnedPort {
            text += "; if a service listens there, allow its port (\(port) plus the port offset, which DAS adds to every "
                + "spark.*.port) in a policy file with `allow:`"
        }
        return text
    }
}

extension Policy {
    /// The installation key dasaudit did not read that pins `port` under this offset (its
    /// value plus the offset, as DAS adds it to every `spark.*.port`), if any: what an
    /// unexpected service there is named by, so its finding does not call the port unpinned.
    public func ignoredSetting(pinning port: UInt16) -> IgnoredSetting? {
        ignoredSettings.first { $0.port(offset: offset) == port }
    }

    /// Every port an ignored key pins under this offset.
    public var ignoredSettingPorts: [UInt16] { ignoredSettings.compactMap { $0.port(offset: offset) } }

    /// The hint for an unexpected service on a port an ignored key pins, labelled (up to
    /// the first colon) by the key: "spark.driver.blockManager.port, a key dasaudit does not
    /// read: spark-defaults.conf:8 pins it (12600 plus offset 2); allow the port in a policy
    /// file with `allow:` if it is meant".
    public func ignoredSettingHint(_ port: UInt16) -> String? {
        ignoredSetting(pinning: port).map { setting in
            "\(setting.key.escapedForMessage), a key dasaudit does not read: \(setting.origin) pins it "
                + "(\(setting.value.escapedForMessage) plus offset \(offset)); allow the port in a policy file with `allow:` if it is meant"
        }
    }
}
