import Flows

/// A raw-socket scan's probes told from its host's real connections by their source port.
///
/// A raw-socket scan (nmap's SYN scan, masscan) sends every probe of a host from one
/// source port, and leaves an open port's handshake half open without a byte of payload.
/// The scanner host's own connections come from ports the kernel picked: a failed one
/// (curl to a closed port) from another port, an answered one (a Spark executor fetching
/// blocks, curl) with a request. Without this, a Spark worker that also ran `nmap -6`
/// counted them as probes (a bug hunt, December 5, 2026: nmap probed 1,205 ports, 1,200
/// refused and 5 open; the finding said 1,209, with the executor's and curl's ports
/// 8083, 12002 and 13002 among the open ports it found and curl's refused 9999 among
/// the probes). A connect loop has no source port of its own, and its probes may carry
/// payload (a `HELO` to every open port): its probes are all kept, as before.
enum ProbeSourcePort {
    /// `probes` (in client, host, port order) without the connections that are a
    /// scanner's own. In each client's probes of one host that have a source port
    /// (`scanSource`):
    /// - a failed connect from another port is the host's own, when such connects are too
    ///   few (`fewerThan`, the policy's `min_ports`) to be a scan of their own (a connect
    ///   scan of the host besides its SYN scan stays), and no other failed connect came from
    ///   its port (a second round of the scan from a new source port stays);
    /// - an answered one is the host's own where every connection of the service carried
    ///   the client's payload (`ScanEndpoints.Service.onlyClientPayload`) and none was left
    ///   half open: the scan's probe of an open port carries none, or, with payload in its
    ///   SYN (`nmap --data-length`), is answered by a SYN-ACK the scanner resets, as no
    ///   host's own connection is. Taken for the host's own, those probes made a SYN scan
    ///   that found 4 open ports say "open ports it found: none".
    /// Connects whose endpoint saw several client ports are kept: their port is not known.
    static func withoutOwnConnects(_ probes: [ScanProbe], endpoints: ScanEndpoints, fewerThan limit: Int) -> [ScanProbe] {
        var kept: [ScanProbe] = []
        kept.reserveCapacity(probes.count)
        // Failed connects per client port other than the scan's, in one run (reused).
        var otherPorts: [UInt16: Int] = [:]
        for run in probes.runs(where: { $0.client == $1.client && endpoints.hosts[Int($0.endpoint)] == endpoints.hosts[Int($1.endpoint)] }) {
            guard let source = scanSource(probes[run], endpoints: endpoints) else {
                kept += probes[run]
                continue
            }
            let dropFailed = source.known - source.sharing < limit
            otherPorts.removeAll(keepingCapacity: true)
            if dropFailed {
                for probe in probes[run] {
                    if let own = clientPort(probe, endpoints), own != source.port { otherPorts[own, default: 0] += 1 }
                }
            }
            for probe in probes[run] {
                if probe.failed {
                    // A port that several failed connects came from is a scanner's too (another
                    // round of nmap, masscan, a retry's port): only a port of one is the host's own.
                    if dropFailed, let own = clientPort(probe, endpoints), own != source.port, otherPorts[own] == 1 { continue }
                } else if let service = endpoints.services[Int(probe.endpoint)], service.onlyClientPayload,
                          service.halfOpenConnections == 0 {
                    continue
                }
                kept.append(probe)
            }
        }
        return kept
    }

    /// The source port of one client's probes of one host, or of one port (`run`): the
    /// client port that more than half of the failed connects whose endpoint saw one client
    /// port (`ScanEndpoints.Attempt.clientPort`) share, when at least two do; `sharing`
    /// is how many do, `known` how many saw one port. Nil when there is none: a connect
    /// loop, whose every connect has a port of its own.
    static func scanSource(_ run: ArraySlice<ScanProbe>, endpoints: ScanEndpoints) -> (port: UInt16, sharing: Int, known: Int)? {
        // The majority port, if any (Boyer-Moore: one pass, no table), then its count.
        var candidate: UInt16 = 0, lead = 0, known = 0
        for probe in run {
            guard let own = clientPort(probe, endpoints) else { continue }
            known += 1
            if lead == 0 { candidate = own }
            lead += own == candidate ? 1 : -1
        }
        let sharing = run.count { clientPort($0, endpoints) == candidate }
        guard sharing >= 2, sharing * 2 > known else { return retriedScanSource(run, endpoints: endpoints) }
        return (candidate, sharing, known)
    }

    /// `scanSource` where the failed connects' endpoints saw one or two client ports
    /// (`ScanEndpoints.Attempt.clientPortPair`): nmap sends each probe nothing answered
    /// once more, from a second source port, so every endpoint of an all-filtered scan saw
    /// its first port and its retries' (`nmap -sS --badsum -p 1-30`: 31 endpoints, 60
    /// connects, none from one port alone). The port more than half of them share, at
    /// least two, as there; `known` counts the endpoints that saw one or two ports. A
    /// host's own connects and their retries each have ports of their own, and share none.
    private static func retriedScanSource(_ run: ArraySlice<ScanProbe>, endpoints: ScanEndpoints)
        -> (port: UInt16, sharing: Int, known: Int)? {
        guard run.contains(where: { pair($0, endpoints) != nil }) else { return nil }
        var counts: [UInt16: Int] = [:]
        var known = 0
        for probe in run {
            if let own = clientPort(probe, endpoints) {
                counts[own, default: 0] += 1
            } else if let (low, high) = pair(probe, endpoints) {
                counts[low, default: 0] += 1
                counts[high, default: 0] += 1
            } else {
                continue
            }
            known += 1
        }
        // The most shared port, the lowest of a tie: the same whatever the order of the run.
        guard let (port, sharing) = counts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }).map({ ($0.key, $0.value) }),
              sharing >= 2, sharing * 2 > known else { return nil }
        return (port, sharing, known)
    }

    /// A failed probe's two client ports, where its endpoint saw exactly two.
    private static func pair(_ probe: ScanProbe, _ endpoints: ScanEndpoints) -> (UInt16, UInt16)? {
        probe.failed ? endpoints.attempts[Int(probe.endpoint)]?.clientPortPair : nil
    }

    /// A failed probe's client port, where its endpoint saw one; nil for answered ones.
    private static func clientPort(_ probe: ScanProbe, _ endpoints: ScanEndpoints) -> UInt16? {
        probe.failed ? endpoints.attempts[Int(probe.endpoint)]?.clientPort : nil
    }
}
