import Flows
import Wire

/// One client's connect to one endpoint as port-scan detection (`PortScans`) sees it:
/// refused or unanswered (`failed`, from the attempts) or answered (from the services).
/// Twelve bytes, the client and the endpoint as numbers into `ScanProbes.clients` and
/// `ScanEndpoints`, so that the probes of a capture are one flat array, ordered by client
/// and host (vertical scans) and by client and port (horizontal sweeps) with counting
/// sorts, instead of a dictionary of sets per (client, host) and per (client, port): a
/// million probes of a scan-heavy capture are 12 MB.
struct ScanProbe {
    var client: UInt32
    /// The endpoint's number in `ScanEndpoints`, which are in (address, port) order.
    var endpoint: UInt32
    private var marks: UInt8

    init(client: UInt32, endpoint: UInt32, failed: Bool) {
        self.client = client
        self.endpoint = endpoint
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

/// The probes port-scan detection needs, in (client, host, port) order, the endpoints they
/// name and the clients their numbers stand for.
struct ScanProbes {
    /// Sorted by client, then endpoint (so by host, then port); a failed and an answered
    /// connect of one client to one endpoint (both an attempt and a service) are neighbours.
    var probes: [ScanProbe] = []
    let endpoints: ScanEndpoints
    /// The clients by number.
    private(set) var clients: [IPAddress] = []

    func endpoint(of probe: ScanProbe) -> Endpoint { endpoints.endpoints[Int(probe.endpoint)] }

    /// Every failed connect, and the answered ones that can belong to a scan. When a scan
    /// needs failed connects (`onlyNearFailures`, a failed share above 0), an answered
    /// connect can only count where its client also failed on the same host (a possible
    /// vertical scan) or on the same port (a possible sweep); the others are not gathered,
    /// so memory and time follow the failed connects, not every (client, host) pair of a
    /// busy capture. Otherwise every one is gathered.
    init(services: EndpointList<ServiceTraffic>, attempts: EndpointList<ServiceAttempts>, onlyNearFailures: Bool) {
        guard !(onlyNearFailures && attempts.isEmpty && !services.values.contains(where: \.counts.onlyProbesWithoutSyn)) else {
            endpoints = ScanEndpoints(services: EndpointList(), attempts: EndpointList())
            return
        }
        endpoints = ScanEndpoints(services: services, attempts: attempts)
        var numbers = AddressNumbers()

        // In endpoint order, so that ordering by client (a stable sort) orders by (client, endpoint).
        var failed: [ScanProbe] = []
        failed.reserveCapacity(attempts.values.reduce(0) { $0 + $1.clients.count })
        var answered: [ScanProbe] = []
        for (index, position) in endpoints.attemptPositions.enumerated() {
            let attempted = position >= 0 ? attempts.values[Int(position)].clients : []
            attempted.forEach { client in
                failed.append(ScanProbe(client: numbers.number(adding: client), endpoint: UInt32(index), failed: true))
            }
            // A service of probes without a SYN only is its clients' failed probes (each
            // client once where the endpoint is an attempt too).
            guard endpoints.probedOnly[index] else { continue }
            services.values[Int(endpoints.servicePositions[index])].clients.forEach { client in
                guard !attempted.contains(client) else { return }
                failed.append(ScanProbe(client: numbers.number(adding: client), endpoint: UInt32(index), failed: true))
            }
        }
        if !(onlyNearFailures && failed.isEmpty) {
            // Near a failure is on a host or a port someone failed on: the clients of the
            // other services are not even looked up.
            let failedOnHost = FailedClients(failed, keyCount: endpoints.hostAddresses.count) {
                Int(endpoints.hosts[Int($0.endpoint)])
            }
            let failedOnPort = FailedClients(failed, keyCount: 1 << 16) { Int(endpoints.endpoints[Int($0.endpoint)].port) }
            var candidates: [UInt32] = []
            // The clients that failed on the current service's host or port, stamped with the
            // service's number: an answered connect is near a failure when its client's stamp
            // is the service's, so only those are gathered.
            var nearStamp = [Int](repeating: -1, count: onlyNearFailures ? numbers.count : 0)
            for (index, position) in endpoints.servicePositions.enumerated() where position >= 0 && !endpoints.probedOnly[index] {
                let onHost = failedOnHost[Int(endpoints.hosts[index])]
                let onPort = failedOnPort[Int(endpoints.endpoints[index].port)]
                guard !onlyNearFailures || !onHost.isEmpty || !onPort.isEmpty else { continue }
                let clients = services.values[Int(position)].clients
                if onlyNearFailures, (onHost.count + onPort.count) * 4 < clients.count {
                    // Few clients failed on this host or port, against many clients here: each
                    // of those is looked for among the service's (a binary search), instead of
                    // each of the service's among the failed clients.
                    candidates.removeAll(keepingCapacity: true)
                    candidates += onHost
                    candidates += onPort
                    candidates.sort()
                    for (place, client) in candidates.enumerated()
                    where (place == 0 || candidates[place - 1] != client) && clients.contains(numbers.addresses[Int(client)]) {
                        answered.append(ScanProbe(client: client, endpoint: UInt32(index), failed: false))
                    }
                    continue
                }
                guard onlyNearFailures else {
                    clients.forEach { client in
                        answered.append(ScanProbe(client: numbers.number(adding: client), endpoint: UInt32(index), failed: false))
                    }
                    continue
                }
                for client in onHost { nearStamp[Int(client)] = index }
                for client in onPort { nearStamp[Int(client)] = index }
                clients.forEach { client in
                    // A client never numbered failed nothing: it is near no failure.
                    guard let client = numbers.number(of: client), nearStamp[Int(client)] == index else { return }
                    answered.append(ScanProbe(client: client, endpoint: UInt32(index), failed: false))
                }
            }
        }
        clients = numbers.addresses
        failed = failed.stablySorted(by: { Int($0.client) }, keyCount: clients.count)
        answered = answered.stablySorted(by: { Int($0.client) }, keyCount: clients.count)
        probes = Self.merged(failed, answered)
    }

    /// The same from dictionaries (tests build fleets of endpoints as dictionaries).
    init(services: [Endpoint: ServiceTraffic], attempts: [Endpoint: ServiceAttempts], onlyNearFailures: Bool) {
        self.init(services: EndpointList(services), attempts: EndpointList(attempts), onlyNearFailures: onlyNearFailures)
    }

    /// The clients of failed probes by a key of their endpoint (its host's number, or its
    /// port): one array in key order, a run per key (a counting sort).
    private struct FailedClients {
        private var starts: [Int]
        private var clients: [UInt32]

        init(_ failed: [ScanProbe], keyCount: Int, key: (ScanProbe) -> Int) {
            starts = [Int](repeating: 0, count: keyCount + 1)
            for probe in failed { starts[key(probe) + 1] += 1 }
            for index in 0..<keyCount { starts[index + 1] += starts[index] }
            clients = [UInt32](repeating: 0, count: failed.count)
            var next = starts
            for probe in failed {
                clients[next[key(probe)]] = probe.client
                next[key(probe)] += 1
            }
        }

        /// The clients that failed on an endpoint with this key (repeats possible).
        subscript(key: Int) -> ArraySlice<UInt32> { clients[starts[key]..<starts[key + 1]] }
    }

    /// Two arrays sorted by (client, endpoint) as one, the failed probe first where both name
    /// the same client and endpoint.
    private static func merged(_ failed: [ScanProbe], _ answered: [ScanProbe]) -> [ScanProbe] {
        guard !answered.isEmpty else { return failed }
        var merged: [ScanProbe] = []
        merged.reserveCapacity(failed.count + answered.count)
        var next = 0  // in answered
        for probe in failed {
            while next < answered.count, (answered[next].client, answered[next].endpoint) < (probe.client, probe.endpoint) {
                merged.append(answered[next])
                next += 1
            }
            merged.append(probe)
        }
        merged.append(contentsOf: answered[next...])
        return merged
    }
}

extension ArraySlice<ScanProbe> {
    /// Whether the probe at `index` names another endpoint than the one before it: in a run
    /// of one client's probes in endpoint order, a failed and an answered connect to one
    /// endpoint are neighbours, and only the first of them counts the endpoint.
    func isFirst(at index: Int) -> Bool {
        index == startIndex || self[index].endpoint != self[index - 1].endpoint
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
