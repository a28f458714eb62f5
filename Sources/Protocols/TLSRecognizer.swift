/// TLS (and SSL 3.0) records and SSLv2 hellos (RFC 8446 section 5.1, RFC 5246 section 6.2,
/// draft-hickman-netscape-ssl-00). Either side's first bytes are TLS when they begin with a
/// record header of any content type (change_cipher_spec, alert, handshake or
/// application_data; version 3.x; a length a record may have), or with an SSLv2 hello: a
/// connection picked up mid-stream begins with application data, and a server answers a
/// plaintext request with an alert. When the server's first record is a ServerHello, its
/// version says what was negotiated: `legacy_version` up to TLS 1.2, and for TLS 1.3 the
/// supported_versions extension (or, when the bytes end before it, a TLS 1.3 cipher suite,
/// 0x13xx, which no earlier version can select); otherwise the version is unknown.
///
/// A TLS record, with the handshake message it starts:
///
///     0        content type (20 ChangeCipherSpec, 21 alert, 22 handshake, 23 data, 24 heartbeat)
///     1..<3    record version (0x0300 ... 0x0304)
///     3..<5    record length (at most 2^14 + 2048)
///     5        handshake type (1 ClientHello, 2 ServerHello)
///     6..<9    handshake length
///     9..<11   hello version
///     11..<43  random
///     43       session id length (at most 32), then the session id
///     ServerHello, after the session id: cipher suite (2), compression (1),
///     extensions length (2), extensions (type 2, length 2, data)
///
/// An SSLv2 record: 2-byte header with the top bit set (length in the other 15 bits),
/// message type (1 CLIENT-HELLO, 4 SERVER-HELLO); CLIENT-HELLO's version at 3..<5 (0x0002,
/// or 0x0300-0x0303 for a v2-compatible hello), SERVER-HELLO's at 5..<7.
public enum TLSRecognizer {
    enum Field {
        static let contentType = 0
        static let recordVersion = 1
        static let recordLength = 3
        static let handshakeType = 5
        static let helloVersion = 9
        static let sessionIDLength = 43
        static let sessionID = 44
    }

    static let handshake: UInt8 = 22
    /// The content types of TLS 1.0-1.3 records: change_cipher_spec (20), alert (21),
    /// handshake (22), application_data (23).
    static let contentTypes: ClosedRange<UInt8> = 20...23
    static let serverHello: UInt8 = 2
    static let maximumRecordLength = (1 << 14) + 2048
    static let supportedVersions: UInt16 = 0x002B

    public static func recognize(client: PayloadBytes, server: PayloadBytes) -> Recognition {
        let fromServer = serverRecord(server)
        if fromServer.match == .yes { return .recognized(ProtocolEvidence(.tls, tlsVersion: fromServer.version)) }
        return .either(clientRecord(client), fromServer.match, .tls)
    }

    /// Whether the client's bytes begin with a TLS record or an SSLv2 CLIENT-HELLO.
    static func clientRecord(_ side: PayloadBytes) -> Match {
        guard side.has(1) else { return side.sent ? .undecided : .no }
        if side[0] & 0x80 != 0 { return sslv2Hello(side, type: 1, versionAt: 3) }
        return record(side)
    }

    /// Whether the server's bytes begin with a TLS record (or an SSLv2 SERVER-HELLO), and
    /// the negotiated version when they are a hello whose bytes hold it.
    static func serverRecord(_ side: PayloadBytes) -> (match: Match, version: TLSVersion?) {
        guard side.has(1) else { return (side.sent ? .undecided : .no, nil) }
        if side[0] & 0x80 != 0 {
            let match = sslv2Hello(side, type: 4, versionAt: 5)
            return (match, match == .yes && side.has(7) ? TLSVersion(wire: side.uint16(at: 5)) : nil)
        }
        let match = record(side)
        guard match == .yes, side[Field.contentType] == handshake,
              side.has(Field.handshakeType + 1), side[Field.handshakeType] == serverHello else { return (match, nil) }
        return (.yes, negotiatedVersion(side))
    }

    /// The record header: a content type, a version 3.x, a length a record may have.
    static func record(_ side: PayloadBytes) -> Match {
        guard side.has(1) else { return .undecided }
        guard contentTypes.contains(side[Field.contentType]) else { return .no }
        guard side.has(2) else { return .undecided }
        guard side[Field.recordVersion] == 3 else { return .no }
        guard side.has(3) else { return .undecided }
        guard side[Field.recordVersion] == 3 && side[Field.recordVersion + 1] <= 4 else { return .no }
        guard side.has(5) else { return .undecided }
        let length = Int(side.uint16(at: Field.recordLength))
        return .when(length >= 1 && length <= maximumRecordLength)
    }

    /// An SSLv2 record header and message type, and a version SSL/TLS knows.
    static func sslv2Hello(_ side: PayloadBytes, type: UInt8, versionAt offset: Int) -> Match {
        guard side.has(3) else { return .undecided }
        let length = Int(side.uint16(at: 0) & 0x7FFF)
        guard length >= 3 && side[2] == type else { return .no }
        guard side.has(offset + 2) else { return .undecided }
        return .when(TLSVersion(wire: side.uint16(at: offset)) != nil)
    }

    /// The version a ServerHello chose, as far as its captured bytes tell. A hello saying
    /// 1.2 may be TLS 1.3 (whose hello says 1.2 for middleboxes): the cipher suite decides,
    /// since TLS 1.3 suites (0x13xx) are selected by TLS 1.3 alone and TLS 1.3 selects only
    /// them; supported_versions, when its bytes are there, confirms. Nil when the bytes end
    /// before the answer.
    static func negotiatedVersion(_ side: PayloadBytes) -> TLSVersion? {
        guard side.has(Field.helloVersion + 2) else { return nil }
        let legacy = TLSVersion(wire: side.uint16(at: Field.helloVersion))
        guard legacy == .tls12 else { return legacy }
        guard side.has(Field.sessionIDLength + 1) else { return nil }
        let sessionIDLength = Int(side[Field.sessionIDLength])
        guard sessionIDLength <= 32 else { return nil }
        let cipherSuite = Field.sessionID + sessionIDLength
        guard side.has(cipherSuite + 2) else { return nil }
        let bySuite: TLSVersion = side[cipherSuite] == 0x13 ? .tls13 : .tls12
        let extensionsLength = cipherSuite + 3
        guard side.has(extensionsLength + 2) else { return bySuite }
        let end = min(extensionsLength + 2 + Int(side.uint16(at: extensionsLength)), side.count)
        var position = extensionsLength + 2
        while position + 4 <= end {
            let type = side.uint16(at: position), length = Int(side.uint16(at: position + 2))
            if type == supportedVersions && length == 2 && position + 6 <= end {
                return TLSVersion(wire: side.uint16(at: position + 4)) ?? bySuite
            }
            position += 4 + length
        }
        return bySuite
    }
}
