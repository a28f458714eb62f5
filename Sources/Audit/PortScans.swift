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
        // A scan is mostly failed connects, so (unless the policy's share is 0) only the
        // answered connects next to a failed one are gathered: on a busy capture without
        // scans, gathering every client's was most of the audit's end stage.
        var gathered = ScanProbes(services: services, attempts: attempts, onlyNearFailures: thresholds.minFailedPercent > 0)
        var probes = gathered.probes
        gathered.probes = []  // moved out, so that sorting them does not copy them
        var scans: [ScanKey: [Endpoint]] = [:]
        /// One scan's probes (`run`), and those of them that are distinct endpoints.
        func record(_ kind: PortScanSummary.Kind, run: Range<Int>, distinct: [Int]) {
            let scanner = gathered.addresses[Int(probes[run.lowerBound].client)]
            let open = run.filter { !probes[$0].failed }.map { gathered.endpoint(of: probes[$0]) }
            let type = scanType(open: open, scanner: scanner, services: services)
            scans[ScanKey(scanner: scanner, kind: kind, type: type), default: []] += distinct.map { gathered.endpoint(of: probes[$0]) }
        }

        // Vertical: one client, one host, many ports.
        probes.sort { ($0.client, $0.host, $0.port) < ($1.client, $1.host, $1.port) }
        for run in probes.runs(where: { $0.client == $1.client && $0.host == $1.host }) {
            // A port both answered and failed (the endpoint is a service and an attempt) is one port.
            let ports = run.filter { $0 == run.lowerBound || probes[$0].port != probes[$0 - 1].port }
            let failed = run.count(where: { probes[$0].failed })
            guard ports.count >= thresholds.minPorts, thresholds.mostlyFailed(failed, of: ports.count) else { continue }
            for index in run { probes[index].inVerticalScan = true }
            record(.vertical, run: run, distinct: ports)
        }

        // Horizontal: one client, one port, many hosts (hosts it did not scan vertically,
        // moved last and left out). A host both answered and failed counts twice.
        let sweepable = probes.partition { $0.inVerticalScan }
        probes[..<sweepable].sort { ($0.client, $0.port, $0.host) < ($1.client, $1.port, $1.host) }
        for run in probes[..<sweepable].runs(where: { $0.client == $1.client && $0.port == $1.port }) {
            let failed = run.count(where: { probes[$0].failed })
            guard run.count >= thresholds.minHosts, thresholds.mostlyFailed(failed, of: run.count) else { continue }
            for index in run { probes[index].inHorizontalSweep = true }
            record(.horizontal, run: run, distinct: run.filter { $0 == run.lowerBound || probes[$0].host != probes[$0 - 1].host })
        }

        // An attempt that a scan probed is folded when only scanners made it: every client
        // that failed on it scanned it (an attempt whose clients went uncounted, past the
        // clients bound, has none left). One with other clients stays.
        var folded = Set(probes.lazy.filter(\.scanned).map { gathered.endpoint(of: $0) }.filter { attempts[$0] != nil })
        if !folded.isEmpty {
            for probe in probes where probe.failed && !probe.scanned { folded.remove(gathered.endpoint(of: probe)) }
        }
        let summaries = scans.sorted { ($0.key.scanner, $0.key.kind, $0.key.type) < ($1.key.scanner, $1.key.kind, $1.key.type) }
            .map { key, endpoints in summary(key, endpoints: endpoints, services: services, attempts: attempts) }
        return (summaries, folded)
    }

    /// The `scans` entry of one scan from the endpoints it probed (each once).
    func summary(_ key: ScanKey, endpoints: [Endpoint], services: [Endpoint: ServiceTraffic],
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
    func scanType(open: [Endpoint], scanner: IPAddress, services: [Endpoint: ServiceTraffic]) -> PortScanSummary.ScanType {
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

    struct ScanKey: Hashable { var scanner: IPAddress; var kind: PortScanSummary.Kind; var type: PortScanSummary.ScanType }
}
