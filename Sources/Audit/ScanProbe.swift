import Flows
import Wire

/// One client's connect to one endpoint as port-scan detection (`PortScans`) sees it:
/// refused or unanswered (`failed`, from the attempts) or answered (from the services).
/// A fixed-size value, so that the probes of a capture are one flat array, sorted once by
/// client and host (vertical scans) and once by client and port (horizontal sweeps),
/// instead of a dictionary of sets per (client, host) and per (client, port).
struct ScanProbe {
    var client: IPAddress
    var host: IPAddress
    var port: UInt16
    var failed: Bool
    /// Its client's probes of its host make a vertical scan.
    var inVerticalScan = false
    /// Its client's probes of its port (on hosts not scanned vertically) make a horizontal sweep.
    var inHorizontalSweep = false

    init(client: IPAddress, endpoint: Endpoint, failed: Bool) {
        self.client = client
        self.host = endpoint.address
        self.port = endpoint.port
        self.failed = failed
    }

    var endpoint: Endpoint { Endpoint(address: host, port: port) }
    var scanned: Bool { inVerticalScan || inHorizontalSweep }

    /// The probes port-scan detection needs: every failed connect, and the answered ones
    /// that can belong to a scan. When a scan needs failed connects (`onlyNearFailures`,
    /// a failed share above 0), an answered connect can only count where its client also
    /// failed on the same host (a possible vertical scan) or on the same port (a possible
    /// sweep); the others are not gathered, so memory and time follow the failed connects,
    /// not every (client, host) pair of a busy capture. Otherwise every one is gathered.
    static func gather(services: [Endpoint: ServiceTraffic], attempts: [Endpoint: ServiceAttempts],
                       onlyNearFailures: Bool) -> [ScanProbe] {
        var probes: [ScanProbe] = []
        probes.reserveCapacity(attempts.values.reduce(0) { $0 + $1.clients.count })
        for (endpoint, tries) in attempts {
            for client in tries.clients { probes.append(ScanProbe(client: client, endpoint: endpoint, failed: true)) }
        }
        guard onlyNearFailures else {
            for (endpoint, traffic) in services {
                for client in traffic.clients { probes.append(ScanProbe(client: client, endpoint: endpoint, failed: false)) }
            }
            return probes
        }
        guard !probes.isEmpty else { return [] }
        let failedClients = Set(probes.lazy.map(\.client))
        let failedHosts = Set(probes.lazy.map { ClientHost(client: $0.client, host: $0.host) })
        let failedPorts = Set(probes.lazy.map { ClientPort(client: $0.client, port: $0.port) })
        for (endpoint, traffic) in services {
            for client in traffic.clients where failedClients.contains(client)
                && (failedHosts.contains(ClientHost(client: client, host: endpoint.address))
                    || failedPorts.contains(ClientPort(client: client, port: endpoint.port))) {
                probes.append(ScanProbe(client: client, endpoint: endpoint, failed: false))
            }
        }
        return probes
    }

    private struct ClientHost: Hashable { var client: IPAddress; var host: IPAddress }
    private struct ClientPort: Hashable { var client: IPAddress; var port: UInt16 }
}

extension RandomAccessCollection where Index == Int {
    /// The runs of neighbours that `together` says belong together, in order: the groups
    /// of a sorted array (for example the probes of one client and host).
    func runs(where together: (Element, Element) -> Bool) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var start = startIndex
        for index in indices.dropFirst() where !together(self[index - 1], self[index]) {
            runs.append(start..<index)
            start = index
        }
        if start < endIndex { runs.append(start..<endIndex) }
        return runs
    }
}
