import Flows
import Policy
import Wire

/// Port scans among the connections: a client that tries many ports of one host
/// (vertical) or one port of many hosts (horizontal), mostly refused or unanswered, by the
/// policy's `ScanThresholds`. Each scanner is one `port-scan` finding per kind of scan; the
/// attempts that only scanners made are folded into it (not listed one by one, no
/// `expected-service-not-answering`), while the ports it found open stay services and are
/// judged like any other.
///
/// It works on the folded per-endpoint statistics (`ServiceStatistics`), so it sees which
/// clients tried which endpoints but not each connection: the scan type is read from the
/// open ports only the scanner used (a SYN scan leaves SYN, SYN-ACK, RST: at most three
/// packets and no payload; a connect scan completes the handshake: four or more).
struct PortScans {
    let thresholds: ScanThresholds

    /// The scans found, in a stable order, and the attempt endpoints folded into them.
    func find(services: [Endpoint: ServiceTraffic], attempts: [Endpoint: ServiceAttempts])
        -> (scans: [PortScanSummary], folded: Set<Endpoint>) {
        // What each client tried on each host: ports that failed, ports that answered.
        var tried: [Pair: Probes] = [:]
        for (endpoint, tries) in attempts {
            for client in tries.clients { tried[Pair(client: client, host: endpoint.address), default: Probes()].failed.insert(endpoint.port) }
        }
        // A scan is mostly failed connects, so a client that failed none scans nothing
        // (unless the policy's share is 0): its answered connections are not gathered. On
        // a busy capture without scans that was a third of the audit's time.
        let failing: Set<IPAddress>? = thresholds.minFailedPercent > 0 ? Set(attempts.values.lazy.flatMap(\.clients)) : nil
        for (endpoint, traffic) in services {
            for client in traffic.clients where failing?.contains(client) ?? true {
                tried[Pair(client: client, host: endpoint.address), default: Probes()].open.insert(endpoint.port)
            }
        }
        // Vertical: one client, one host, many ports.
        let vertical = tried.filter { _, probes in
            probes.count >= thresholds.minPorts && thresholds.mostlyFailed(probes.failed.count, of: probes.count)
        }
        // Horizontal: one client, one port, many hosts (hosts it did not scan vertically).
        var sweeps: [ClientPort: Probes] = [:]
        for (pair, probes) in tried where vertical[pair] == nil {
            for port in probes.failed { sweeps[ClientPort(client: pair.client, port: port), default: Probes()].failedHosts.insert(pair.host) }
            for port in probes.open { sweeps[ClientPort(client: pair.client, port: port), default: Probes()].openHosts.insert(pair.host) }
        }
        let horizontal = sweeps.filter { _, probes in
            let hosts = probes.failedHosts.count + probes.openHosts.count
            return hosts >= thresholds.minHosts && thresholds.mostlyFailed(probes.failedHosts.count, of: hosts)
        }

        // Every endpoint each scanner probed.
        var probedBy: [Endpoint: Set<IPAddress>] = [:]
        var scans: [ScanKey: [Endpoint]] = [:]
        for (pair, probes) in vertical {
            let endpoints = probes.failed.union(probes.open).map { Endpoint(address: pair.host, port: $0) }
            let type = scanType(open: probes.open.map { Endpoint(address: pair.host, port: $0) }, scanner: pair.client,
                                services: services)
            scans[ScanKey(scanner: pair.client, kind: .vertical, type: type), default: []] += endpoints
            for endpoint in endpoints { probedBy[endpoint, default: []].insert(pair.client) }
        }
        for (sweep, probes) in horizontal {
            let endpoints = probes.failedHosts.union(probes.openHosts).map { Endpoint(address: $0, port: sweep.port) }
            let type = scanType(open: probes.openHosts.map { Endpoint(address: $0, port: sweep.port) }, scanner: sweep.client,
                                services: services)
            scans[ScanKey(scanner: sweep.client, kind: .horizontal, type: type), default: []] += endpoints
            for endpoint in endpoints { probedBy[endpoint, default: []].insert(sweep.client) }
        }
        // An attempt is folded when only scanners made it; one with other clients stays.
        let folded = Set(attempts.compactMap { endpoint, tries in
            probedBy[endpoint].map { tries.clients.isSubset(of: $0) } == true ? endpoint : nil
        })
        let summaries = scans.sorted { ($0.key.scanner, $0.key.kind, $0.key.type) < ($1.key.scanner, $1.key.kind, $1.key.type) }
            .map { key, endpoints in summary(key, endpoints: endpoints, services: services, attempts: attempts) }
        return (summaries, folded)
    }

    private func summary(_ key: ScanKey, endpoints: [Endpoint], services: [Endpoint: ServiceTraffic],
                         attempts: [Endpoint: ServiceAttempts]) -> PortScanSummary {
        var refused: UInt64 = 0, unanswered: UInt64 = 0
        var first = Int64.max, last = Int64.min
        var open: [Endpoint] = []
        for endpoint in endpoints {
            if let tries = attempts[endpoint] {
                refused.addSaturated(tries.refused)
                unanswered.addSaturated(tries.unanswered)
                first = min(first, tries.firstSeen)
                last = max(last, tries.lastSeen)
            } else if let traffic = services[endpoint] {
                open.append(endpoint)
                if traffic.clients == [key.scanner] {
                    first = min(first, traffic.firstSeen)
                    last = max(last, traffic.lastSeen)
                }
            }
        }
        let hosts = Set(endpoints.map(\.address)).sorted()
        return PortScanSummary(
            scanner: "\(key.scanner)", kind: key.kind, type: key.type, targets: hosts.map(\.description),
            ports: Set(endpoints.map(\.port)).count, portRanges: PortList.collapsed(endpoints.map(\.port)),
            probes: endpoints.count, refused: refused, unanswered: unanswered,
            openPorts: open.sorted().map(\.description),
            firstSeen: Timestamp(nanoseconds: first == .max ? 0 : first), lastSeen: Timestamp(nanoseconds: last == .min ? 0 : last))
    }

    /// SYN (half-open) or connect, from the open ports only `scanner` used; undetermined
    /// when no port answered it alone.
    private func scanType(open: [Endpoint], scanner: IPAddress, services: [Endpoint: ServiceTraffic]) -> PortScanSummary.ScanType {
        let alone = open.compactMap { services[$0] }.filter { $0.clients == [scanner] && $0.payloadBytes == 0 }
        guard !alone.isEmpty else { return .undetermined }
        let packets = alone.reduce(UInt64(0)) { $0.addingSaturated($1.packets) }
        let connections = alone.reduce(UInt64(0)) { $0.addingSaturated($1.connections) }
        return packets <= 3 * connections ? .synHalfOpen : .connect
    }

    /// The `port-scan` finding of one scan.
    /// `unlistedAttempts`: connects past the listing cap (`FlowLimits.maxAttempts`), which
    /// no scan can claim: the counts are then lower bounds, and the finding says so.
    static func finding(_ scan: PortScanSummary, unlistedAttempts: UInt64) -> Finding {
        let seconds = Double(scan.lastSeen.nanoseconds - scan.firstSeen.nanoseconds) / 1e9
        let shownTargets = scan.targets.prefix(10).joined(separator: ", ")
            + (scan.targets.count > 10 ? " and \(scan.targets.count - 10) more" : "")
        let shownOpen = scan.openPorts.isEmpty ? "none"
            : scan.openPorts.prefix(20).joined(separator: ", ")
                + (scan.openPorts.count > 20 ? " and \(scan.openPorts.count - 20) more (see the JSON)" : "")
        let portText = PortList.collapsed(PortList.ports(inCollapsed: scan.portRanges), maxRuns: 8)
        let what = scan.kind == .vertical
            ? "\(scan.ports) port\(scan.ports == 1 ? "" : "s") (\(portText)) of \(scan.targets.count) host\(scan.targets.count == 1 ? "" : "s") (\(shownTargets))"
            : "port\(scan.ports == 1 ? "" : "s") \(portText) across \(scan.targets.count) hosts (\(shownTargets))"
        return Finding(
            kind: .portScan, severity: .medium, port: nil, address: scan.scanner, node: nil,
            message: "\(scan.scanner) ran a \(scan.type.words) \(scan.kind == .vertical ? "port scan" : "sweep") of \(what): "
                + "\(scan.probes) probes, \(scan.refused) refused, \(scan.unanswered) unanswered, from \(scan.firstSeen) to "
                + "\(scan.lastSeen) (\(String(format: "%.1f", seconds)) s); open ports it found: \(shownOpen)"
                + (unlistedAttempts > 0 ? "; \(unlistedAttempts) more connects past the listing cap are counted in the "
                    + "coverage only, so these counts are lower bounds" : ""),
            remediation: "Confirm the scan was authorised (a vulnerability scanner in the audit window); if not, find who "
                + "runs it on \(scan.scanner). Its probes are folded into this finding; the open ports it found are listed "
                + "as services and judged as such.")
    }

    private struct Pair: Hashable { var client: IPAddress; var host: IPAddress }
    private struct ClientPort: Hashable { var client: IPAddress; var port: UInt16 }
    private struct ScanKey: Hashable { var scanner: IPAddress; var kind: PortScanSummary.Kind; var type: PortScanSummary.ScanType }

    private struct Probes {
        var failed: Set<UInt16> = []
        var open: Set<UInt16> = []
        var failedHosts: Set<IPAddress> = []
        var openHosts: Set<IPAddress> = []
        var count: Int { failed.union(open).count }
    }
}

/// One port scan, as written to the result's `scans`: its probes aggregated.
public struct PortScanSummary: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, Comparable {
        /// Many ports of one host each.
        case vertical
        /// One port (or a few) across many hosts.
        case horizontal
        public static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
    }

    public enum ScanType: String, Codable, Sendable, Comparable {
        case synHalfOpen = "syn-half-open"
        case connect
        /// No port answered the scanner alone, so the handshake cannot tell.
        case undetermined
        var words: String {
            switch self {
            case .synHalfOpen: "SYN (half-open)"
            case .connect: "full-connect"
            case .undetermined: "SYN or connect"
            }
        }
        public static func < (a: ScanType, b: ScanType) -> Bool { a.rawValue < b.rawValue }
    }

    public var scanner: String
    public var kind: Kind
    public var type: ScanType
    /// Hosts probed, as numbers sort.
    public var targets: [String]
    /// Distinct ports probed, and the same as collapsed ranges.
    public var ports: Int
    public var portRanges: String
    /// Endpoints probed (host x port), and the connects refused and unanswered among them.
    public var probes: Int
    public var refused: UInt64
    public var unanswered: UInt64
    /// Endpoints that answered: they stay services.
    public var openPorts: [String]
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp
}

extension [PortScanSummary] {
    /// Endpoints probed by all these scans: attempts folded out of the `attempts` list,
    /// still evidence that something was audited (`NoTraffic`).
    /// Saturating: a result read back may carry any numbers.
    public var probes: Int { reduce(0) { $0.addingSaturated($1.probes) } }
}
