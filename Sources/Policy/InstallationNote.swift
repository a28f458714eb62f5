/// Something a DAS installation's files make the node do that dasaudit reads a particular
/// way, said where it was read: an event-processor.xml whose Distributed (Storm) mode opens
/// ports the catalog does not have, a `spark.ssl.enabled` that DAS's Spark 1.x applies to
/// no web UI, an empty `<Ports><Offset>`. Every command that reads `--das-home` prints each
/// on standard error ("dasaudit: note: …/event-processor.xml:84: …"), as it does the
/// ignored keys (`IgnoredSetting`): a reading that changes or leaves out ports must not be
/// a silent surprise when the audit's verdicts are read against the operator's own files.
public struct InstallationNote: Hashable, Sendable, CustomStringConvertible {
    public var origin: SettingOrigin
    /// What the file makes the node do and how dasaudit takes it, in words for the user.
    public var text: String

    public init(origin: SettingOrigin, text: String) {
        self.origin = origin
        self.text = text
    }

    public var description: String { "\(origin): \(text)" }
}
