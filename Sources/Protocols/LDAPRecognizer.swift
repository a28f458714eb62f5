/// LDAP v3 (RFC 4511): every message is a BER-encoded LDAPMessage,
///
///     0x30 length               SEQUENCE (length short form, or 0x81-0x84 and 1-4 bytes)
///     0x02 1-4 bytes            messageID, an INTEGER
///     protocolOp                an APPLICATION tag: 0x60 bindRequest, 0x61 bindResponse,
///                               0x42 unbindRequest, 0x63 searchRequest, 0x64/0x65 search
///                               results, 0x77/0x78 extended request/response (StartTLS)...
///
/// from either side (the client binds or searches, the server answers).
public enum LDAPRecognizer {
    static let sequence: UInt8 = 0x30
    static let integer: UInt8 = 0x02

    public static func recognize(client: PayloadBytes, server: PayloadBytes) -> Recognition {
        .either(message(client), message(server), .ldap)
    }

    static func message(_ side: PayloadBytes) -> Match {
        guard side.has(1) else { return side.sent ? .undecided : .no }
        guard side[0] == sequence else { return .no }
        guard side.has(2) else { return .undecided }
        // The SEQUENCE's length: short form (at least the 5 bytes of an ID and an op), or
        // long form with 1 to 4 length bytes.
        var position = 2
        if side[1] & 0x80 != 0 {
            let lengthBytes = Int(side[1] & 0x7F)
            guard (1...4).contains(lengthBytes) else { return .no }
            position += lengthBytes
        } else {
            guard side[1] >= 5 else { return .no }
        }
        guard side.has(position + 2) else { return .undecided }
        let idLength = Int(side[position + 1])
        guard side[position] == integer && (1...4).contains(idLength) else { return .no }
        let operation = position + 2 + idLength
        guard side.has(operation + 1) else { return .undecided }
        return .when(isOperation(side[operation]))
    }

    /// RFC 4511's protocolOp tags: APPLICATION 0-25, constructed (0x60-0x79) or, for
    /// unbindRequest (2), delRequest (10) and abandonRequest (16), primitive.
    static func isOperation(_ tag: UInt8) -> Bool {
        (0x60...0x79).contains(tag) || tag == 0x42 || tag == 0x4A || tag == 0x50
    }
}
