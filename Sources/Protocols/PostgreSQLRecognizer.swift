/// PostgreSQL's frontend/backend protocol 3.0 (PostgreSQL documentation, "Message
/// Formats"). The client's first message is the only one without a type byte: a 4-byte
/// length (itself included), then a 4-byte code:
///
///     196608   (0x00030000)  StartupMessage, protocol 3.0; "user", the database... follow
///     80877103 (0x04d2162f)  SSLRequest (length 8): the server answers 'S' and TLS follows, or 'N'
///     80877104 (0x04d21630)  GSSENCRequest (length 8)
///     80877102 (0x04d2162e)  CancelRequest (length 16)
///
/// The server's first bytes ('R' authentication, 'E' error, or the one byte 'S'/'N') are
/// too short a pattern to name a connection on their own.
public enum PostgreSQLRecognizer {
    static let protocol3: UInt32 = 0x0003_0000
    static let sslRequest: UInt32 = 80_877_103
    static let gssEncryptionRequest: UInt32 = 80_877_104
    static let cancelRequest: UInt32 = 80_877_102
    /// PostgreSQL refuses a startup packet over 10,000 bytes (MAX_STARTUP_PACKET_LENGTH).
    static let maximumStartup: UInt32 = 10_000

    public static func recognize(client: PayloadBytes, server: PayloadBytes) -> Recognition {
        Recognition(firstMessage(client), ProtocolEvidence(.postgresql))
    }

    static func firstMessage(_ side: PayloadBytes) -> Match {
        guard side.sent else { return .no }
        // Every valid length is under 2^16: its first two bytes are zero.
        for index in 0..<min(side.count, 2) where side[index] != 0 { return .no }
        guard side.has(8) else { return .undecided }
        let length = side.uint32(at: 0)
        switch side.uint32(at: 4) {
        case protocol3: return .when(length > 8 && length <= maximumStartup)
        case sslRequest, gssEncryptionRequest: return .when(length == 8)
        case cancelRequest: return .when(length == 16)
        default: return .no
        }
    }
}
