/// The MySQL client/server protocol (MySQL and MariaDB): the server speaks first, with the
/// initial handshake packet, protocol version 10 (MySQL internals, "Connection Phase"):
///
///     0..<3    payload length (little-endian)
///     3        sequence id 0
///     4        protocol version 10 (0x0a)
///     5...     server version, NUL-terminated text ("8.0.36", "5.5.5-10.11.6-MariaDB")
///
/// then the connection id, salt and capabilities.
public enum MySQLRecognizer {
    static let protocolVersion: UInt8 = 10
    /// The furthest the version string's NUL is looked for.
    static let maximumVersionLength = 60

    public static func recognize(client: PayloadBytes, server: PayloadBytes) -> Recognition {
        Recognition(handshake(server), ProtocolEvidence(.mysql))
    }

    static func handshake(_ side: PayloadBytes) -> Match {
        // A length of at most 1024 (little-endian): its second byte at most 4, its third 0,
        // which rule out bytes cut before the sequence number.
        if (side.has(2) && side[1] > 4) || (side.has(3) && side[2] != 0) { return .no }
        guard side.has(4) else { return side.sent ? .undecided : .no }
        let length = UInt32(side[0]) | UInt32(side[1]) << 8 | UInt32(side[2]) << 16
        guard length >= 32 && length <= 1024 && side[3] == 0 else { return .no }
        guard side.has(6) else { return .undecided }
        guard side[4] == protocolVersion && side[5].isASCIIDigit else { return .no }
        // The version: printable text up to its NUL.
        for index in 6..<min(side.count, 5 + maximumVersionLength) {
            if side[index] == 0 { return .yes }
            guard side[index] >= 0x20 && side[index] < 0x7F else { return .no }
        }
        return side.count < 5 + maximumVersionLength ? .undecided : .no
    }
}
