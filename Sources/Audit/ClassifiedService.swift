import Flows
import Policy
import Protocols

/// A server endpoint with its traffic, the node it belongs to, and what its port means
/// there: the working form from which the result's service record and findings are made.
struct ClassifiedService {
    let endpoint: Endpoint
    let node: Node?
    var verdict: PortClassifier.Verdict
    /// Its traffic; the end stage marks the port scanners among its clients (`markScanners`).
    var traffic: ServiceTally.Traffic
    /// The endpoint's address as text, made once: the service record and the service's
    /// finding both carry it.
    let address: String

    /// `address`: the endpoint's address as text, if it was made already (for the
    /// service before, on the same host).
    init(endpoint: Endpoint, node: Node?, verdict: PortClassifier.Verdict, traffic: ServiceTally.Traffic,
         address: String? = nil) {
        self.endpoint = endpoint
        self.node = node
        self.verdict = verdict
        self.traffic = traffic
        self.address = address ?? AddressText.of(endpoint.address)
    }

    /// `Endpoint.description` (`1.2.3.4:80`, `[::1]:80`), from the address text made once.
    var endpointText: String {
        var text = ""
        appendEndpointText(to: &text)
        return text
    }

    /// Appends `endpointText` to `text`.
    func appendEndpointText(to text: inout String) {
        let bracketed = !endpoint.address.isIPv4
        if bracketed { text += "[" }
        text += address
        text += bracketed ? "]:" : ":"
        text += String(endpoint.port)
    }

    /// The service's record; `names` shares the named counts between records; `sampleClients`:
    /// how many of its client addresses it names, lowest first.
    func summary(naming names: inout RecordCountNames, sampleClients: Int = ServiceSummary.sampleClientCount) -> ServiceSummary {
        ServiceSummary(
            address: address, port: endpoint.port, node: node?.name, classification: verdict.classification,
            catalogKey: verdict.catalogKey, alsoCatalogKeys: verdict.alsoCatalogKeys, hint: verdict.hint,
            connections: traffic.connections, packets: traffic.packets, bytes: traffic.bytes,
            payloadBytes: traffic.payloadBytes, clients: traffic.clients.count,
            sampleClients: traffic.clients.prefix(sampleClients).map(AddressText.of), // sorted already
            directionBasis: names.basis.named(traffic.basisCounts),
            states: names.states.named(traffic.stateCounts),
            firstSeen: Timestamp(nanoseconds: traffic.firstSeen), lastSeen: Timestamp(nanoseconds: traffic.lastSeen),
            protocol: traffic.protocolBesidesScanners.name,
            protocols: names.protocols.named(traffic.protocolCounts),
            tlsVersions: traffic.tlsVersionsSeen.map(\.name),
            dependency: verdict.dependency)
    }

    /// The cases counted at least once, by name: `counts.dictionary` with its keys named,
    /// built in one dictionary (no intermediate dictionary and array per service). `names`:
    /// every case's dense index (`DenselyNumbered`) with its name, in case order, made once
    /// (`basisNames`, ...) rather than per service, so that a count is one load
    /// (`CaseCounts.count(atDenseIndex:)`) and no enumeration's `allCases` is made again.
    static func named<Key>(_ counts: CaseCounts<Key>, _ names: CaseNames<Key>) -> [String: UInt64] {
        var counted = 0
        for (index, _) in names.cases where counts.count(atDenseIndex: index) != 0 { counted += 1 }
        guard counted > 0 else { return [:] }
        var named = [String: UInt64](minimumCapacity: counted)
        for (index, name) in names.cases {
            let count = counts.count(atDenseIndex: index)
            if count != 0 { named[name] = count }
        }
        return named
    }

    static let basisNames = CaseNames<DirectionBasis>(\.rawValue)
    static let stateNames = CaseNames<ConnectionState>(\.rawValue)
    static let protocolNames = CaseNames<ProtocolName>(\.name)
}

/// Every case of a counted enumeration as its dense index and its name, in case order:
/// what `ClassifiedService.named` names a service's counts by.
struct CaseNames<Key: DenselyNumbered> {
    let cases: [(denseIndex: Int, name: String)]

    init(_ name: (Key) -> String) {
        cases = Key.allCases.map { (denseIndex: $0.denseIndex, name: name($0)) }
    }
}

/// A server endpoint that only saw refused or unanswered connects, and what its port means.
struct ClassifiedAttempt {
    let endpoint: Endpoint
    let node: Node?
    let verdict: PortClassifier.Verdict
    let tries: ServiceTally.Attempts
    /// Of its unanswered connects, those the end of the capture cut (`AttemptsCutByEnd`).
    var cutByEnd: AttemptsCutByEnd.Tries? = nil

    var summary: AttemptSummary {
        AttemptSummary(
            address: AddressText.of(endpoint.address), port: endpoint.port, catalogKey: verdict.catalogKey,
            refused: tries.refused, unanswered: tries.unanswered, clients: tries.clients.count,
            firstSeen: Timestamp(nanoseconds: tries.firstSeen), lastSeen: Timestamp(nanoseconds: tries.lastSeen),
            cutByEnd: cutByEnd?.connects ?? 0)
    }

    /// A catalog or executor port this host should answer on.
    var isExpectedService: Bool { verdict.classification == .expected || verdict.classification == .executor }

    /// Whether a connect to it was refused or went unanswered while the capture ran on: the
    /// evidence of a service not answering, which connects cut by the capture's end are not.
    var failedWhileCaptured: Bool {
        AttemptSummary.failedWhileCaptured(refused: tries.refused, unanswered: tries.unanswered,
                                           cutByEnd: cutByEnd?.connects ?? 0)
    }
}

typealias IPAddressKey = Wire.IPAddress

import Wire
