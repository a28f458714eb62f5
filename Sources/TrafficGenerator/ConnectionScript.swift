/// What a generated connection sends, packet by packet: who sends, the TCP flags and how
/// many payload bytes. A function of the kind, the packet's index and the connection's
/// length, so a connection in flight holds only its position (nothing allocated per
/// connection).
///
/// A complete connection of p packets (p >= 4): SYN, SYN-ACK, then p - 4 data segments,
/// the client's and the server's in turn, then the client's FIN and the server's FIN (each
/// carrying its side's first payload when no data segment did, so both sides always speak).
/// Reset: the same up to the data, then the client's RST (p - 1 packets). Open: the same
/// without the FINs (p - 2 packets; still established at the end). Refused: SYN, RST-ACK.
/// Unanswered: SYN and the SYN again.
enum ConnectionScript {
    enum Kind: UInt8, CaseIterable, Sendable {
        case complete, reset, open, refused, unanswered
    }

    struct Step {
        var fromServer: Bool
        var flags: UInt8
        var payload: Int
    }

    static let fin: UInt8 = 0x01, syn: UInt8 = 0x02, rst: UInt8 = 0x04, psh: UInt8 = 0x08, ack: UInt8 = 0x10
    /// A request's bytes, and a response's (one full-size segment of a 1500-byte MTU).
    static let request = 180, response = 1448

    /// Packets a connection of `kind` sends, for `packets` packets of a complete one.
    static func length(_ kind: Kind, packets: Int) -> Int {
        switch kind {
        case .complete: packets
        case .reset: packets - 1
        case .open: packets - 2
        case .refused, .unanswered: 2
        }
    }

    /// The sequence space `step` takes: its payload, plus one for a SYN or a FIN.
    @inline(__always)
    static func sequenceSpan(_ step: Step) -> UInt32 {
        UInt32(step.payload) &+ (step.flags & (syn | fin) != 0 ? 1 : 0)
    }

    /// Packet `index` of a connection of `kind` (`packets` as in `length`).
    @inline(__always)
    static func step(_ kind: Kind, _ index: Int, packets: Int) -> Step {
        switch kind {
        case .refused: return index == 0 ? Step(fromServer: false, flags: syn, payload: 0) : Step(fromServer: true, flags: rst | ack, payload: 0)
        case .unanswered: return Step(fromServer: false, flags: syn, payload: 0)
        case .complete, .reset, .open:
            let data = packets - 4
            switch index {
            case 0: return Step(fromServer: false, flags: syn, payload: 0)
            case 1: return Step(fromServer: true, flags: syn | ack, payload: 0)
            case ..<(packets - 2):
                return (index - 2) % 2 == 0 ? Step(fromServer: false, flags: psh | ack, payload: request)
                    : Step(fromServer: true, flags: psh | ack, payload: response)
            case packets - 2 where kind == .reset: return Step(fromServer: false, flags: rst | ack, payload: 0)
            case packets - 2: return Step(fromServer: false, flags: fin | ack, payload: data == 0 ? request : 0)
            default: return Step(fromServer: true, flags: fin | ack, payload: data < 2 ? response : 0)
            }
        }
    }
}
