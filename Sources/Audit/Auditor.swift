import Flows
import Policy
import Wire

/// Audits connections against a policy: classifies each service on its node, and derives
/// unused openings, findings and the verdict. It reads nothing itself: the capture engine
/// (`CaptureEngine`, `Auditor.audit(paths:)`) reads the inputs into the connections and
/// per-service statistics it is given.
public struct Auditor {
    public var policy: Policy
    public var failOn: FailThreshold
    public var toolVersion: String
    /// When the audit ran (`AuditClock`): what the result's evidence records.
    public var auditTime: Timestamp
    /// The day waivers are judged on: the UTC day of `auditTime`, unless a test pins it.
    public var today: Day
    /// A BPF filter (tcpdump's syntax) the inputs are read through: `--filter`.
    public var captureFilter: String?
    /// Whether a packet seen again moments later (the same IP and TCP fields) is counted
    /// once whatever the capture's link type: `--deduplicate`. Captures on every interface
    /// (`tcpdump -i any`) always are.
    public var deduplicates = false
    /// The UDP ports besides 4789 and 8472 that carry VXLAN on the captured network:
    /// `--vxlan-port`. The decoder opens them as it does the standard ones.
    public var vxlanPorts = VXLANPorts()
    /// The endpoints the audit serves itself (`live --metrics-listen`): never judged as the
    /// cluster's (`OwnEndpoints`).
    public var ownEndpoints = OwnEndpoints()
    /// How many client addresses each service names in `sample_clients`, lowest first: 5 in
    /// a result (`ServiceSummary.sampleClientCount`); `dasaudit infer` asks for every one
    /// (`Int.max`), since its draft must name each node that used a server outside the
    /// nodes, not only the nodes among the five lowest addresses. The audit keeps its
    /// clients whatever this says (up to `coverage.client_counts_capped`).
    public var sampleClientsPerService = ServiceSummary.sampleClientCount

    public init(policy: Policy, failOn: FailThreshold = .medium, toolVersion: String = DasauditVersion.current,
                auditTime: Timestamp? = nil, today: Day? = nil) {
        self.policy = policy
        self.failOn = failOn
        self.toolVersion = toolVersion
        let time = auditTime ?? .wallClock
        self.auditTime = time
        self.today = today ?? Day(time)
    }

    public var directionRules: DirectionRules {
        DirectionRules(expectedServerPorts: policy.expectedPorts,
                       ephemeralLow: policy.ephemeralRange.lowerBound, ephemeralHigh: policy.ephemeralRange.upperBound)
    }

    /// Audits connections already read.
    /// `window`: a merge's, said in the coverage and judged (`MergedWindow`). `captureLoss`:
    /// what the captures the connections were read from lost (`CaptureLoss`), which a list
    /// of connections cannot tell (a merge's sources' coverage, summed); nil: what the
    /// connections say (`Connection.missedData`), bytes unknown.
    public func audit(_ connections: [Connection], inputs: [InputSummary], window: MergedWindow? = nil,
                      captureLoss: CaptureLoss? = nil) -> AuditResult {
        var statistics = ServiceStatistics(connections)
        // The inputs' ends in the connections' clock (a merge's: `MergeClock`).
        let ends = window.map { $0.clock.inOneClock(inputs) } ?? inputs
        statistics.cutByEnd = AttemptsCutByEnd.found(in: connections, inputs: ends, cap: FlowLimits.standard.maxAttempts)
        if let captureLoss {
            statistics.connectionsWithMissedData = captureLoss.connections
            statistics.missedBytes = captureLoss.missedBytes
        }
        return audit(statistics, inputs: inputs, window: window)
    }

    /// Audits connections already folded per service (as a flow table evicts them).
    ///
    /// Consumes `tally`: what the end stage needs of it is taken out first (the scans, the
    /// coverage, the services and attempts, in endpoint order) and the rest is let go, and
    /// the services' list goes once they are classified, so that the statistics, their list
    /// and the classified services are never all held at once (80 MB at 40,000 services).
    ///
    /// `threads`: the cores it may use. With two or more, passes that read the same
    /// services but not each other's results run two at a time (`bothAtOnce`): the sorting
    /// of the services' clients in two halves, the port scans beside the classification,
    /// the findings beside the services' summaries.
    ///
    /// `capturePoint`: the name of the point all of `inputs` were captured at (an audit of
    /// files), whose gaps between them, when there are several, are said and judged as a
    /// merge's (`CaptureGaps`); nil for a merge, which gives its `window`, and a live audit.
    public func audit(_ tally: consuming ServiceStatistics, inputs: [InputSummary], threads: Int = 2,
                      window: MergedWindow? = nil, capturePoint: String? = nil) -> AuditResult {
        let inParallel = threads > 1
        var verdicts = PortVerdicts(policy: policy, own: ownEndpoints)
        var (tallyServices, tallyAttempts, attemptTallies) = tally.takeServicesAndAttempts(inParallel: inParallel,
                                                                                           keepingAttemptTallies: true)
        let captureLoss = CaptureLoss(tally, inputs: inputs)
        var coverage = coverage(inputs: inputs, tally: tally, services: tallyServices)
        window?.apply(to: &coverage, inputs: inputs)
        if let capturePoint, inputs.count > 1 {
            let found = CaptureGaps.find(inInputsOf: capturePoint, inputs)
            coverage.record(gaps: found.gaps, joined: found.joined)
        }
        let listedUnresolved = tally.unresolved
        let unresolvedNotListed = tally.unresolvedNotListed
        let attemptsNotListed = tally.unlisted.attemptConnections
        let cutByEnd = tally.cutByEnd
        coverage.connectsCutByEnd = cutByEnd.total
        _ = consume tally
        let (scanned, classified) = bothAtOnce(inParallel: inParallel, {
            PortScans(thresholds: policy.scanThresholds).find(services: tallyServices, attempts: tallyAttempts,
                                                              attemptTallies: attemptTallies)
        }, {
            classify(tallyServices, verdicts: &verdicts)
        })
        // A port a scan probed without a SYN and nobody else used is no service: its probes
        // are in the scan, and were no connection open at the start of the window. Nor were
        // its probes without a SYN of the ports others used (a FIN scan's unanswered FIN to an
        // open port), which stay services.
        var services = scanned.foldedServices.isEmpty ? classified
            : classified.filter { !scanned.foldedServices.contains($0.endpoint) }
        var probes = scanned.probesAtServices
        var probesOpenAtEnd: UInt64 = 0
        if !scanned.foldedServices.isEmpty {
            for index in tallyServices.indices where scanned.foldedServices.contains(tallyServices.endpoints[index]) {
                probes.addSaturated(tallyServices.values[index].stateCounts[.midstream])
                probesOpenAtEnd.addSaturated(tallyServices.values[index].openAtEndConnections)
            }
        }
        // A port whose every connection was a bare ACK a RST refused, and which no scan took,
        // is a refused attempt, as a port whose SYNs a RST refused: no handshake and no byte
        // shows a service there (docs/design.md). Its "connections" were open at no start.
        var refusedAcks: [Endpoint: ServiceAttempts] = [:]
        if services.contains(where: { $0.traffic.counts.onlyRefusedAcks }) {
            for service in services where service.traffic.counts.onlyRefusedAcks {
                refusedAcks[service.endpoint] = ServiceAttempts(refusedAcksOf: service.traffic)
                probes.addSaturated(service.traffic.stateCounts[.midstream])
            }
            services.removeAll { $0.traffic.counts.onlyRefusedAcks }
        }
        if probes > 0 { coverage.openAtStart = coverage.openAtStart.map { $0 - min($0, probes) } }
        if probesOpenAtEnd > 0 { coverage.openAtEnd = coverage.openAtEnd.map { $0 - min($0, probesOpenAtEnd) } }
        ScannerClients.mark(scanned.scans, in: &services)
        tallyServices = EndpointList()
        attemptTallies = AttemptClientTallies()
        // A capture that fits another offset as a whole is one finding; a host that fits
        // another offset than the capture's is one finding per host.
        var captureFit = CaptureOffsetFit.find(in: services, policy: policy)
        var offsetMismatches = OffsetMismatch.find(in: services, policy: policy)
        if let fit = captureFit {
            // One host's mismatch (a node's, over its addresses) names the host: it says it better.
            let hosts = Set(fit.explained.keys.map { offsetMismatches[$0.address] })
            if hosts.count == 1, let host = hosts.first ?? nil, host.offset == fit.offset {
                captureFit = nil
            } else {
                offsetMismatches = offsetMismatches.filter { $0.value.offset != fit.offset }
            }
        }
        let offsetFit = OffsetFit(policy: policy)
        let protocolFindings = ProtocolFindings(policy: policy)
        for index in services.indices {
            let endpoint = services[index].endpoint
            if let mismatch = offsetMismatches[endpoint.address],
               let key = offsetFit.key(for: endpoint.port, at: mismatch.offset) {
                services[index].verdict.hint = "\(key) at offset \(mismatch.offset): the host looks configured with offset "
                    + "\(mismatch.offset), not \(policy.offset)"
            } else if let hint = captureFit?.hint(for: endpoint, given: policy.offset) {
                services[index].verdict.hint = hint
            } else if let spoken = protocolFindings.hint(for: services[index]) {
                services[index].verdict.hint = services[index].verdict.hint.map { "\($0); \(spoken)" } ?? spoken
            }
        }
        var attempts = tallyAttempts.indices.filter { !scanned.folded.contains(tallyAttempts.endpoints[$0]) }
            .map { position in
                let endpoint = tallyAttempts.endpoints[position]
                var tries = tallyAttempts.values[position]
                if let acks = refusedAcks.removeValue(forKey: endpoint) { tries.merge(acks) }
                let node = policy.node(for: endpoint.address)
                return ClassifiedAttempt(endpoint: endpoint, node: node,
                                         verdict: verdicts.verdict(server: endpoint, on: node, clients: tries.clients),
                                         tries: tries, cutByEnd: cutByEnd.byEndpoint[endpoint])
            }
        if !refusedAcks.isEmpty {
            for (endpoint, tries) in refusedAcks {
                let node = policy.node(for: endpoint.address)
                attempts.append(ClassifiedAttempt(endpoint: endpoint, node: node,
                                                  verdict: verdicts.verdict(server: endpoint, on: node, clients: tries.clients),
                                                  tries: tries, cutByEnd: cutByEnd.byEndpoint[endpoint]))
            }
            attempts.sort { $0.endpoint < $1.endpoint }
        }
        let unresolved = listedUnresolved.map {
            UnresolvedConnection(
                addressA: "\($0.client.address)", portA: $0.client.port,
                addressB: "\($0.server.address)", portB: $0.server.port,
                packets: $0.packets, bytes: $0.bytes, firstSeen: Timestamp(nanoseconds: $0.firstSeen))
        }
        let unused = UnusedOpenings(policy: policy).find(services: services)
        let (findings, serviceSummaries) = bothAtOnce(inParallel: inParallel, {
            let found = FindingRules(policy: policy).findings(
                services: services, offsetMismatches: offsetMismatches, captureFit: captureFit, attempts: attempts,
                unused: unused, unresolved: unresolved, unresolvedNotListed: unresolvedNotListed, inputs: inputs,
                coverage: coverage, scans: scanned.scans, captureLoss: captureLoss)
                + scanned.scans.map {
                    PortScans.finding($0, unlistedAttempts: attemptsNotListed, clientsCapped: coverage.clientCountsCapped)
                }
                + TrafficSufficiency.findings(coverage: coverage, unused: unused, scans: scanned.scans)
            return WaiverBook(waivers: policy.waivers, nodes: policy.nodes, today: today)
                .apply(to: FindingRules.sorted(consume found))
        }, {
            var countNames = RecordCountNames()
            return services.map { $0.summary(naming: &countNames, sampleClients: sampleClientsPerService) }
        })
        return AuditResult(
            tool: ToolInfo(version: toolVersion),
            inputs: inputs,
            policy: policySummary,
            coverage: coverage,
            services: serviceSummaries,
            attempts: attempts.map(\.summary),
            unresolved: unresolved,
            scans: scanned.scans,
            unusedOpenings: unused,
            findings: findings,
            summary: summary(services: serviceSummaries, attempts: attempts.count, unresolved: unresolved.count,
                             unused: unused.count, findings: findings))
    }

    /// Each service of `list` on its node, with its verdict. The list is in endpoint order:
    /// a host's services are neighbours, so its node and its address text are found once
    /// per host, not per service.
    private func classify(_ list: EndpointList<ServiceTraffic>, verdicts: inout PortVerdicts) -> [ClassifiedService] {
        var services: [ClassifiedService] = []
        services.reserveCapacity(list.count)
        var host = HostOfServices(policy: policy)
        for position in list.indices {
            let endpoint = list.endpoints[position]
            let (node, address) = host.nodeAndText(of: endpoint.address)
            services.append(ClassifiedService(
                endpoint: endpoint, node: node,
                verdict: verdicts.verdict(server: endpoint, on: node, clients: list.values[position].clients),
                traffic: list.values[position], address: address))
        }
        return services
    }

    /// The policy section of a result of this auditor.
    var policySummary: PolicySummary {
        let profileCatalog = Profile.named(policy.profileName)?.catalog ?? []
        let moved = policy.catalog.compactMap { entry -> (String, UInt16)? in
            guard let original = profileCatalog.first(where: { $0.key == entry.key }),
                  original.basePort != entry.basePort, !SparkHTTPSPorts.followsItsUI(entry, in: policy.catalog) else { return nil }
            return (entry.key, entry.basePort)
        }
        return PolicySummary(
            profile: policy.profileName, offset: policy.offset, mode: policy.mode, cores: policy.coresPerNode,
            groups: CatalogGroup.allCases.filter(policy.groups.contains).map(\.rawValue),
            ephemeralRange: "\(policy.ephemeralRange)", executorAllowed: policy.executorAllowed?.description,
            executorBand: policy.executorBand?.description, failOn: failOn,
            allowedPorts: policy.allowedPorts.sorted { $0.key < $1.key }.map {
                AllowedPortSummary(port: $0.key, reason: $0.value, protocol: policy.allowedProtocols[$0.key]?.name)
            },
            nodes: policy.nodes.map { node in
                NodeSummary(name: node.name, addresses: node.addresses.map(\.description),
                            roles: NodeRole.allCases.filter(node.roles.contains).map(\.rawValue),
                            executorAllowed: policy.executorAllowed(on: node).map(\.description))
            },
            externalCluster: policy.externalCluster.isEmpty ? nil : policy.externalCluster.map(\.description),
            waivers: policy.waivers.map { waiver in
                WaiverSummary(kind: waiver.kind, port: waiver.port, host: waiver.host, reason: waiver.reason,
                              expires: "\(waiver.expires)", expired: waiver.hasExpired(on: today))
            },
            basePorts: Dictionary(moved, uniquingKeysWith: { first, _ in first }),
            dependencies: policy.dependencies.map { dependency in
                DependencySummary(name: dependency.name, address: "\(dependency.address)", port: dependency.port,
                                  reason: dependency.reason)
            },
            features: Dictionary(uniqueKeysWithValues: policy.features.map { ($0.key.rawValue, $0.value) }),
            ignoredKeys: policy.ignoredSettings.map {
                IgnoredKeySummary(key: $0.key, value: $0.value, file: $0.origin.source, line: $0.origin.line)
            })
    }

    /// The coverage of `tally`, whose `services` (taken out of it) are passed apart.
    private func coverage(inputs: [InputSummary], tally: ServiceStatistics,
                          services: EndpointList<ServiceTraffic>) -> Coverage {
        // Sums saturate and the window is taken in floating point: counts and times come from
        // captures and result files, and two times at the ends of the Int64 range (a pcapng
        // with 64-bit timestamps) are 2^64 ns apart.
        var skipped: [String: UInt64] = [:]
        var tunneled: [String: UInt64] = [:]
        var translated: [String: UInt64] = [:]
        for input in inputs {
            skipped.merge(input.skipped) { $0.addingSaturated($1) }
            tunneled.merge(input.tunneled ?? [:]) { $0.addingSaturated($1) }
            translated.merge(input.translated ?? [:]) { $0.addingSaturated($1) }
        }
        let start = inputs.compactMap(\.firstSeen).min()
        let end = inputs.compactMap(\.lastSeen).max()
        let duration = start.flatMap { start in end.map { $0.seconds(since: start) } } ?? 0
        let counted = inputs.compactMap(\.drops)  // live captures, pcapng files that record drops
        let captureLoss = CaptureLoss(tally, inputs: inputs)
        return Coverage(
            packets: inputs.reduce(0) { $0.addingSaturated($1.packets) },
            tcpSegments: inputs.reduce(0) { $0.addingSaturated($1.tcpSegments) },
            skipped: skipped, tunneled: tunneled, translated: translated,
            udp: UDPCoverage.combined(inputs.compactMap(\.udp)), captureStart: start, captureEnd: end, durationSeconds: duration,
            connections: tally.connections,
            // An input of an older result whose packets were cut inside a tunnel said complete.
            complete: inputs.allSatisfy { $0.complete && $0.cutInTunnels == 0 && $0.unjoinedFragments == 0 }
                && !captureLoss.makesIncomplete,
            drops: counted.isEmpty ? nil
                : Drops(kernel: counted.reduce(0) { $0.addingSaturated($1.kernel) },
                        interface: counted.reduce(0) { $0.addingSaturated($1.interface) }),
            unresolvedNotListed: tally.unresolvedNotListed, clientCountsCapped: tally.clientAddressesOverflowed,
            serviceConnectionsNotListed: tally.unlisted.serviceConnections, servicePacketsNotListed: tally.unlisted.servicePackets,
            serviceBytesNotListed: tally.unlisted.serviceBytes, attemptsNotListed: tally.unlisted.attemptConnections,
            // A connection whose server could not be told saw no handshake: it was open at
            // the start too.
            openAtStart: services.values.reduce(0) { $0 + $1.stateCounts[.midstream] }
                .addingSaturated(UInt64(tally.unresolved.count + tally.unresolvedNotListed)),
            // Every connection whose last captured packet left it open, mid-stream ones and
            // unresolved ones too: counting the `established` state alone left out those
            // begun before the window, which are open at both ends.
            openAtEnd: tally.connectionsOpenAtEnd,
            openConnectionsEvictedAtCap: tally.openConnectionsEvictedAtCap,
            connectionsSeenOneWay: tally.connectionsSeenOneWay,
            loneResets: tally.loneResetPackets,
            // Inputs that overlap in time leave acknowledgments of bytes that are in another
            // input in the one read first: no measure of what the capture lost, so none.
            connectionsWithMissedData: captureLoss.inputsOverlap ? nil : captureLoss.connections,
            missedBytes: captureLoss.inputsOverlap ? nil : captureLoss.missedBytes,
            clockStepsBack: inputs.reduce(0) { $0.addingSaturated($1.clockStepsBack ?? 0) })
    }

    /// The counts, and the verdict: compliant when no finding fails the audit
    /// (`Finding.fails`; an audit of nothing has its `no-traffic` finding, which does).
    private func summary(services: [ServiceSummary], attempts: Int, unresolved: Int, unused: Int, findings: [Finding]) -> Summary {
        // Counted by index, per case, then named: tens of thousands of records are read,
        // none copied and no name hashed per record.
        let classificationCases = Classification.allCases, severityCases = Severity.allCases
        var perClassification = [Int](repeating: 0, count: classificationCases.count)
        for index in services.indices {
            perClassification[classificationCases.firstIndex(of: services[index].classification)!] += 1
        }
        let classifications = Dictionary(uniqueKeysWithValues: zip(classificationCases.map(\.rawValue), perClassification))
        var perSeverity = [Int](repeating: 0, count: severityCases.count)
        var waived = 0
        var failing = false
        for index in findings.indices {
            guard !findings[index].isWaived else {
                waived += 1
                continue
            }
            perSeverity[severityCases.firstIndex(of: findings[index].severity)!] += 1
            if findings[index].fails(under: failOn) { failing = true }
        }
        let bySeverity = Dictionary(uniqueKeysWithValues: zip(severityCases.map(\.rawValue), perSeverity))
        return Summary(
            services: services.count, classifications: classifications, attempts: attempts, unresolved: unresolved,
            unusedOpenings: unused, findings: bySeverity, waived: waived, failOn: failOn,
            compliant: !failing)
    }
}
