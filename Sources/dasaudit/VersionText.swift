import Audit
import PcapKit

/// What `dasaudit --version` prints: the release (from the VERSION file), the commit it was
/// built from ("unknown commit" outside `scripts/package.sh`) and the libpcap it runs with,
/// so that a report from a cluster node says exactly what produced it.
enum VersionText {
    static var full: String {
        "dasaudit \(DasauditVersion.current) (\(commitText))\n\(PcapLibrary.version)"
    }

    private static var commitText: String {
        DasauditVersion.commit == "unknown commit" ? DasauditVersion.commit : "commit \(DasauditVersion.commit)"
    }
}
