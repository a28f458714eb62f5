import Flows
import Policy

/// A capture that fits another port offset better than the one the audit was given: the
/// sign of a wrong `--offset` (or a policy file's), or of a cluster moved as a whole.
///
/// `OffsetMismatch` finds one host whose ports all fit another offset. This looks at every
/// service at once: it counts the services each offset explains (expected, an allowed
/// executor, or allowed, on the service's node) and, when another offset explains more of
/// them than the given one, ports of at least two catalog keys that the given offset leaves
/// unexplained (so one stray port, or a run of consecutive ones that a per-core band fits,
/// never names an offset), and at least a tenth of the services the
/// given offset leaves unexplained (`minimumSharePercent`: among thousands of rogue ports
/// a few line up with catalog ports at some offset by chance, and would lose their own
/// findings to an offset that explains next to none of them), the audit says so in one
/// finding: "38 of 51 services fit port offset 5; the audit was given offset 2". Those
/// services then carry that explanation as their hint, instead of a port-retry guess, and
/// no finding of their own: the offset is the one thing to fix. When those services are
/// all on one host whose ports all fit that offset, the host's own `OffsetMismatch` says
/// it better (it names the host), and this finding is left out.
struct CaptureOffsetFit {
    /// The offset that explains the most services.
    let offset: Int
    /// Services it explains, and services the given offset explains, of `total`.
    let fitting: Int
    let fittingGiven: Int
    let total: Int
    /// The services the given offset leaves unexplained and `offset` explains, with the
    /// catalog key each has at `offset`.
    let explained: [Endpoint: String]
    /// Services the given offset leaves unexplained that are catalog ports at `offset`
    /// but not explained there either (another mode, another node's role, an executor out
    /// of range): their findings stay, and their hint names the port at `offset` rather
    /// than guessing a port retry.
    let catalogPorts: [Endpoint: String]

    /// At most this many candidate offsets (those explaining the most unexplained services
    /// by catalog arithmetic) are checked by classifying every service.
    static let candidatesChecked = 4

    /// The share, in percent, of the services the given offset leaves unexplained that
    /// another offset must explain to be the capture's offset. A wrong offset leaves most
    /// of a cluster's services unexplained and the right one explains most of those (6 of
    /// 7, 12 of 19 on the bundled captures); ports that line up with the catalog by chance
    /// are rare, since the catalog names about forty ports in the 60,000 an offset can
    /// move: 4 of 300 rogue web servers on consecutive ports (1.3%,
    /// captures/rogue-web-lo-s96.pcap), 21 of 3,000 (0.7%) in a bug hunt. A tenth keeps
    /// that margin while a cluster among ten times as many unexplained services still
    /// names its offset.
    static let minimumSharePercent = 10

    static func find(in services: [ClassifiedService], policy: Policy) -> CaptureOffsetFit? {
        let fit = OffsetFit(policy: policy)
        // Votes: for each service the given offset leaves unexplained, every offset whose
        // catalog arithmetic explains its port. Tens of thousands of services give millions
        // of votes, so each service adds its ranges of offsets to a difference array (+1 at
        // the start, -1 past the end), summed once afterwards.
        var votes = [Int](repeating: 0, count: Int(UInt16.max) + 2)
        for index in services.indices where !services[index].verdict.isExplained {
            fit.forEachOffsetRange(explaining: services[index].endpoint.port) { range in
                votes[range.lowerBound] += 1
                votes[range.upperBound + 1] -= 1
            }
        }
        for offset in votes.indices.dropFirst() { votes[offset] += votes[offset - 1] }
        votes.removeLast()
        if votes.indices.contains(policy.offset) { votes[policy.offset] = 0 }  // the given offset is no candidate
        let candidates = votes.indices.filter { votes[$0] >= 2 }
            .sorted { (votes[$1], $0) < (votes[$0], $1) }.prefix(candidatesChecked)
        let fittingGiven = services.count(where: \.verdict.isExplained)
        let unexplained = services.count - fittingGiven
        var best: CaptureOffsetFit?
        for offset in candidates {
            var shifted = policy
            shifted.offset = offset
            var verdicts = PortVerdicts(policy: shifted, readingMovedShuffleService: false)
            var fitting = 0
            var explained: [Endpoint: String] = [:]
            var catalogPorts: [Endpoint: String] = [:]
            for index in services.indices {
                let endpoint = services[index].endpoint
                // A port no rule names neither fits nor is a catalog port at this offset.
                guard verdicts.namesAnything(endpoint.port) else { continue }
                let verdict = verdicts.verdict(endpoint.port, on: services[index].node)
                if verdict.isExplained { fitting += 1 }
                guard !services[index].verdict.isExplained else { continue }
                if verdict.isExplained {
                    explained[endpoint] = verdict.catalogKey ?? "an allowed port"
                } else if let key = verdict.catalogKey {
                    catalogPorts[endpoint] = key
                }
            }
            // Two catalog keys, not two services nor two ports: one port open on many hosts
            // is still one stray port, and consecutive ports fit a per-core band at some
            // offset whatever they are (rogue listeners on 31002-31007 fitted offset 19002).
            guard fitting > fittingGiven, Set(explained.values).count >= 2, fitting > best?.fitting ?? 0,
                  explained.count * 100 >= unexplained * minimumSharePercent
            else { continue }
            best = CaptureOffsetFit(offset: offset, fitting: fitting, fittingGiven: fittingGiven, total: services.count,
                                    explained: explained, catalogPorts: catalogPorts)
        }
        return best
    }

    /// The hint on a service the given offset leaves unexplained and that is a catalog
    /// port at this offset.
    func hint(for endpoint: Endpoint, given: Int) -> String? {
        if let key = explained[endpoint] {
            return "\(key) at offset \(offset): the capture fits offset \(offset), not the given \(given)"
        }
        return catalogPorts[endpoint].map {
            "\($0) at offset \(offset), which the capture fits better than the given \(given) (not expected here even so)"
        }
    }

    /// The finding: how many services fit which offset, and some of the ports it explains.
    func finding(given: Int) -> Finding {
        let shown = 8
        let ports = explained.sorted { ($0.key.address, $0.key.port) < ($1.key.address, $1.key.port) }
        let listed = ports.prefix(shown).map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
            + (ports.count > shown ? " and \(ports.count - shown) more" : "")
        return Finding(
            kind: .offsetMismatch, severity: .high, port: nil, address: nil,
            message: "\(fitting) of \(total) services fit port offset \(offset); the audit was given offset \(given), "
                + "which \(fittingGiven) of them fit. At offset \(offset): \(listed)",
            remediation: "If the cluster is meant to run at offset \(offset), audit it with --offset \(offset) (or that "
                + "offset in the policy); otherwise set <Ports><Offset> in repository/conf/carbon.xml (or -DportOffset) "
                + "to \(given) on every node and restart them.")
    }
}
