/// When the audit calls a client's connection attempts a port scan (the policy file's
/// `scan:` section, docs/policy.md). A vertical scan is one client trying at least
/// `minPorts` ports of one host; a horizontal sweep is one client trying one port on at
/// least `minHosts` hosts. In both, at least `minFailedPercent` of the ports (or hosts)
/// tried must have been refused or left unanswered: a client that talks to many ports
/// that all answer is a busy client, not a scanner.
public struct ScanThresholds: Sendable, Equatable {
    public var minPorts: Int
    public var minHosts: Int
    public var minFailedPercent: Int

    /// Defaults: an nmap default scan (1,000 ports) is far above 100 ports, while a DAS
    /// node's clients use a few dozen ports of one host at most; 10 hosts on one port
    /// is more than a cluster's own nodes in the catalogs' deployments; 80 % failed
    /// leaves room for the open ports a scan finds.
    public init(minPorts: Int = 100, minHosts: Int = 10, minFailedPercent: Int = 80) {
        self.minPorts = minPorts
        self.minHosts = minHosts
        self.minFailedPercent = minFailedPercent
    }

    /// Whether `failed` of `tried` is at least the failed share.
    public func mostlyFailed(_ failed: Int, of tried: Int) -> Bool {
        tried > 0 && failed * 100 >= minFailedPercent * tried
    }
}
