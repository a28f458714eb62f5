/// Where a policy setting was said: a file and line, or a command-line option. Kept per
/// setting so errors found after the sources are layered (a catalog key unknown to the
/// profile, an offset too large for it) still name the file and line, and so the
/// command line can say which source won when two set the same field.
public struct SettingOrigin: Hashable, Sendable, CustomStringConvertible {
    /// A file path, or an option such as `--offset`.
    public var source: String
    public var line: Int?

    public init(source: String, line: Int? = nil) {
        self.source = source
        self.line = line
    }

    public var description: String { line.map { "\(source):\($0)" } ?? source }

    /// An error located here.
    func error(_ message: String) -> PolicyError { PolicyError(source: source, line: line, message: message) }
}

/// One field set by two sources, the later winning: "offset 2 from --offset overrides 5
/// from policy.yaml:3". Printed as a note, so a value taken from an unexpected source is
/// never a silent surprise.
public struct PolicyOverride: Hashable, Sendable, CustomStringConvertible {
    /// The field, as the policy file names it (`offset`, `ports.spark.ui.port`).
    public var field: String
    public var value: String
    public var origin: SettingOrigin?
    public var replacedValue: String
    public var replacedOrigin: SettingOrigin?

    public var description: String {
        "\(field) \(value.escapedForMessage)\(origin.map { " from \($0)" } ?? "") overrides "
            + "\(replacedValue.escapedForMessage)\(replacedOrigin.map { " from \($0)" } ?? "")"
    }
}
