import Flows
import Policy
import Wire

/// A policy's port classification, worked out once per port and node instead of once per
/// service. `PortClassifier` scans the catalog three times and searches Spark's retry ports
/// for every port it is asked about; an audit of 40,000 services on 38,000 ports asked it
/// 200,000 times (once for the given offset and once per candidate offset of
/// `CaptureOffsetFit`), which cost more than a second.
///
/// Few ports mean anything under a policy: the ports of catalog entries (expected or not),
/// the executor band, the allowed ports, and the ports just above a Spark port, which get
/// a port-retry hint, and the ports keys of the installation pin that dasaudit does not
/// read, which get a hint naming the key, and the shuffle service moved by the offset
/// (`PortClassifier.movedShuffleServicePort`). Those are marked once per policy; their verdict depends on the node
/// and is asked of `PortClassifier` the first time a (port, node) pair comes up, then kept.
/// Every other port is unexpected, with no hint, on every node: what `PortClassifier` says
/// of it, found with one array read. `PortVerdictsTests` pins the two equal on every port
/// of every node of several policies.
struct PortVerdicts {
    let classifier: PortClassifier
    /// Indexed by port: whether the policy has anything to say about it.
    private let meaningful: [Bool]
    private var known: [Key: PortClassifier.Verdict] = [:]
    /// The endpoints dasaudit serves itself: `allowed`, the reason as the hint.
    private let own: OwnEndpoints

    private struct Key: Hashable {
        let port: UInt16
        let node: Node?
    }

    /// The verdict of a port no rule names.
    private static let unnamed = PortClassifier.Verdict(classification: .unexpected, catalogKey: nil)

    /// `readingMovedShuffleService`: `PortClassifier.readsMovedShuffleService`.
    init(policy: Policy, own: OwnEndpoints = OwnEndpoints(), readingMovedShuffleService: Bool = true) {
        classifier = PortClassifier(policy: policy, readingMovedShuffleService: readingMovedShuffleService)
        self.own = own
        var meaningful = [Bool](repeating: false, count: Int(UInt16.max) + 1)
        func mark(_ ports: ClosedRange<UInt16>) { for port in ports { meaningful[Int(port)] = true } }
        for entry in policy.catalog { mark(policy.ports(of: entry)) }
        if let band = policy.executorBand { mark(band.lowerBound...max(band.lowerBound, band.upperBound)) }
        for port in policy.allowedPorts.keys { mark(port...port) }
        for ports in classifier.retryHintPorts { mark(ports) }
        for port in policy.ignoredSettingPorts { mark(port...port) }  // the hint naming the key
        if let port = classifier.movedShuffleServicePort { mark(port...port) }
        self.meaningful = meaningful
    }

    /// Whether any rule names `port`. If not, its verdict is `unexpected` with no catalog
    /// key or hint on every node: a caller that only wants explained or catalog ports can
    /// skip it without asking for (and copying) that verdict.
    func namesAnything(_ port: UInt16) -> Bool { meaningful[Int(port)] }

    /// `PortClassifier.classify(_:on:)`, remembered.
    mutating func verdict(_ port: UInt16, on node: Node?) -> PortClassifier.Verdict {
        guard meaningful[Int(port)] else { return Self.unnamed }
        let key = Key(port: port, node: node)
        if let verdict = known[key] { return verdict }
        let verdict = classifier.classify(port, on: node)
        known[key] = verdict
        return verdict
    }

    /// `PortClassifier.classify(server:on:clients:)`, the port rules remembered; dasaudit's
    /// own endpoints first (`OwnEndpoints`).
    mutating func verdict(server: Endpoint, on node: Node?, clients: some Sequence<IPAddress>) -> PortClassifier.Verdict {
        if let reason = own.reason(for: server) { return PortClassifier.Verdict(classification: .allowed, catalogKey: nil, hint: reason) }
        return classifier.egressVerdict(server: server, on: node, clients: clients) ?? verdict(server.port, on: node)
    }
}
