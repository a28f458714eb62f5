/// What traffic to generate: the shape of a capture, as parameters. The same shape gives
/// the same bytes (everything random comes from `seed`).
///
/// The traffic is TCP between numbered hosts: server hosts 10.0.0.1, 10.0.0.2, ... (IPv6:
/// fd00:da5::1, ...), client hosts 10.1.0.1, ... (fd00:da5:1::1, ...) and scanners 10.2.0.1,
/// ... (fd00:da5:2::1, ...). `services` server endpoints (host, port) listen: the first
/// ones on the ports the DAS/Spark catalog expects under `offset` in cluster mode with two
/// cores (each speaking its catalog protocol), the last `unexpectedShare` of them on ports
/// nothing in the catalog explains (from 20000 up). Connections pick a service at random,
/// `connectionsInFlight` of them are open at once with their packets interleaved, and
/// each carries `packetsPerConnection` packets (`ConnectionScript` gives the exact
/// sequence). A share of connections is refused, unanswered, reset or left open instead;
/// these go to ports nothing listens on (`closedPortsPerHost` per host) or, for reset and
/// open, to services. Scans probe ports 1...`scanPorts` of a server host with SYNs, nmap's
/// way: open ports answer with a SYN-ACK (and the scanner resets), closed ones with a RST.
public struct TrafficShape: Sendable, Equatable {
    /// Seeds the random choices: services picked, clients, sequence numbers, time gaps.
    public var seed: UInt64 = 1
    /// Stop after this many packets (nil: when `connections` have all ended).
    public var packets: Int? = 1_000_000
    /// Connections to start in all (nil: as many as `packets` allows).
    public var connections: Int?
    /// Connections open at once, their packets interleaved at random.
    public var connectionsInFlight = 256
    /// Packets of a complete connection: SYN, SYN-ACK, data both ways, FIN both ways (at least 4).
    public var packetsPerConnection = 12
    /// Server endpoints (host, port) that connections go to.
    public var services = 50
    /// Connections go to the services in turn (so N connections reach min(N, services)
    /// services, each once before any twice) instead of to one picked at random.
    public var servicesInTurn = false
    /// The share of `services` on ports the catalog does not explain (0...1).
    public var unexpectedShare = 0.05
    /// Shares of connections refused (SYN, RST), unanswered (SYN, SYN again), reset after
    /// data, and left open at the end of the capture; the rest complete.
    public var refusedShare = 0.0
    public var unansweredShare = 0.0
    public var resetShare = 0.0
    public var openShare = 0.0
    /// Scanners, each probing ports 1...`scanPorts` of one server host.
    public var scans = 0
    public var scanPorts = 1000
    /// Server hosts the services are spread over, round robin.
    public var serverHosts = 8
    /// Client hosts the connections come from.
    public var clientHosts = 64
    /// The share of server hosts (and so of services) reached over IPv6 (0...1).
    public var ipv6Share = 0.0
    /// The cluster's port offset: expected services are on the catalog ports moved by it.
    public var offset = 2
    /// Bytes kept of each packet (0: whole packets), as `tcpdump -s` would cut them.
    public var snaplen = 0
    /// Whether data segments start with their protocol's first bytes (TLS, HTTP, Thrift,
    /// Spark RPC, ...): otherwise every payload is zeros.
    public var payloads = true
    /// Mean packets per second of capture time; gaps are drawn from half to 1.5 times the mean.
    public var rate = 5_000
    /// Capture time of the first packet, seconds since 1970 (default 2026-01-01 00:00 UTC).
    public var startTime: Int64 = 1_767_225_600
    /// Ports per server host that nothing listens on, where refused and unanswered connects go.
    public static let closedPortsPerHost = 16

    public init() {}

    /// The problems of this shape, each naming its parameter; empty when it can be generated.
    public func problems() -> [String] {
        var problems: [String] = []
        func share(_ value: Double, _ name: String) {
            if !(0...1).contains(value) { problems.append("\(name) must be between 0 and 1, not \(value)") }
        }
        if packets == nil && connections == nil { problems.append("give packets or connections (or both): nothing would end the capture") }
        if let packets, packets < 0 { problems.append("packets must be 0 or more, not \(packets)") }
        if let connections, connections < 0 { problems.append("connections must be 0 or more, not \(connections)") }
        if !(1...10_000_000).contains(connectionsInFlight) { problems.append("connections in flight must be 1 to 10000000, not \(connectionsInFlight)") }
        if !(4...100_000).contains(packetsPerConnection) {
            problems.append("packets per connection must be 4 to 100000 (SYN, SYN-ACK, FIN both ways at least), not \(packetsPerConnection)")
        }
        if services < 1 { problems.append("services must be 1 or more, not \(services)") }
        share(unexpectedShare, "unexpected share")
        share(refusedShare, "refused share")
        share(unansweredShare, "unanswered share")
        share(resetShare, "reset share")
        share(openShare, "open share")
        share(ipv6Share, "IPv6 share")
        if refusedShare + unansweredShare + resetShare + openShare > 1 {
            problems.append("refused, unanswered, reset and open shares add up to more than 1")
        }
        if scans < 0 || scans > 65_534 { problems.append("scans must be 0 to 65534, not \(scans)") }
        if !(1...65_535).contains(scanPorts) { problems.append("scan ports must be 1 to 65535, not \(scanPorts)") }
        if !(1...65_534).contains(serverHosts) { problems.append("server hosts must be 1 to 65534, not \(serverHosts)") }
        if !(1...65_534).contains(clientHosts) { problems.append("client hosts must be 1 to 65534, not \(clientHosts)") }
        if !(0...40_000).contains(offset) { problems.append("offset must be 0 to 40000, not \(offset)") }
        if snaplen < 0 || snaplen > 262_144 { problems.append("snaplen must be 0 (whole packets) to 262144, not \(snaplen)") }
        let headers = ipv6Share > 0 ? 74 : 54
        if snaplen > 0 && snaplen < headers {
            problems.append("snaplen must be at least \(headers) (the Ethernet, IP and TCP headers), not \(snaplen)")
        }
        if connectionsInFlight > clientHosts * 20_000 {
            problems.append("connections in flight must be at most 20000 per client host (\(clientHosts * 20_000)), "
                + "or two of them would share a client port; not \(connectionsInFlight)")
        }
        if !(1...1_000_000_000).contains(rate) { problems.append("rate must be 1 to 1000000000 packets per second, not \(rate)") }
        if !(0...4_000_000_000).contains(startTime) { problems.append("start time must be 0 to 4000000000 (seconds since 1970), not \(startTime)") }
        return problems
    }
}
