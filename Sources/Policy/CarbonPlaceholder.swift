/// A `${name}` placeholder in a carbon.xml value (`<Offset>${portOffset}</Offset>`).
///
/// Carbon's `ServerConfiguration.replaceSystemProperty` (carbon-kernel) replaces it at
/// start-up with the Java system property of that name, or, from kernel 4.4.9 (DAS 3.1.0)
/// on, the environment variable: its value lives on the DAS host, not in the file, so the
/// audit cannot know it and asks for `--offset` (which wins over carbon.xml anyway, as
/// `-DportOffset` does) or a policy file's `offset:` instead.
enum CarbonPlaceholder {
    /// Whether `text` holds a `${…}` placeholder.
    static func isPlaceholder(_ text: String) -> Bool {
        guard let open = text.range(of: "${") else { return false }
        return text[open.upperBound...].contains("}")
    }

    /// The error for a port DAS takes from its start-up environment (`<RMIRegistryPort>${jmx.port}`):
    /// said as such, not as a malformed number, with the one way to audit it.
    static func portProblem(_ what: String, _ text: String) -> String {
        "\(what) is '\(text.escapedForMessage)', a placeholder DAS fills in at start-up from a system property "
            + "(-Dname=value) or an environment variable; the audit cannot see it, so write the port the node uses "
            + "in a copy of the installation's file and give that copy to --das-home"
    }

    /// The error for an offset DAS takes from its start-up environment.
    static func offsetProblem(_ text: String) -> String {
        "<Ports><Offset> is '\(text.escapedForMessage)', which DAS replaces at start-up with a system property "
            + "(-Dname=value) or, from DAS 3.1.0 on, an environment variable of that name; the audit cannot see it, "
            + "so give the offset with --offset N (or offset: N in the policy file)"
    }
}
