import Flows
import Wire

/// One client's connect to one endpoint as port-scan detection (`PortScans`) sees it:
/// refused or unanswered (`failed`, from the attempts) or answered (from the services).
/// Twelve bytes, the addresses as numbers into `ScanProbes.addresses`, so that the probes of
/// a capture are one flat array, sorted once by client and host (vertical scans) and once by
/// client and port (horizontal sweeps), instead of a dictionary of sets per (client, host)
/// and per (client, port): a million probes of a scan-heavy capture are 12 MB.
struct ScanProbe {
    var client: UInt32
    var host: UInt32
    var port: UInt16
    private var marks: UInt8

    init(client: UInt32, host: UInt32, port: UInt16, failed: Bool) {
        self.client = client
        self.host = host
        self.port = port
        self.marks = failed ? Self.failedMark : 0
    }

    var failed: Bool { marks & Self.failedMark != 0 }
    /// Its client's probes of its host make a vertical scan.
    var inVerticalScan: Bool {
        get { marks & Self.verticalMark != 0 }
        set { marks = newValue ? marks | Self.verticalMark : marks & ~Self.verticalMark }
    }
    /// Its client's probes of its port (on hosts not scanned vertically) make a horizontal sweep.
    var inHorizontalSweep: Bool {
        get { marks & Self.horizontalMark != 0 }
        set { marks = newValue ? marks | Self.horizontalMark : marks & ~Self.horizontalMark }
    }
    var scanned: Bool { marks & (Self.verticalMark | Self.horizontalMark) != 0 }

    private static let failedMark: UInt8 = 1, verticalMark: UInt8 = 2, horizontalMark: UInt8 = 4
}

/// The probes port-scan detection needs, and the addresses their numbers stand for.
struct ScanProbes {
    var probes: [ScanProbe] = []
    private(set) var addresses: [IPAddress] = []
    private var numbers: [IPAddress: UInt32] = [:]

    func endpoint(of probe: ScanProbe) -> Endpoint { Endpoint(address: addresses[Int(probe.host)], port: probe.port) }

    /// Every failed connect, and the answered ones that can belong to a scan. When a scan
    /// needs failed connects (`onlyNearFailures`, a failed share above 0), an answered
    /// connect can only count where its client also failed on the same host (a possible
    /// vertical scan) or on the same port (a possible sweep); the others are not gathered,
    /// so memory and time follow the failed connects, not every (client, host) pair of a
    /// busy capture. Otherwise every one is gathered.
    init(services: [Endpoint: ServiceTraffic], attempts: [Endpoint: ServiceAttempts], onlyNearFailures: Bool) {
        probes.reserveCapacity(attempts.values.reduce(0) { $0 + $1.clients.count })
        for (endpoint, tries) in attempts {
            let host = number(endpoint.address)
            for client in tries.clients {
                probes.append(ScanProbe(client: number(client), host: host, port: endpoint.port, failed: true))
            }
        }
        guard onlyNearFailures else {
            for (endpoint, traffic) in services {
                let host = number(endpoint.address)
                for client in traffic.clients {
                    probes.append(ScanProbe(client: number(client), host: host, port: endpoint.port, failed: false))
                }
            }
            return
        }
        guard !probes.isEmpty, !services.isEmpty else { return }
        // What each client failed on, as sorted keys (no set per client): its hosts, its ports.
        let failedHosts = SortedKeys(probes.map { UInt64($0.client) << 32 | UInt64($0.host) })
        let failedPorts = SortedKeys(probes.map { UInt64($0.client) << 16 | UInt64($0.port) })
        for (endpoint, traffic) in services {
            // A client or host never numbered failed nothing here.
            let knownHost = numbers[endpoint.address]
            for client in traffic.clients {
                guard let client = numbers[client] else { continue }
                let nearFailure = knownHost.map { failedHosts.contains(UInt64(client) << 32 | UInt64($0)) } == true
                    || failedPorts.contains(UInt64(client) << 16 | UInt64(endpoint.port))
                guard nearFailure else { continue }
                probes.append(ScanProbe(client: client, host: knownHost ?? number(endpoint.address), port: endpoint.port, failed: false))
            }
        }
    }

    /// The number standing for `address`, given on first sight.
    private mutating func number(_ address: IPAddress) -> UInt32 {
        if let known = numbers[address] { return known }
        let next = UInt32(addresses.count)
        numbers[address] = next
        addresses.append(address)
        return next
    }
}

/// Distinct numbers, sorted, and a binary search: a compact set for keys that are known
/// all at once.
private struct SortedKeys {
    private var keys: [UInt64]

    init(_ keys: [UInt64]) {
        var keys = keys
        keys.sort()
        var kept = 0
        for index in keys.indices where kept == 0 || keys[kept - 1] != keys[index] {
            keys[kept] = keys[index]
            kept += 1
        }
        keys.removeLast(keys.count - kept)
        self.keys = keys
    }

    func contains(_ key: UInt64) -> Bool {
        var low = 0, high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low < keys.count && keys[low] == key
    }
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
