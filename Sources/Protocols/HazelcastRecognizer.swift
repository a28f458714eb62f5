/// Hazelcast (IMDG 3.x to Platform 5.x): every connection opens with a 3-byte protocol
/// header from the side that connects (Hazelcast's `Protocols` class):
///
///     "HZC"  member to member (cluster protocol; the accepting member answers "HZC" too)
///     "CB2"  client binary protocol of Hazelcast 3.x clients
///     "CP2"  client protocol of Hazelcast 4.x and later clients
///
/// DAS 3.x clusters its nodes with Hazelcast (axis2.xml's clustering agent, port 4000).
public enum HazelcastRecognizer {
    static let headers = Prefixes(["HZC", "CB2", "CP2"])

    public static func recognize(client: PayloadBytes, server: PayloadBytes) -> Recognition {
        let match = headers.match(client)
        // The member protocol's text header is followed by binary packets, never by a
        // space: "HZC join ..." is a line of text, not Hazelcast.
        if match == .yes && client.has(4) && client[3] == UInt8(ascii: " ") { return .no }
        return Recognition(match, ProtocolEvidence(.hazelcast))
    }
}
