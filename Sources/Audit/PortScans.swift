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
/// open ports only the scanner used (a SYN scan answers the SYN-ACK with a RST and leaves
/// every connection half open, `Connection.halfOpen`; a connect scan completes the
/// handshake). Until December 4, 2026 it was read from the packets (at most three a
/// connection), which a capture holding every packet twice turned into a connect scan.
struct PortScans {
    let thresholds: ScanThresholds

    /// The scans found, in a stable order, and the attempt endpoints folded into them.
    /// `attemptTallies`: each attempted endpoint's clients' own failed connects, which a scan
    /// counts where other clients tried the same endpoint (without them, such endpoints are
    /// counted as shared).
    /// `foldedServices`: the services of probes without a SYN only (`ScanEndpoints.probedOnly`)
    /// among `folded`, which are no services: the scan probed them.
    /// `probesAtServices`: the probes without a SYN of the ports scans probed that stay
    /// services (others used them too), which were no connections open at the start.
    func find(services: EndpointList<ServiceTraffic>, attempts: EndpointList<ServiceAttempts>,
              attemptTallies: AttemptClientTallies = AttemptClientTallies())
        -> (scans: [PortScanSummary], folded: Set<Endpoint>, foldedServices: Set<Endpoint>, probesAtServices: UInt64) {
        // A scan is mostly failed connects, so (unless the policy's share is 0) only the
        // answered connects next to a failed one are gathered: on a busy capture without
        // scans, gathering every client's was most of the audit's end stage.
        var gathered = ScanProbes(services: services, attempts: attempts, onlyNearFailures: thresholds.minFailedPercent > 0)
        let endpoints = gathered.endpoints
        var probes = ProbeSourcePort.withoutOwnConnects(gathered.probes, endpoints: endpoints, fewerThan: thresholds.minPorts)
        gathered.probes = []  // moved out, so that marking them does not copy them
        var scans: [ScanKey: [UInt32]] = [:]
        // Of each scan's endpoints, those that answered the scanner itself (its probe was no
        // failed connect): the open ports it found.
        var answered: [ScanKey: Set<UInt32>] = [:]
        /// One scan's probes (`run`, of one client): its kind of scan and the endpoints it probed.
        func record(_ kind: PortScanSummary.Kind, run: ArraySlice<ScanProbe>) {
            let scanner = gathered.clients[Int(run.first!.client)]
            var type = scanType(open: run.lazy.filter { !$0.failed }.map(\.endpoint), scanner: scanner, endpoints: endpoints)
            if type == .undetermined, Self.mostlyWithoutSyn(run, endpoints: endpoints) { type = .stealth }
            let key = ScanKey(scanner: scanner, kind: kind, type: type)
            scans[key, default: []].append(contentsOf: run.indices.lazy.filter { run.isFirst(at: $0) }.map { run[$0].endpoint })
            answered[key, default: []].formUnion(run.lazy.filter { !$0.failed }.map(\.endpoint))
        }

        // Vertical: one client, one host, many ports (the probes are in that order).
        for run in probes.runs(where: { $0.client == $1.client && endpoints.hosts[Int($0.endpoint)] == endpoints.hosts[Int($1.endpoint)] }) {
            // A port both answered and failed (the endpoint is a service and an attempt) is one port.
            // Counted on a slice that is gone before the probes are marked (a slice alive then
            // would make marking copy the whole array).
            let (ports, failed) = { (slice: ArraySlice<ScanProbe>) in
                (slice.indices.count(where: slice.isFirst(at:)), slice.count(where: \.failed))
            }(probes[run])
            guard thresholds.mostlyFailed(failed, of: ports),
                  ports >= thresholds.minPorts || Self.fromOneSourcePort(probes[run], endpoints: endpoints, threshold: thresholds.minPorts)
            else { continue }
            for index in run { probes[index].inVerticalScan = true }
            record(.vertical, run: probes[run])
        }

        // Horizontal: one client, one port, many hosts (hosts it did not scan vertically, left
        // out), ordered by port and host, then (a stable sort) by client. A host both answered
        // and failed counts twice.
        var sweepable = probes.filter { !$0.inVerticalScan }
            .stablySorted(by: { Int(endpoints.portMajorOrder[Int($0.endpoint)]) }, keyCount: endpoints.count)
            .stablySorted(by: { Int($0.client) }, keyCount: gathered.clients.count)
        for run in sweepable.runs(where: { $0.client == $1.client && endpoints.endpoints[Int($0.endpoint)].port == endpoints.endpoints[Int($1.endpoint)].port }) {
            let failed = sweepable[run].count(where: \.failed)
            guard thresholds.mostlyFailed(failed, of: run.count),
                  run.count >= thresholds.minHosts || Self.fromOneSourcePort(sweepable[run], endpoints: endpoints, threshold: thresholds.minHosts)
            else { continue }
            for index in run { sweepable[index].inHorizontalSweep = true }
            record(.horizontal, run: sweepable[run])
        }

        // An attempt that a scan probed is folded when only scanners made it: every client
        // that failed on it scanned it (an attempt whose clients went uncounted, past the
        // clients bound, has none left). One with other clients stays.
        var scanned = [Bool](repeating: false, count: endpoints.count), failedUnscanned = scanned
        for probe in probes where probe.inVerticalScan { scanned[Int(probe.endpoint)] = true }
        for probe in sweepable {
            if probe.inHorizontalSweep {
                scanned[Int(probe.endpoint)] = true
            } else if probe.failed {
                failedUnscanned[Int(probe.endpoint)] = true
            }
        }
        let foldedNumbers = endpoints.endpoints.indices.filter {
            scanned[$0] && !failedUnscanned[$0] && endpoints.attempts[$0] != nil
        }
        // The probes without a SYN of the scanned ports that stay services (other clients
        // used them): no connection open at the start of the window either.
        var probesAtServices = endpoints.endpoints.indices.reduce(UInt64(0)) { sum, number in
            guard scanned[number], let service = endpoints.services[number] else { return sum }
            return sum.addingSaturated(service.probesWithoutSyn)
        }
        let folded = Set(foldedNumbers.lazy.map { endpoints.endpoints[$0] })
        var foldedServices = Set(foldedNumbers.lazy.filter { endpoints.probedOnly[$0] }.map { endpoints.endpoints[$0] })
        var summaries = scans.sorted { ($0.key.scanner, $0.key.kind, $0.key.type) < ($1.key.scanner, $1.key.kind, $1.key.type) }
            .map { key, numbers in
                summary(key, endpoints: numbers, answered: answered[key] ?? [], of: endpoints, tallies: attemptTallies)
            }
        let fromServices = scansByServices(services)
        if !fromServices.isEmpty {
            foldedServices.formUnion(fromServices.flatMap { [$0.service] + $0.probed })
            probesAtServices = fromServices.reduce(probesAtServices) { $0.addingSaturated($1.probesAtServices) }
            summaries = (summaries + fromServices.map(\.scan)).sorted { ($0.scanner, $0.kind, $0.type) < ($1.scanner, $1.kind, $1.type) }
        }
        return (summaries, folded, foldedServices, probesAtServices)
    }

    /// The same from dictionaries (tests build fleets of endpoints as dictionaries).
    func find(services: [Endpoint: ServiceTraffic], attempts: [Endpoint: ServiceAttempts])
        -> (scans: [PortScanSummary], folded: Set<Endpoint>, foldedServices: Set<Endpoint>, probesAtServices: UInt64) {
        find(services: EndpointList(services), attempts: EndpointList(attempts))
    }

    /// The `scans` entry of one scan from the endpoints it probed (numbers into `book`, each
    /// once), added up by number: no dictionary lookup, set or sort per probe.
    ///
    /// An endpoint the scanner alone tried gives it its counts and times (an open port its
    /// times only where it answered nothing but probes, `answeredOnlyProbes`). One that other
    /// clients tried too (several scanners probing the same ports, or a client besides the
    /// scanner) gives it the scanner's own refused and unanswered connects: those with a SYN
    /// from `tallies`, its probes without a SYN where it alone sent such probes there
    /// (`ScanEndpoints.probesWithoutSyn`, whose times are then its own too). Where those are
    /// not known (no tallies, as for fleets built in tests; probes without a SYN from several
    /// clients) it is counted as shared, and its connects are in no scan's counts. The
    /// other times of such endpoints are every client's, so they make the window only of a
    /// scan that has no time of its own, which the finding says.
    ///
    /// `answered`: the endpoints among `numbers` that answered the scanner's own probes. A
    /// SYN or connect scan found open only those: a port other clients used that refused
    /// or left unanswered each of its probes (its SYN-FIN or SYN-RST probes, which Linux
    /// drops; `--badsum`; a decoy's, whose answers went nowhere) was listed as "open ports
    /// it found" though nmap reported it filtered.
    func summary(_ key: ScanKey, endpoints numbers: [UInt32], answered: Set<UInt32>, of book: ScanEndpoints,
                 tallies: AttemptClientTallies = AttemptClientTallies()) -> PortScanSummary {
        var refused: UInt64 = 0, unanswered: UInt64 = 0, shared = 0
        var first = Int64.max, last = Int64.min
        var sharedFirst = Int64.max, sharedLast = Int64.min
        var open: [UInt32] = [], unfiltered: [UInt32] = []
        var hosts: [UInt32] = []
        var ports = PortSet()
        // The tallies of a scan from many addresses are a million lookups at random in a
        // table of tens of MB: asked for a few endpoints ahead, their misses overlap.
        let lookahead = 16
        for (position, number) in numbers.enumerated() {
            if position + lookahead < numbers.count {
                let ahead = Int(numbers[position + lookahead])
                if let tries = book.attempts[ahead], tries.soleClient != key.scanner, book.attemptPositions[ahead] >= 0 {
                    tallies.prefetch(at: Int(book.attemptPositions[ahead]), client: key.scanner)
                }
            }
            let index = Int(number)
            ports.insert(book.endpoints[index].port)
            if hosts.last != book.hosts[index] { hosts.append(book.hosts[index]) }
            if let tries = book.attempts[index] {
                if tries.soleClient == key.scanner {
                    tries.count(into: &refused, &unanswered, widening: &first, &last)
                } else {
                    // The scanner's own connects, where they can be known: its connects with a
                    // SYN from the attempts' tallies (none there if it has no tally), its probes
                    // without a SYN from their only client (with several, not known).
                    var ownRefused: UInt64 = 0, ownUnanswered: UInt64 = 0, known = true
                    let place = Int(book.attemptPositions[index])
                    if place >= 0 {
                        if let own = tallies.tally(at: place, client: key.scanner) {
                            ownRefused = UInt64(own.refused)
                            ownUnanswered = UInt64(own.unanswered)
                        } else if !tallies.hasTallies(at: place) {
                            known = false
                        }
                    }
                    if let probes = book.probesWithoutSyn[index] {
                        if probes.soleClient == key.scanner {
                            // Those probes are its only: their times are its own.
                            probes.count(into: &ownRefused, &ownUnanswered, widening: &first, &last)
                        } else if probes.soleClient == nil {
                            known = false
                        }
                    }
                    if known {
                        refused.addSaturated(ownRefused)
                        unanswered.addSaturated(ownUnanswered)
                    } else {
                        shared += 1
                    }
                    sharedFirst = min(sharedFirst, tries.firstSeen)
                    sharedLast = max(sharedLast, tries.lastSeen)
                }
            }
            // An endpoint can be both: a port that answered some probes and not others.
            if let traffic = book.services[index] {
                // A stealth scan's RST from a port others show open: unfiltered, not found open.
                if key.type == .stealth && traffic.probesWithoutSyn > 0 && traffic.probesWithoutSynReset == traffic.probesWithoutSyn {
                    unfiltered.append(number)
                } else if key.type == .stealth || answered.contains(number) {
                    open.append(number)
                }
                if traffic.answeredOnlyProbes(of: key.scanner) {
                    first = min(first, traffic.firstSeen)
                    last = max(last, traffic.lastSeen)
                }
            }
        }
        // Host numbers are in address order: sorted, neighbours alike are one host.
        hosts.sort()
        let targets = hosts.indices.filter { $0 == 0 || hosts[$0] != hosts[$0 - 1] }
            .map { book.hostAddresses[Int(hosts[$0])].description }
        // A window was widened when it holds a time (first <= last): Int64.max and .min are
        // times too (a clock past 2262 or before 1677 is held there), so no value says "none".
        let windowShared = first > last && sharedFirst <= sharedLast
        if windowShared { (first, last) = (sharedFirst, sharedLast) }
        let timed = first <= last
        let runs = ports.runs
        return PortScanSummary(
            scanner: "\(key.scanner)", kind: key.kind, type: key.type, targets: targets,
            ports: runs.reduce(0) { $0 + $1.count }, portRanges: PortList.written(runs), portRuns: runs,
            probes: numbers.count, refused: refused, unanswered: unanswered, sharedProbes: shared, windowShared: windowShared,
            openPorts: open.sorted().map { book.endpoints[Int($0)].description },
            unfilteredPorts: unfiltered.sorted().map { book.endpoints[Int($0)].description },
            firstSeen: Timestamp(nanoseconds: timed ? first : 0), lastSeen: Timestamp(nanoseconds: timed ? last : 0))
    }

    /// The fewest endpoints (ports of one host, or hosts on one port) that failed connects
    /// from one source port must reach to be a scan below `min_ports` or `min_hosts`
    /// (`fromOneSourcePort`).
    static let minFromOneSourcePort = 8

    /// Whether a client's probes of one host, or of one port on several hosts (`run`), are
    /// a small scan: at least `minFromOneSourcePort` of its failed connects (no more than
    /// `threshold`, the policy's `min_ports` or `min_hosts`) came from one source port
    /// (`ProbeSourcePort.scanSource`). Only a raw-socket scanner sends to several endpoints
    /// from one port (nmap's SYN, FIN, NULL, Xmas, ACK, Window and Maimon scans, masscan,
    /// also slowed down); a host's real connects each come from an ephemeral port of their
    /// own, so a client's few refused connects stay attempts. Without it a 20-port FIN scan
    /// was 20 mid-stream services and 14 high `unexpected-port` findings, and a SYN sweep of
    /// 7613 across 9 hosts 9 `expected-service-not-answering` findings.
    static func fromOneSourcePort(_ run: ArraySlice<ScanProbe>, endpoints: ScanEndpoints, threshold: Int) -> Bool {
        guard let source = ProbeSourcePort.scanSource(run, endpoints: endpoints) else { return false }
        return source.sharing >= min(minFromOneSourcePort, threshold)
    }

    /// Whether most of the endpoints a scan's probes (`run`) failed on were probed without a
    /// SYN (`ScanEndpoints.probedOnly`): a FIN, NULL, Xmas, ACK, Window or Maimon scan,
    /// whose type no open port tells (a Linux port answers none of them with a SYN-ACK).
    static func mostlyWithoutSyn(_ run: ArraySlice<ScanProbe>, endpoints: ScanEndpoints) -> Bool {
        let failed = run.lazy.filter(\.failed)
        let withoutSyn = failed.count(where: { endpoints.probedOnly[Int($0.endpoint)] })
        return withoutSyn * 2 > failed.count
    }

    /// SYN (half-open) or connect, from the open ports (`open`, numbers into `endpoints`)
    /// that answered only `scanner`'s probes; undetermined when none did. The scanner's
    /// probes without a SYN of such a port (nmap -O's) are neither.
    func scanType(open: some Sequence<UInt32>, scanner: IPAddress, endpoints: ScanEndpoints) -> PortScanSummary.ScanType {
        var alone = false
        var everyOneHalfOpen = true
        for number in open {
            guard let traffic = endpoints.services[Int(number)], traffic.answeredOnlyProbes(of: scanner) else { continue }
            alone = true
            if traffic.halfOpenConnections.addingSaturated(traffic.probesWithoutSyn) < traffic.connections {
                everyOneHalfOpen = false
            }
        }
        guard alone else { return .undetermined }
        return everyOneHalfOpen ? .synHalfOpen : .connect
    }

    /// The `port-scan` finding of one scan.
    /// `unlistedAttempts`: connects past the listing cap (`FlowLimits.maxAttempts`), which
    /// no scan can claim; `clientsCapped`: the bound on client addresses was reached, past
    /// which no client's connects are tallied. The counts are then lower bounds, and the
    /// finding says so.
    static func finding(_ scan: PortScanSummary, unlistedAttempts: UInt64, clientsCapped: Bool = false) -> Finding {
        // Saturating: a crafted capture or result can put the scan's ends more than 2^63 ns apart.
        let seconds = scan.lastSeen.seconds(since: scan.firstSeen)
        let shownTargets = scan.targets.prefix(10).joined(separator: ", ")
            + (scan.targets.count > 10 ? " and \(scan.targets.count - 10) more" : "")
        func shown(_ ports: [String]) -> String {
            ports.isEmpty ? "none" : ports.prefix(20).joined(separator: ", ")
                + (ports.count > 20 ? " and \(ports.count - 20) more (see the JSON)" : "")
        }
        // A stealth scan's probes show no port open: to an ACK or Window probe open and closed
        // ports answer a RST alike (unfiltered), to a FIN, NULL, Xmas or Maimon probe an open
        // port says nothing, as a filtered one does (open|filtered), as nmap reports them.
        let stealth = scan.type == .stealth
        let counts = stealth
            ? "\(scan.probes) endpoints probed, \(scan.refused) probes answered with a RST (closed, or unfiltered to an ACK or "
                + "Window probe), \(scan.unanswered) unanswered (open|filtered, or filtered to an ACK or Window probe)"
            : "\(scan.probes) endpoints probed, \(scan.refused) connects refused, \(scan.unanswered) unanswered"
        let found = stealth
            ? "open ports it found: none (its probes show no port open); ports other connections show open that left its "
                + "probes unanswered (open|filtered to them): \(shown(scan.openPorts))"
                + (scan.unfilteredPorts.isEmpty ? "" : "; ports other connections show open that answered its probes with a "
                    + "RST (unfiltered to them, as closed ports are): \(shown(scan.unfilteredPorts))")
            : "open ports it found: \(shown(scan.openPorts))"
        let portText = PortList.written(scan.portRuns, maxRuns: 8)
        let what = scan.kind == .vertical
            ? "\(scan.ports) port\(scan.ports == 1 ? "" : "s") (\(portText)) of \(scan.targets.count) host\(scan.targets.count == 1 ? "" : "s") (\(shownTargets))"
            : "port\(scan.ports == 1 ? "" : "s") \(portText) across \(scan.targets.count) hosts (\(shownTargets))"
        return Finding(
            kind: .portScan, severity: .medium, port: nil, address: scan.scanner, node: nil,
            message: "\(scan.scanner) ran a \(scan.type.words) \(scan.kind == .vertical ? "port scan" : "sweep") of \(what): "
                // Probes are endpoints, connects are attempts: one endpoint can be refused many times.
                + counts
                + (scan.sharedProbes > 0 ? " (\(scan.sharedProbes) of the failed ones other clients tried too, so their connects "
                    + "are in no scan's counts)" : "")
                + ", \(scan.windowShared ? "while any client tried these endpoints, " : "on the ports it alone tried, ")from \(scan.firstSeen) to "
                + "\(scan.lastSeen) (\(String(format: "%.1f", seconds)) s); \(found)"
                + (unlistedAttempts > 0 ? "; \(unlistedAttempts) more connects past the listing cap are counted in the "
                    + "coverage only, so these counts are lower bounds" : "")
                + (clientsCapped ? "; the capture reached the bound on client addresses, past which no client's connects "
                    + "are tallied, so these counts are lower bounds" : ""),
            remediation: "Confirm the scan was authorised (a vulnerability scanner in the audit window); if not, find who "
                + "runs it on \(scan.scanner). Its probes are folded into this finding; the open ports it found are listed "
                + "as services and judged as such.")
    }

    struct ScanKey: Hashable { var scanner: IPAddress; var kind: PortScanSummary.Kind; var type: PortScanSummary.ScanType }
}
