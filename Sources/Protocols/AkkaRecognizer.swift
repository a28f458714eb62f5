/// Akka classic remoting over TCP (Akka 2.3, the RPC of Spark 1.x, so of DAS 3.0): each
/// protocol data unit is a 4-byte big-endian length and a protobuf `AkkaProtocolMessage`
/// (akka-remote's WireFormats.proto). The connecting side's first one is an instruction
/// (field 2, tag 0x12) holding an `AkkaControlMessage` whose command type (field 1, tag
/// 0x08) is ASSOCIATE (1):
///
///     0..<4    PDU length
///     4        0x12, then the instruction's length (a varint)
///     then     0x08, command type 1 ... 5 (ASSOCIATE, DISASSOCIATE, HEARTBEAT, ...)
///
/// Later PDUs carry payloads (field 1, tag 0x0a), which is what the accepting side sends.
public enum AkkaRecognizer {
    static let instructionTag: UInt8 = 0x12
    static let commandTypeTag: UInt8 = 0x08
    /// Akka's default maximum frame size is 128 KiB.
    static let maximumFrame: UInt32 = 128 * 1024

    public static func recognize(client: PayloadBytes, server: PayloadBytes) -> Recognition {
        Recognition(controlMessage(client), ProtocolEvidence(.akka))
    }

    static func controlMessage(_ side: PayloadBytes) -> Match {
        guard side.has(4) else { return side.sent ? .undecided : .no }
        let length = side.uint32(at: 0)
        guard length >= 4 && length <= maximumFrame else { return .no }
        guard side.has(5) else { return .undecided }
        guard side[4] == instructionTag else { return .no }
        // The instruction's length: a varint of at most 3 bytes under the frame limit.
        var position = 5, instructionLength: UInt32 = 0, shift: UInt32 = 0
        while true {
            guard side.has(position + 1) else { return .undecided }
            let byte = side[position]
            instructionLength |= UInt32(byte & 0x7F) << shift
            position += 1
            if byte & 0x80 == 0 { break }
            shift += 7
            guard shift < 21 else { return .no }
        }
        guard instructionLength >= 2 && UInt32(position - 4) + instructionLength == length else { return .no }
        guard side.has(position + 2) else { return .undecided }
        return .when(side[position] == commandTypeTag && (1...5).contains(side[position + 1]))
    }
}
