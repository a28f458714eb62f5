import Flows
import Policy
import Wire

/// Audits captures against a policy: reads the inputs, orients and tallies the
/// connections, classifies each service, and derives unused openings and findings.
public struct Auditor {
    public var policy: Policy
    public var failOn: FailThreshold
    public var toolVersion: String

    public init(policy: Policy, failOn: FailThreshold = .medium, toolVersion: String = DasauditVersion.current) {
        self.policy = policy
        self.failOn = failOn
        self.toolVersion = toolVersion
    }

    public var directionRules: DirectionRules {
        DirectionRules(expectedServerPorts: policy.expectedPorts,
                       ephemeralLow: policy.ephemeralRange.lowerBound, ephemeralHigh: policy.ephemeralRange.upperBound)
    }

    /// Reads `paths` in order ("-" is stdin) and audits them as one capture.
    public func audit(paths: [String]) -> AuditResult {
        var reader = CaptureReader()
        for path in paths { reader.read(path: path) }
        return audit(reader.table.finish(rules: directionRules), inputs: reader.inputs)
    }

    /// Audits connections already read.
    public func audit(_ connections: [Connection], inputs: [InputSummary]) -> AuditResult {
        let tally = ServiceTally(connections)
        let classifier = PortClassifier(policy: policy)
        let services = tally.services
            .sorted { ($0.key.address, $0.key.port) < ($1.key.address, $1.key.port) }
            .map { endpoint, traffic in serviceSummary(endpoint, traffic, classifier.classify(endpoint.port)) }
        let attempts = tally.attempts
            .sorted { ($0.key.address, $0.key.port) < ($1.key.address, $1.key.port) }
            .map { endpoint, tries in
                AttemptSummary(
                    address: "\(endpoint.address)", port: endpoint.port,
                    catalogKey: classifier.classify(endpoint.port).catalogKey,
                    refused: tries.refused, unanswered: tries.unanswered, clients: tries.clients.count,
                    firstSeen: Timestamp(nanoseconds: tries.firstSeen), lastSeen: Timestamp(nanoseconds: tries.lastSeen))
            }
        let unresolved = tally.unresolved.map {
            UnresolvedConnection(
                addressA: "\($0.client.address)", portA: $0.client.port,
                addressB: "\($0.server.address)", portB: $0.server.port,
                packets: $0.packets, bytes: $0.bytes, firstSeen: Timestamp(nanoseconds: $0.firstSeen))
        }
        let unused = unusedOpenings(services: services)
        let findings = FindingRules(policy: policy).findings(
            services: services, unused: unused, unresolved: unresolved.count, inputs: inputs)
        return AuditResult(
            tool: ToolInfo(version: toolVersion),
            inputs: inputs,
            policy: policySummary,
            coverage: coverage(inputs: inputs, connections: connections.count),
            services: services,
            attempts: attempts,
            unresolved: unresolved,
            unusedOpenings: unused,
            findings: findings,
            summary: summary(services: services, attempts: attempts.count, unresolved: unresolved.count,
                             unused: unused.count, findings: findings))
    }

    private func serviceSummary(_ endpoint: Endpoint, _ traffic: ServiceTally.Traffic, _ verdict: PortClassifier.Verdict) -> ServiceSummary {
        ServiceSummary(
            address: "\(endpoint.address)", port: endpoint.port, classification: verdict.classification,
            catalogKey: verdict.catalogKey, alsoCatalogKeys: verdict.alsoCatalogKeys, hint: verdict.hint,
            connections: traffic.connections, packets: traffic.packets, bytes: traffic.bytes,
            payloadBytes: traffic.payloadBytes, clients: traffic.clients.count,
            sampleClients: traffic.clients.sorted().prefix(5).map { "\($0)" },
            directionBasis: Dictionary(uniqueKeysWithValues: traffic.basis.map { ($0.key.rawValue, $0.value) }),
            states: Dictionary(uniqueKeysWithValues: traffic.states.map { ($0.key.rawValue, $0.value) }),
            firstSeen: Timestamp(nanoseconds: traffic.firstSeen), lastSeen: Timestamp(nanoseconds: traffic.lastSeen))
    }

    /// Expected catalog ports with no traffic on any host. A port counts as used when a
    /// service on it carried traffic; the executor band when any executor port did.
    private func unusedOpenings(services: [ServiceSummary]) -> [UnusedOpening] {
        let usedPorts = Set(services.map(\.port))
        let executorUsed = services.contains { $0.classification == .executor }
        return policy.expectedEntries.compactMap { entry in
            let port = entry.port(offset: policy.offset)
            let used = entry.isExecutorBand ? executorUsed : usedPorts.contains(port)
            guard !used else { return nil }
            return UnusedOpening(port: port, catalogKey: entry.key, group: entry.group.rawValue,
                                 normallyBound: entry.normallyBound, summary: entry.summary)
        }.sorted { ($0.port, $0.catalogKey) < ($1.port, $1.catalogKey) }
    }

    private var policySummary: PolicySummary {
        PolicySummary(
            offset: policy.offset, mode: policy.mode, cores: policy.coresPerNode,
            groups: CatalogGroup.allCases.filter(policy.groups.contains).map(\.rawValue),
            ephemeralRange: "\(policy.ephemeralRange)", executorAllowed: "\(policy.executorAllowed)",
            executorBand: "\(policy.executorBand)", failOn: failOn)
    }

    private func coverage(inputs: [InputSummary], connections: Int) -> Coverage {
        var skipped: [String: UInt64] = [:]
        for input in inputs { skipped.merge(input.skipped, uniquingKeysWith: +) }
        let start = inputs.compactMap(\.firstSeen).min()
        let end = inputs.compactMap(\.lastSeen).max()
        let duration = start.flatMap { start in end.map { Double($0.nanoseconds - start.nanoseconds) / 1e9 } } ?? 0
        return Coverage(
            packets: inputs.reduce(0) { $0 + $1.packets }, tcpSegments: inputs.reduce(0) { $0 + $1.tcpSegments },
            skipped: skipped, captureStart: start, captureEnd: end, durationSeconds: duration,
            connections: connections, complete: inputs.allSatisfy(\.complete))
    }

    private func summary(services: [ServiceSummary], attempts: Int, unresolved: Int, unused: Int, findings: [Finding]) -> Summary {
        var classifications = Dictionary(uniqueKeysWithValues: Classification.allCases.map { ($0.rawValue, 0) })
        for service in services { classifications[service.classification.rawValue, default: 0] += 1 }
        var bySeverity = Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0.rawValue, 0) })
        for finding in findings { bySeverity[finding.severity.rawValue, default: 0] += 1 }
        return Summary(
            services: services.count, classifications: classifications, attempts: attempts, unresolved: unresolved,
            unusedOpenings: unused, findings: bySeverity, failOn: failOn,
            compliant: !findings.contains { failOn.fails($0.severity) })
    }
}

/// The version written into every result.
public enum DasauditVersion {
    public static let current = "0.1.0"
}
