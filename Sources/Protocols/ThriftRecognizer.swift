/// Apache Thrift messages (the Thrift protocol specifications, doc/specs/thrift-binary-
/// protocol.md and thrift-compact-protocol.md), framed (TFramedTransport: a 4-byte
/// big-endian frame length first) or not (TBufferedTransport):
///
/// - binary, strict: 0x80 0x01 (version 1), 0x00, message type (1 call, 2 reply,
///   3 exception, 4 oneway), name length (4 bytes), name, sequence id (4 bytes);
/// - binary, old style: name length (4 bytes, positive), name, message type (1 byte),
///   sequence id (4 bytes);
/// - compact: 0x82 (protocol id), message type << 5 | version 1, sequence id (varint),
///   name length (varint), name.
///
/// The message name is a method name: letters, digits, `_` and `.`, and `:`, which
/// TMultiplexedProtocol puts between the service's name and the method's
/// (`ThriftEventTransmissionService:connect`). That is what tells an old-style message from
/// any 4 bytes followed by text.
public enum ThriftRecognizer {
    /// Thrift's default maximum frame (TFramedTransport) and message name lengths.
    static let maximumFrame: UInt32 = 256 * 1024 * 1024
    static let maximumName: UInt32 = 256

    public static func recognize(client: PayloadBytes, server: PayloadBytes) -> Recognition {
        Recognition(framedOrNot(client), ProtocolEvidence(.thrift))
    }

    /// A message at the start, or after a frame length.
    static func framedOrNot(_ side: PayloadBytes) -> Match {
        let bare = message(side, at: 0)
        if bare == .yes { return .yes }
        let framed = frame(side)
        if framed == .yes { return .yes }
        return bare == .undecided || framed == .undecided ? .undecided : .no
    }

    static func frame(_ side: PayloadBytes) -> Match {
        guard side.has(4) else { return side.sent ? .undecided : .no }
        let length = side.uint32(at: 0)
        guard length >= 5 && length <= maximumFrame else { return .no }
        return message(side, at: 4)
    }

    static func message(_ side: PayloadBytes, at start: Int) -> Match {
        guard side.has(start + 1) else { return side.sent ? .undecided : .no }
        switch side[start] {
        case 0x80: return strictBinary(side, at: start)
        case 0x82: return compact(side, at: start)
        default: return oldBinary(side, at: start)
        }
    }

    static func isMessageType(_ value: UInt8) -> Bool { (1...4).contains(value) }

    static func strictBinary(_ side: PayloadBytes, at start: Int) -> Match {
        guard side.has(start + 4) else { return .undecided }
        guard side[start + 1] == 0x01 && side[start + 2] == 0 && isMessageType(side[start + 3]) else { return .no }
        guard side.has(start + 8) else { return .undecided }
        let length = side.uint32(at: start + 4)
        guard length >= 1 && length <= maximumName else { return .no }
        return name(side, from: start + 8, length: Int(length))
    }

    static func oldBinary(_ side: PayloadBytes, at start: Int) -> Match {
        guard side.has(start + 4) else { return .undecided }
        let length = side.uint32(at: start)
        guard length >= 1 && length <= maximumName else { return .no }
        let nameMatch = name(side, from: start + 4, length: Int(length))
        guard nameMatch == .yes else { return nameMatch }
        let type = start + 4 + Int(length)
        guard side.has(type + 1) else { return .undecided }
        return .when(isMessageType(side[type]))
    }

    static func compact(_ side: PayloadBytes, at start: Int) -> Match {
        guard side.has(start + 2) else { return .undecided }
        let typeAndVersion = side[start + 1]
        guard typeAndVersion & 0x1F == 1 && isMessageType(typeAndVersion >> 5) else { return .no }
        var position = start + 2
        // Sequence id: a varint of at most 5 bytes.
        for index in 0..<5 {
            guard side.has(position + 1) else { return .undecided }
            let byte = side[position]
            position += 1
            if byte & 0x80 == 0 { break }
            if index == 4 { return .no }
        }
        guard side.has(position + 1) else { return .undecided }
        // Name length: a varint, at most 2 bytes under the name limit.
        var length = UInt32(side[position] & 0x7F)
        if side[position] & 0x80 != 0 {
            guard side.has(position + 2) else { return .undecided }
            guard side[position + 1] & 0x80 == 0 else { return .no }
            length |= UInt32(side[position + 1]) << 7
            position += 1
        }
        position += 1
        guard length >= 1 && length <= maximumName else { return .no }
        return name(side, from: position, length: Int(length))
    }

    /// A method name of `length` characters at `from`: every captured one a letter, digit,
    /// `_`, `.` or `:`; undecided only if none was captured.
    static func name(_ side: PayloadBytes, from: Int, length: Int) -> Match {
        let end = min(from + length, side.count)
        guard end > from else { return .undecided }
        for index in from..<end {
            let byte = side[index]
            let isName = byte.isASCIILetterOrDigit
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
            if !isName { return .no }
        }
        return end == from + length || end == side.count ? .yes : .undecided
    }
}
