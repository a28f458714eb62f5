import Flows
import Policy
import Wire

/// The scans a service was made of: a scanner sending bare probes from a catalog port.
extension PortScans {
    /// Scans sent from a service's own port: a service whose every connection was its own
    /// probe without a SYN answered by the client's RST (`TrafficCounts.onlyServerProbes`),
    /// to ports of one host, at least `minFromOneSourcePort` of them (or `min_ports`, if
    /// lower). Such a "service" is an ACK, Window or Maimon scan sent from a catalog port
    /// (`nmap -sA -g 7613`): the port rules took the scanner's port for the server's, and
    /// the probed host for its client. Its probes all come from one source port, as the
    /// small scans' (`fromOneSourcePort`), and carry one acknowledgment number
    /// (`TrafficCounts.serverProbeAcknowledgments`): a real server's keep-alives to clients
    /// that lost their sockets, each with its own connection's numbers, however many, or
    /// next to connections that served, stay a service. A scanner that draws a new
    /// acknowledgment number for each probe (`hping3 -A`) is told by how its probes were
    /// made (`TrafficCounts.onlyHandMadeServerProbes`): no TCP option and no DF, where a
    /// keep-alive carries its connection's timestamps or DF, whatever ports either went to
    /// (before December 7, 2026 the ports told: a scan of ports in the clients' range was
    /// missed, and keep-alives to clients on fixed ports outside it were a scan).
    /// `probed`: the scan's probes of the host's catalog ports, where both ends are catalog
    /// ports and the prober came out the client: services of its probes without a SYN
    /// alone (`TrafficCounts.onlyProbesWithoutSyn`) from the scanner's port, folded too.
    /// Its probes of ports other clients used stay with those services, as a stealth scan's
    /// do (`summary`: unfiltered where a RST answered), and are counted in `probesAtServices`.
    func scansByServices(_ services: EndpointList<ServiceTraffic>)
        -> [(service: Endpoint, probed: [Endpoint], probesAtServices: UInt64, scan: PortScanSummary)] {
        let fewest = min(Self.minFromOneSourcePort, thresholds.minPorts)
        let scanners = services.indices.filter {
            let traffic = services.values[$0]
            return traffic.counts.onlyServerProbes
                && (traffic.counts.serverProbeAcknowledgments.isShared || traffic.counts.onlyHandMadeServerProbes)
                && traffic.clients.count == 1 && traffic.serverProbedPorts.count >= fewest
        }
        guard !scanners.isEmpty else { return [] }
        // Services probed without a SYN from one client port, by (their host, that port).
        var probedFrom: [Endpoint: [Int]] = [:]
        for position in services.indices {
            let counts = services.values[position].counts
            guard counts.probesWithoutSyn > 0, let port = counts.probeClientPorts.port else { continue }
            probedFrom[Endpoint(address: services.endpoints[position].address, port: port), default: []].append(position)
        }
        return scanners.map { position in
            let traffic = services.values[position], scanner = services.endpoints[position]
            let target = traffic.clients.first!
            var ports = PortSet(traffic.serverProbedPorts)
            var refused = traffic.counts.serverProbes, unanswered: UInt64 = 0, atServices: UInt64 = 0
            var first = traffic.counts.firstSeen, last = traffic.counts.lastSeen
            var folded: [Endpoint] = [], open: [Endpoint] = [], unfiltered: [Endpoint] = []
            for place in probedFrom[Endpoint(address: target, port: scanner.port)] ?? [] {
                let probed = services.values[place], endpoint = services.endpoints[place]
                guard probed.clients.contains(scanner.address) else { continue }
                ports.insert(endpoint.port)
                let counts = probed.counts
                if counts.onlyProbesWithoutSyn && probed.clients.count == 1 {
                    folded.append(endpoint)
                    refused.addSaturated(counts.probesWithoutSynReset)
                    unanswered.addSaturated(counts.probesWithoutSyn - counts.probesWithoutSynReset)
                    first = min(first, counts.firstSeen)
                    last = max(last, counts.lastSeen)
                } else {
                    atServices.addSaturated(counts.probesWithoutSyn)
                    if counts.probesWithoutSynReset == counts.probesWithoutSyn { unfiltered.append(endpoint) } else { open.append(endpoint) }
                }
            }
            let runs = ports.runs, count = ports.count
            return (scanner, folded, atServices, PortScanSummary(
                scanner: "\(scanner.address)", kind: .vertical, type: .stealth, targets: ["\(target)"],
                ports: count, portRanges: PortList.written(runs), portRuns: runs,
                probes: count, refused: refused, unanswered: unanswered, sharedProbes: 0, windowShared: false,
                openPorts: open.map(\.description), unfilteredPorts: unfiltered.map(\.description),
                firstSeen: Timestamp(nanoseconds: first), lastSeen: Timestamp(nanoseconds: last)))
        }
    }
}
