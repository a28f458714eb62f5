/// Hazelcast (IMDG 3.x to Platform 5.x): every connection opens with a 3-byte protocol
/// header from the side that connects (Hazelcast's `Protocols` class):
///
///     "HZC"  member to member (cluster protocol; the accepting member answers "HZC" too)
///     "CB2"  client binary protocol of Hazelcast 3.x clients
///     "CP2"  client protocol of Hazelcast 4.x and later clients
///
/// DAS 3.x clusters its nodes with Hazelcast (axis2.xml's clustering agent, port 4000).
public enum HazelcastRecognizer {
    static let headers: [StaticString] = ["HZC", "CB2", "CP2"]

    public static func recognize(client: PayloadBytes, server: PayloadBytes) -> Recognition {
        var match = Match.no
        for header in headers {
            switch client.starts(with: header) {
            case .yes:
                // The member protocol's text header is followed by binary packets, never
                // by a space: "HZC join ..." is a line of text, not Hazelcast.
                guard client.has(4) else { return .recognized(ProtocolEvidence(.hazelcast)) }
                return client[3] == UInt8(ascii: " ") ? .no : .recognized(ProtocolEvidence(.hazelcast))
            case .undecided: match = .undecided
            case .no: break
            }
        }
        return Recognition(match, ProtocolEvidence(.hazelcast))
    }
}
