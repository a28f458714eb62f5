import Wire

/// The audit of nothing. A capture with no TCP segment (UDP only, the wrong interface, a
/// capture filter too tight, a live run that captured nothing), or with TCP segments but
/// no connection whose server side could be told, judged no service: every rule found
/// nothing wrong because it was given nothing. Such an audit must not pass. It gets a
/// high `no-traffic` finding, which no waiver covers, and its verdict is not compliant
/// whatever `--fail-on` says: the threshold chooses which findings fail an audit, and an
/// audit of nothing has nothing to pass on.
///
/// "Nothing" is no service and no connection attempt: refused or unanswered connects are
/// evidence (nothing listened where the clients looked), connections of unknown
/// direction are not (no port of them can be judged), nor connects whose every try came
/// in the capture's last 3 s (`AttemptSummary.failedWhileCaptured`: their answer may have
/// come after it). Until December 7, 2026 a capture of one SYN audited COMPLIANT
/// (tcpdump's test capture bgp-addpath.pcap).
public enum NoTraffic {
    /// Whether an audit that found these services and attempted endpoints judged nothing.
    public static func auditedNothing(services: Int, attempts: Int) -> Bool {
        services == 0 && attempts == 0
    }

    /// The same, of attempted endpoints as an audit or a result read back holds them, a
    /// scan's `probes` counted as the attempts they are: an endpoint counts only when a
    /// connect to it failed while the capture ran on (`failedWhileCaptured`).
    static func auditedNothing<Attempts: Sequence>(services: Int, attempts: Attempts, probes: Int) -> Bool
        where Attempts.Element: AttemptEvidence {
        auditedNothing(services: services, attempts: attempts.reduce(0) { $0 + ($1.failedWhileCaptured ? 1 : 0) } + probes)
    }

    /// The finding for an audit of nothing: what was read, and why none of it counted.
    public static func finding(coverage: Coverage, inputs: [InputSummary], unresolved: Int) -> Finding {
        Finding(kind: .noTraffic, severity: .high, port: nil, address: nil,
                message: message(coverage: coverage, inputs: inputs, unresolved: unresolved),
                remediation: "Check that the capture was taken where the cluster's traffic passes (the interface: "
                    + "dasaudit interfaces), that its filter keeps TCP to and from the cluster's ports, and that the "
                    + "cluster was in use while it ran; then audit a capture that holds its TCP traffic.")
    }

    static func message(coverage: Coverage, inputs: [InputSummary], unresolved: Int) -> String {
        let source = inputs.count == 1 ? inputs[0].path : inputs.isEmpty ? "the inputs" : "the \(inputs.count) inputs"
        func count(_ value: some BinaryInteger, _ noun: String) -> String { "\(value) \(noun)\(value == 1 ? "" : "s")" }
        // A live capture (it counts drops; a file does not) captured, a file was read.
        let read = !inputs.isEmpty && inputs.allSatisfy { $0.drops != nil } ? "captured on" : "read from"
        if coverage.connections == 0 && unresolved == 0 {
            if coverage.packets == 0 { return "no TCP traffic was audited: no packets were \(read) \(source)" }
            if coverage.tcpSegments == 0 {
                let skipped = coverage.skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
                let cutInTunnels = coverage.skipped[SkipReason.truncatedInTunnel.name] ?? 0
                let cutBeforeTCP = coverage.skipped[SkipReason.truncated.name] ?? 0
                return "no TCP traffic was audited: none of the \(count(coverage.packets, "packet")) \(read) \(source) "
                    + "was a TCP segment" + (skipped.isEmpty ? "" : " (\(skipped.joined(separator: ", ")))")
                    + (cutBeforeTCP == 0 ? "" : "; the packets cut before their TCP header need a snapshot length that "
                        + "holds every header (tcpdump -s \(InputSummary.headersSnaplen))")
                    + (cutInTunnels == 0 ? "" : "; the packets cut inside a tunnel need a snapshot length that holds the "
                        + "outer headers too (tcpdump -s \(InputSummary.tunnelSnaplen))")
            }
        }
        let segments = coverage.tcpSegments > 0 ? "\(count(coverage.tcpSegments, "TCP segment")) in " : ""
        return "no TCP service was audited: \(segments)\(count(max(coverage.connections, unresolved), "connection")) "
            + "from \(source), none of them to a server the audit could tell"
            + (unresolved > 0 ? " (\(unresolved) of unknown direction: no handshake, and no port that tells the server)" : "")
    }
}

extension NoTraffic {
    /// The capture points of a merge (inputs at two or more points) whose inputs hold no
    /// TCP segment, by name, each with its inputs. A node whose capture is empty (tcpdump
    /// stopped at once, the wrong interface) adds nothing to the merge's services: without
    /// this, the merge would judge the rest and list that node as captured, saying nothing
    /// of the part of the cluster nobody saw.
    public static func silentPoints(of inputs: [InputSummary]) -> [(point: String, inputs: [InputSummary])] {
        let byPoint = Dictionary(grouping: inputs) { $0.capturePoint ?? "" }
        guard byPoint.count > 1 else { return [] }
        return byPoint.filter { $0.value.allSatisfy { $0.tcpSegments == 0 } }.sorted { $0.key < $1.key }
            .map { (point: $0.key, inputs: $0.value) }
    }

    /// What `silentPoints` says of one point: what was read there, and that none of it counted.
    public static func pointMessage(_ point: String, inputs: [InputSummary]) -> String {
        let packets = inputs.reduce(0 as UInt64) { $0.addingSaturated($1.packets) }
        let source = inputs.count == 1 ? inputs[0].path : "its \(inputs.count) inputs"
        return "capture point \(point) audited no TCP traffic: "
            + (packets == 0 ? "no packets were read from \(source)" : "none of the \(packets) packets read from \(source) was a TCP segment")
            + "; the merge holds nothing of what it captured"
    }

    /// One `no-traffic` finding per silent point of a merge (`silentPoints`): a merge that
    /// has one node's capture empty is, for that node, an audit of nothing, and fails as one.
    static func pointFindings(inputs: [InputSummary]) -> [Finding] {
        silentPoints(of: inputs).map { point, inputs in
            Finding(kind: .noTraffic, severity: .high, port: nil, address: nil, message: pointMessage(point, inputs: inputs),
                    remediation: "Check that this node's capture was taken where its traffic passes (the interface: "
                        + "dasaudit interfaces), that its filter keeps TCP, and that it ran while the cluster was in use; "
                        + "then audit a capture of it that holds its TCP traffic and merge again.")
        }
    }
}

extension AuditResult {
    /// Whether this result judged nothing (`NoTraffic.auditedNothing`), a scan's probes
    /// counted as the connection attempts they are.
    public var auditedNothing: Bool {
        NoTraffic.auditedNothing(services: services.count, attempts: attempts, probes: (scans ?? []).probes)
    }

    /// The result's `no-traffic` findings (an audit of nothing, of none of the declared
    /// nodes, of a port scan alone, of a silent capture point): its own, or, for a result
    /// that judged nothing or only a scan's probes but lacks the finding (hand-edited, or
    /// older), the one the audit would have made. What the verdict and the diff stand on,
    /// so that neither passes an audit of nothing.
    public var noTrafficFindings: [Finding] {
        let own = findings.filter { $0.kind == .noTraffic }
        guard own.isEmpty else { return own }
        if auditedNothing { return [NoTraffic.finding(coverage: coverage, inputs: inputs, unresolved: unresolved.count)] }
        let scans = scans ?? []
        if !ClusterPresence.boundsOverflowed(coverage),
           ClusterPresence.onlyScanned(services: services.lazy.map { ($0.endpoint, $0.payloadBytes) },
                                       attempts: attempts.count, scans: scans) {
            return [ClusterPresence.scanOnlyFinding(answered: services.count, scans: scans)]
        }
        return []
    }
}

/// An attempted endpoint, as an audit (`ClassifiedAttempt`) or a result read back
/// (`AttemptSummary`) holds it: whether it is evidence that nothing listened.
protocol AttemptEvidence {
    var failedWhileCaptured: Bool { get }
}

extension ClassifiedAttempt: AttemptEvidence {}
extension AttemptSummary: AttemptEvidence {}
