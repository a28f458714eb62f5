import Protocols
import Wire

/// What a service speaks with port scanners' connections taken out.
///
/// A version scan (`nmap -sV`) or a loop that sends a line to every port it finds open
/// speaks HTTP, LDAP, JRMI and more to every port, whatever listens: counted with the
/// real clients', its probes made a TLS port "carry plaintext" and a thrift port "speak
/// HTTP". Port-scan detection names the scanners only at the end, so each service keeps
/// its first clients of each protocol with their own counts (`protocolClients`, bounded by
/// `ProtocolClientTable`); the end stage marks the scanners among them (`markScanners`),
/// and these views subtract their connections. A scanner's connections past those bounds
/// stay counted, as before.
extension ServiceTraffic {
    /// Marks the recorded clients whose address is in `scanners`.
    public mutating func markScanners(_ scanners: Set<IPAddress>) {
        for index in protocolClients.indices {
            protocolClients[index].isScanner = scanners.contains(protocolClients[index].address)
        }
        servedOnlyScanners = !clients.isEmpty && clients.allSatisfy { scanners.contains($0) }
    }

    /// Whether some recorded client is a marked scanner.
    public var spokeWithScanners: Bool { protocolClients.contains(where: \.isScanner) }

    /// The connections of each protocol that marked scanners made.
    public var scannerProtocolCounts: CaseCounts<ProtocolName> {
        var counts = CaseCounts<ProtocolName>()
        for client in protocolClients where client.isScanner {
            counts[client.protocolName] = counts[client.protocolName].addingSaturated(UInt64(client.connections))
        }
        return counts
    }

    /// `protocolCounts` without the marked scanners' connections.
    public var protocolCountsBesidesScanners: CaseCounts<ProtocolName> {
        var besides = counts.protocolCounts
        for client in protocolClients where client.isScanner {
            besides[client.protocolName] = besides[client.protocolName].subtractingSaturated(UInt64(client.connections))
        }
        return besides
    }

    /// `unansweredPlaintextConnections` without the marked scanners'.
    public var unansweredPlaintextBesidesScanners: UInt64 {
        protocolClients.reduce(counts.unansweredPlaintextConnections) {
            $1.isScanner ? $0.subtractingSaturated(UInt64($1.unansweredPlaintext)) : $0
        }
    }

    /// What the service speaks: `dominantProtocol` of the connections besides the marked
    /// scanners', unless those carried no payload a recognizer saw, or there are none
    /// (only scanners connected: their connections, past the recorded ones too, are all
    /// there is to tell, and they name it).
    public var protocolBesidesScanners: ProtocolName {
        guard spokeWithScanners, !servedOnlyScanners else { return counts.dominantProtocol }
        let besides = TrafficCounts.dominant(in: protocolCountsBesidesScanners, unansweredPlaintext: unansweredPlaintextBesidesScanners)
        return besides == .none || besides == .unknown ? counts.dominantProtocol : besides
    }

    /// The marked scanners that spoke one of `protocols` here, in address order.
    public func scanners(speaking protocols: some Sequence<ProtocolName>) -> [IPAddress] {
        let wanted = Set(protocols)
        return Set(protocolClients.lazy.filter { $0.isScanner && wanted.contains($0.protocolName) }.map(\.address)).sorted()
    }
}
