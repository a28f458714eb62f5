import Flows
import Policy

/// Turns classified services, attempts, unused openings and coverage into findings, each
/// with a severity, an explanation with its evidence, and a remediation.
struct FindingRules {
    let policy: Policy

    /// The endpoints of `attempts` to an expected port that are also services: they served
    /// connections while the capture ran. Only those are looked up, so an audit without
    /// such attempts builds nothing.
    static func servedEndpoints(_ services: [ClassifiedService], amongExpected attempts: [ClassifiedAttempt]) -> Set<Endpoint> {
        let failed = Set(attempts.lazy.filter(\.isExpectedService).map(\.endpoint))
        guard !failed.isEmpty else { return [] }
        return Set(services.lazy.map(\.endpoint).filter(failed.contains))
    }

    /// The findings in the order they are made: the auditor sorts them once, with the
    /// others (`FindingRules.sorted`, stable, so that sorting them here first would change
    /// nothing).
    func findings(services: [ClassifiedService], offsetMismatches: [IPAddressKey: OffsetMismatch],
                  captureFit: CaptureOffsetFit?, attempts: [ClassifiedAttempt], unused: [UnusedOpening],
                  unresolved unresolvedConnections: [UnresolvedConnection], unresolvedNotListed: Int, inputs: [InputSummary],
                  coverage: Coverage, scans: [PortScanSummary] = [], captureLoss: CaptureLoss? = nil) -> [Finding] {
        var findings: [Finding] = []
        // At most one per service or attempt, besides the protocols' and a few others: room
        // for them at once, not grown (and copied) a dozen times on a busy capture.
        findings.reserveCapacity(services.count + attempts.count + unused.count + inputs.count + 8)
        // An audit of nothing says so, and nothing about unused ports: it saw no port used.
        // Probes folded into a scan are attempts all the same: evidence of what listened;
        // connects the capture's end cut are not.
        let unresolved = unresolvedConnections.count + unresolvedNotListed
        var nothing = NoTraffic.auditedNothing(services: services.count, attempts: attempts, probes: scans.probes)
        // Its no-traffic finding says why, cuts inside tunnels included.
        let auditedNothing = nothing
        if nothing {
            findings.append(NoTraffic.finding(coverage: coverage, inputs: inputs, unresolved: unresolved))
        } else {
            // A merge: a capture point that read no TCP traffic is an audit of nothing of its own.
            findings += NoTraffic.pointFindings(inputs: inputs)
            // Nothing of the cluster (a port scan alone, none of the declared nodes) is nothing too.
            let presence = ClusterPresence(policy: policy).findings(
                services: services, attempts: attempts, unresolved: unresolvedConnections, scans: scans, coverage: coverage)
            if let finding = presence.nothing {
                findings.append(finding)
                nothing = true
            }
            findings += presence.notSeen
        }
        if let captureFit { findings.append(captureFit.finding(given: policy.offset)) }
        // A service a wrong offset explains is in that offset's finding, not one of its own.
        // Through a buffer: the services are read in place, not copied.
        let protocolFindings = ProtocolFindings(policy: policy)
        let outsideClients = ClientsOutsideCluster(policy: policy)
        services.withUnsafeBufferPointer { services in
            for index in services.indices where offsetMismatches[services[index].endpoint.address] == nil
                && captureFit?.explained[services[index].endpoint] == nil {
                if let finding = finding(for: services[index]) { findings.append(finding) }
                if let finding = outsideClients.finding(for: services[index]) { findings.append(finding) }
            }
            for index in services.indices { findings += protocolFindings.findings(for: services[index]) }
        }
        // Once per host: each of a node's addresses names its one mismatch.
        for (address, mismatch) in offsetMismatches.sorted(by: { $0.key < $1.key }) where address == mismatch.addresses[0] {
            findings.append(offsetFinding(mismatch))
        }
        // An endpoint that also served connections answered: its failed connects are a
        // listen queue that overflowed under load or a restart, not a service that is down.
        let served = Self.servedEndpoints(services, amongExpected: attempts)
        for attempt in attempts where attempt.isExpectedService && attempt.failedWhileCaptured
            && !served.contains(attempt.endpoint) {
            let endpoint = "\(attempt.endpoint)"
            findings.append(Finding(
                kind: .expectedServiceNotAnswering, severity: .medium, port: attempt.endpoint.port,
                address: "\(attempt.endpoint.address)", node: attempt.node?.name,
                message: "\(endpoint) is \(attempt.verdict.catalogKey ?? "an expected port") but did not answer: "
                    + "\(attempt.tries.refused) connect\(attempt.tries.refused == 1 ? "" : "s") refused, "
                    + "\(attempt.tries.unanswered) unanswered, from \(attempt.tries.clients.count) client"
                    + (attempt.tries.clients.count == 1 ? "" : "s"),
                remediation: "Check that the service is running and bound to this address and port (ss -ltnp), "
                    + "and that no firewall drops or rejects its clients."))
        }
        for opening in unused where !nothing {
            let place = opening.node.map { " on \($0)" } ?? ""
            findings.append(Finding(
                kind: .unusedOpening, severity: opening.normallyBound ? .low : .info, port: opening.port,
                address: opening.node.flatMap(singleAddress), node: opening.node,
                message: "\(opening.port) (\(opening.catalogKey), \(opening.summary)) is expected open\(place) but carried "
                    + "no traffic in the capture window" + Self.boundNote(opening),
                remediation: "If nothing should listen there, close it in the firewall and drop its group or role from "
                    + "the policy; otherwise capture for longer or while the service is in use."))
        }
        if unresolved > 0 {
            // Most of what was seen unjudged is medium, as an input read only in part is; in an
            // audit of nothing, its no-traffic finding says it already.
            let unjudged = UnjudgedTraffic(
                connections: unresolved, bytes: unresolvedConnections.reduce(0) { $0.addingSaturated($1.bytes) },
                totalConnections: coverage.connections,
                judgedBytes: services.reduce(coverage.serviceBytesNotListed) { $0.addingSaturated($1.traffic.bytes) })
            let large = unjudged.isLarge && !nothing
            findings.append(Finding(
                kind: .directionUnknown, severity: large ? .medium : .info, port: nil, address: nil,
                message: "\(unresolved) connection\(unresolved == 1 ? "" : "s") had no handshake in the capture and no "
                    + "port that tells the server side; they are listed apart, not guessed"
                    + (large ? "; they are at least half of the connections or of the bytes, so the audit "
                        + "judged the lesser part: \(unjudged.text)" : ""),
                remediation: "Capture from before the connections open, or declare the ports in the policy"
                    + (large ? "; give --ephemeral-range when the clients pick ports outside 32768-60999" : "")
                    + "."))
        }
        findings += UndeclaredTunnels.findings(coverage.udp)
        // A merge's window that a capture point's inputs leave uncovered is not audited there.
        findings += (coverage.captureGaps ?? []).map(CaptureGaps.finding)
        for input in inputs {
            if let drops = input.drops, drops.total > 0 { findings.append(dropFinding(input.path, drops)) }
            if input.cutBeforeTCP > 0 && !auditedNothing { findings.append(cutBeforeTCPFinding(input)) }
            if input.cutInTunnels > 0 && !auditedNothing { findings.append(cutInTunnelsFinding(input)) }
            if input.unjoinedFragments > 0 && !auditedNothing { findings.append(unjoinedFragmentsFinding(input)) }
            // Drops, cuts and fragments alone are said above; whatever else left the input incomplete, here.
            guard !input.complete,
                  input.error != nil
                    || ((input.drops?.total ?? 0) == 0 && input.cutBeforeTCP == 0 && input.cutInTunnels == 0
                        && input.unjoinedFragments == 0)
            else { continue }
            // An input nothing was read from (a capture that would not open, a merge's result
            // that could not be read) covers no packet at all.
            findings.append(Finding(
                kind: .incompleteInput, severity: .medium, port: nil, address: nil,
                message: "\(input.error ?? "\(input.path): incomplete"); "
                    + (input.isUnusable ? "nothing of it was audited" : "the audit covers only the packets before it"),
                remediation: input.isUnusable ? "Give it again whole and readable (the capture, or the node's result) to cover its part."
                    : "Audit a complete capture to cover the whole window."))
        }
        if let captureLoss, captureLoss.makesIncomplete && !auditedNothing {
            findings.append(captureLossFinding(captureLoss))
        }
        return findings
    }

    /// Most severe first, then by kind, address and port.
    static func order(_ a: Finding, _ b: Finding) -> Bool {
        if (b.severity, a.kind.rawValue) != (a.severity, b.kind.rawValue) {
            return (b.severity, a.kind.rawValue) < (a.severity, b.kind.rawValue)
        }
        if a.address != b.address { return AddressOrder.less(a.address ?? "", b.address ?? "") }
        return (a.port ?? 0) < (b.port ?? 0)
    }

    private func finding(for service: ClassifiedService) -> Finding? {
        // Texts are made for the services that earn a finding only, each in one piece
        // (tens of thousands of unexpected ports earn one each).
        let verdict = service.verdict
        guard !verdict.isExplained else { return nil }
        let traffic = service.traffic
        // The common finding on a busy capture, made apart without the texts below.
        if verdict.classification == .unexpected { return unexpectedPortFinding(service) }
        let endpoint = service.endpointText
        var seen = ""
        Self.appendSeen(traffic, to: &seen)
        func finding(_ kind: Finding.Kind, _ severity: Severity, _ message: String, _ remediation: String) -> Finding {
            Finding(kind: kind, severity: severity, port: service.endpoint.port, address: service.address,
                    node: service.node?.name, message: message, remediation: remediation)
        }
        switch verdict.classification {
        case .expected, .executor, .allowed, .dependency, .hostLocal, .unexpected:  // unexpected: made above
            return nil
        case .undeclaredDependency:
            return finding(.undeclaredDependency, .medium,
                "\(endpoint) is outside the declared nodes, and the nodes use it (\(seen)); no dependency of the "
                    + "policy declares it",
                "If the cluster is meant to use it (a database, LDAP, a broker), declare it under the policy's "
                    + "dependencies with a reason; if it is a cluster member, declare it as a node; otherwise find "
                    + "what on the nodes connects to it and stop it.")
        case .executorOutOfRange:
            let allowed = policy.executorAllowed(on: service.node).map(\.description) ?? "none"
            return finding(.executorOutOfRange, .high,
                "\(endpoint) carried executor traffic (\(seen)) above the allowed range \(allowed)"
                    + "\(service.node.map { " on \($0.name)" } ?? "") for \(policy.coresPerNode) core"
                    + "\(policy.coresPerNode == 1 ? "" : "s") per node"
                    + ((service.node?.hostsDriver ?? true)
                        ? ": more executors than cores, or a second driver on this host (two applications at once), "
                            + "whose block manager took a port of the band" : ""),
                "Check the cores given to Spark (spark.worker.cores / spark.executor.cores) against the "
                    + "policy, and look for extra executor JVMs holding ports in the band. On a node that runs "
                    + "drivers, a second application's driver running at the same time also takes a block "
                    + "manager port of the band and pushes the executors one port up.")
        case .notInMode where verdict.mismatch == .role:
            let entryRoles = policy.catalog.first { $0.key == verdict.catalogKey }?.roles ?? []
            return finding(.roleMismatch, .medium,
                "\(endpoint) is \(verdict.catalogKey ?? "a catalog port") (roles: \(Self.names(entryRoles))), but "
                    + "\(service.node?.name ?? "this host") is declared as \(Self.names(service.node?.roles ?? [])); "
                    + "it served \(seen)",
                "Stop the service on this node, or declare the role it plays in the policy's nodes.")
        case .notInMode:
            // A port its feature keeps out (HA off, the shuffle service not said on) says so:
            // the mode and groups are not what to change.
            let entry = policy.catalog.first { $0.key == verdict.catalogKey }
            // A port that is the entry's only once its key is set (the shuffle service's
            // 7337, which DAS then moves by the offset: `PortClassifier.shuffleServiceMovedByOffset`)
            // names that reading after the key.
            let moved = entry.map { !policy.ports(of: $0).contains(service.endpoint.port) } ?? false
            let base = Int(entry?.basePort ?? 0), distance = Int(service.endpoint.port) - base
            let reading = !moved ? "" : " (set to \(base) in spark-defaults.conf, which DAS moves by the offset"
                + ((1...max(1, policy.portRetries)).contains(distance)
                    ? ", or " + PortClassifier.retryText(base: base, distance: distance) : "") + ")"
            if let entry, let feature = policy.featureKeepingOut(entry),
               policy.groups.contains(entry.group), entry.modes.contains(policy.mode) {
                let said = policy.features[feature] == false ? "says is off" : "does not say is on"
                let setKey = moved ? " and ports: {\(entry.key): \(entry.basePort)}" : ""
                return finding(.notInMode, .medium,
                    "\(endpoint) is \(entry.key)\(reading), which this policy does not expect: it is bound only with "
                        + "\(feature.switchedOnBy), which the policy \(said); it served \(seen)",
                    "If the service is meant to run, say so (features: {\(feature.rawValue): on}\(setKey) in the policy, "
                        + "or --das-home reading it); otherwise stop it on this node.")
            }
            return finding(.notInMode, .medium,
                "\(endpoint) is \(verdict.catalogKey ?? "a catalog port")\(reading), which this policy does not expect "
                    + "(Spark mode \(policy.mode.rawValue), " + Self.groupsText(policy.groups) + "); it served \(seen)",
                "Confirm the Spark mode (carbon.spark.master in spark-defaults.conf, with Carbon clustering in "
                    + "axis2.xml) and the expected groups; audit with the right --mode or policy, or stop the service.")
        }
    }

    /// The `unexpected-port` finding of `service`: its message and its remediation each
    /// appended piece by piece into one string reserved once (no intermediate strings).
    private func unexpectedPortFinding(_ service: ClassifiedService) -> Finding {
        var message = ""
        message.reserveCapacity(service.address.utf8.count + 112 + (service.verdict.hint?.utf8.count ?? 0))
        service.appendEndpointText(to: &message)
        message += " served "
        Self.appendSeen(service.traffic, to: &message)
        message += "; no catalog port under offset "
        message += String(policy.offset)
        message += " explains it"
        if let hint = service.verdict.hint {
            message += " (hint: "
            message += hint
            message += ")"
        }
        return Finding(kind: .unexpectedPort, severity: .high, port: service.endpoint.port, address: service.address,
                       node: service.node?.name, message: message,
                       remediation: Self.unexpectedPortRemediation(service.endpoint.port))
    }

    /// What to do about an unexpected service on `port`.
    static func unexpectedPortRemediation(_ port: UInt16) -> String {
        var text = ""
        text.reserveCapacity(150)
        text += "Find the process listening there (ss -ltnp 'sport = :"
        text += String(port)
        text += "'); stop it, pin it to a catalog port, or allow the port in the policy with a reason."
        return text
    }

    /// "27 connections from 25 clients": what a service's finding says it served.
    static func appendSeen(_ traffic: ServiceTally.Traffic, to text: inout String) {
        let connections = traffic.connections, clients = traffic.clients.count
        text += String(connections)
        text += connections == 1 ? " connection from " : " connections from "
        text += String(clients)
        text += clients == 1 ? " client" : " clients"
    }

    /// An input whose snapshot length cut packets before the end of their TCP header (IPv6
    /// at `-s 64`): the services only they reached are missing, as a capture's drops are, and
    /// the audit is incomplete the same way (medium, as `cutInTunnelsFinding`). Until December
    /// 2026 such an input was complete: `live --snaplen 64` on IPv6 traffic passed the audit
    /// without the IPv6 services, a rogue one among them.
    private func cutBeforeTCPFinding(_ input: InputSummary) -> Finding {
        missingPacketsFinding(
            input, InputSummary.cutBeforeTCPText(input.cutBeforeTCP, snaplen: input.snaplen),
            remediation: "Capture again with a snapshot length that holds every header (tcpdump -s "
                + "\(InputSummary.headersSnaplen), dasaudit live --snaplen \(InputSummary.headersSnaplen); 192 also keeps what "
                + "each port speaks).")
    }

    /// An input whose snapshot length cut packets inside a tunnel, before their inner TCP
    /// header (a capture on an underlay at `-s 96`): the services only they carried are
    /// missing, as a capture's drops are, and the audit is incomplete the same way (medium,
    /// so that at the default `--fail-on medium` such a cut cannot pass unnoticed).
    private func cutInTunnelsFinding(_ input: InputSummary) -> Finding {
        missingPacketsFinding(
            input, InputSummary.cutInTunnelsText(input.cutInTunnels, snaplen: input.snaplen),
            remediation: "Record the underlay again with a snapshot length that holds the outer headers too "
                + "(tcpdump -s \(InputSummary.tunnelSnaplen)), or capture on the overlay's interfaces, whose packets are not "
                + "in a tunnel.")
    }

    /// An input with IP fragments of TCP that could not be joined into a segment (the
    /// fragment holding the TCP header missing, RFC 1858's overlapping fragments): the
    /// connections only they carried are missing, as a cut's are (medium, as `cutInTunnelsFinding`).
    private func unjoinedFragmentsFinding(_ input: InputSummary) -> Finding {
        missingPacketsFinding(
            input, InputSummary.unjoinedFragmentsText(input.unjoinedFragments),
            remediation: "Capture where the datagrams' fragments all pass (the sending or receiving host), and look "
                + "for the source of overlapping or tiny fragments (RFC 1858), a scanner's evasion (nmap -f) among them.")
    }

    /// The medium `incomplete-input` of an input whose packets, as `what` says, did not
    /// reach the audit: the services only they carried are missing from it.
    private func missingPacketsFinding(_ input: InputSummary, _ what: String, remediation: String) -> Finding {
        Finding(
            kind: .incompleteInput, severity: .medium, port: nil, address: nil,
            message: "\(input.path): " + what + "; services seen only in those packets are missing from the audit",
            remediation: remediation)
    }

    /// A capture that lost packets before it held them, as TCP's acknowledgments tell
    /// (`CaptureLoss`): the audit is incomplete as a cut input's is (medium), though a pcap
    /// file records no drop. Audit-wide, since the connection table spans the inputs.
    private func captureLossFinding(_ loss: CaptureLoss) -> Finding {
        Finding(
            kind: .incompleteInput, severity: .medium, port: nil, address: nil,
            message: "the capture lost packets before it held them: \(loss.text), which their receivers got; "
                + "a capture that could not keep up (tcpdump's \"packets dropped by kernel\", which a pcap file does not "
                + "record) or a mirror port past its bandwidth; services seen only in those packets are missing from the audit",
            remediation: "Capture again without loss: with dumpcap (whose pcapng records what it drops), a larger capture "
                + "buffer (tcpdump -B, dumpcap -B, dasaudit live --buffer-size), a narrower filter or a snapshot length of "
                + "\(InputSummary.headersSnaplen), or where the traffic is lighter.")
    }

    /// A live capture, or the recording of a pcapng file, that lost packets: the audit may
    /// miss services it never saw.
    private func dropFinding(_ path: String, _ drops: Drops) -> Finding {
        Finding(
            kind: .packetsDropped, severity: .medium, port: nil, address: nil,
            message: "\(path) lost \(drops.total) packet\(drops.total == 1 ? "" : "s") before dasaudit saw them "
                + (path.hasPrefix("live:")
                    ? "(\(drops.kernel) dropped by the kernel, the capture buffer being full; \(drops.interface) by the interface)"
                    : "(as the file's interface statistics record: \(drops.interface) dropped by the interface, as dumpcap "
                        + "counts its kernel buffer's drops, and \(drops.kernel) by the operating system)")
                + "; services seen only in those packets are missing from the audit",
            remediation: "Capture again with a larger capture buffer (dasaudit live --buffer-size, dumpcap or tcpdump -B), "
                + "a narrower filter or a smaller snapshot length (not below \(InputSummary.headersSnaplen), which holds every "
                + "header), or audit a capture recorded where the traffic is lighter.")
    }

    /// The finding of one host: "10.0.0.2 (das2): ...", or for a node whose services were
    /// on several addresses "das2 (10.0.0.2, fd00::2): ..." with its first address as the
    /// finding's `address`.
    private func offsetFinding(_ mismatch: OffsetMismatch) -> Finding {
        let fit = OffsetFit(policy: policy)
        let keys = mismatch.ports.map { port in "\(port) (\(fit.key(for: port, at: mismatch.offset) ?? "?"))" }
        let address = "\(mismatch.addresses[0])", node = mismatch.node
        let host = mismatch.addresses.count > 1 && node != nil
            ? "\(node!.name) (\(mismatch.addresses.map(\.description).joined(separator: ", ")))"
            : address + (node.map { " (\($0.name))" } ?? "")
        return Finding(
            kind: .offsetMismatch, severity: .high, port: nil, address: address, node: node?.name,
            message: "\(host): its service ports \(keys.joined(separator: ", ")) "
                + "all fit port offset \(mismatch.offset), not the cluster's \(policy.offset)",
            remediation: "Set <Ports><Offset> in repository/conf/carbon.xml (or -DportOffset) on this node to "
                + "\(policy.offset) and restart it, or audit it with --offset \(mismatch.offset) if that is intended.")
    }

    /// Why an unused opening is only info: a port normally left unbound, or one whose
    /// deployment feature the policy does not say is on.
    static func boundNote(_ opening: UnusedOpening) -> String {
        if let feature = opening.feature.flatMap(DeploymentFeature.init(rawValue:)) {
            return "; it is bound only with \(feature.switchedOnBy), which the policy does not say is on"
        }
        return opening.normallyBound ? "" : "; it is normally unbound"
    }

    /// "groups das, spark", or "no catalog group" for a policy that expects none (`expect: []`).
    static func groupsText(_ groups: Set<CatalogGroup>) -> String {
        let names = CatalogGroup.allCases.filter(groups.contains).map(\.rawValue)
        return names.isEmpty ? "no catalog group" : "groups " + names.joined(separator: ", ")
    }

    static func names(_ roles: Set<NodeRole>) -> String {
        roles.isEmpty ? "any role" : NodeRole.allCases.filter(roles.contains).map(\.rawValue).joined(separator: ", ")
    }

    /// The node's address when it is declared as exactly one host.
    private func singleAddress(ofNode name: String) -> String? {
        guard let node = policy.nodes.first(where: { $0.name == name }), node.addresses.count == 1,
              node.addresses[0].isSingleAddress else { return nil }
        return node.addresses[0].description
    }
}
