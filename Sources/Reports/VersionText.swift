/// What `dasaudit --version` prints: the release (from the VERSION file), the commit it was
/// built from ("unknown commit" outside `scripts/package.sh`) and the libpcap it runs with,
/// so that a report from a cluster node says exactly what produced it.
public enum VersionText {
    /// `dasaudit 0.1.0 (commit abc1234)` and, on the next line, libpcap's own version line.
    public static func render(version: String, commit: String, libpcap: String) -> String {
        let commitText = commit == "unknown commit" ? commit : "commit \(commit)"
        return "dasaudit \(version) (\(commitText))\n\(libpcap)"
    }
}
