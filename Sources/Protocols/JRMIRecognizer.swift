/// Java RMI's transport, JRMP (Java RMI specification, chapter 10 "RMI Wire Protocol"),
/// which JMX remote and the RMI registry speak. The client opens with a header:
///
///     0..<4    magic "JRMI" (0x4a524d49)
///     4..<6    version (2)
///     6        protocol: 0x4b StreamProtocol, 0x4c SingleOpProtocol, 0x4d MultiplexProtocol
///
/// and the server answers a stream protocol with ProtocolAck (0x4e).
public enum JRMIRecognizer {
    static let magic: StaticString = "JRMI"

    public static func recognize(client: PayloadBytes, server: PayloadBytes) -> Recognition {
        Recognition(header(client), ProtocolEvidence(.jrmi))
    }

    static func header(_ side: PayloadBytes) -> Match {
        let start = side.starts(with: magic)
        guard start == .yes else { return start }
        guard side.has(7) else { return .undecided }
        return .when(side.uint16(at: 4) == 2 && (0x4B...0x4D).contains(side[6]))
    }
}
