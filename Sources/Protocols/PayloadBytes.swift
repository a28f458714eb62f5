/// The first payload bytes one side of a connection sent (its first payload segment, up
/// to the sample's size), and whether the capture cut them: the input of every recognizer.
public struct PayloadBytes {
    public let bytes: UnsafeRawBufferPointer
    /// Whether this side sent payload at all.
    public let sent: Bool
    /// Whether the capture's snapshot length kept fewer bytes than the segment carried
    /// (up to the sample's size): what a recognizer could not read is unknown, not absent.
    public let cutByCapture: Bool

    public init(_ bytes: UnsafeRawBufferPointer, sent: Bool? = nil, cutByCapture: Bool = false) {
        self.bytes = bytes
        self.sent = sent ?? !bytes.isEmpty
        self.cutByCapture = cutByCapture
    }

    /// A side that sent nothing.
    public static var silent: PayloadBytes { PayloadBytes(UnsafeRawBufferPointer(start: nil, count: 0), sent: false) }

    public var count: Int { bytes.count }

    /// Whether the capture kept less than this side sent in its first segment: cut by the
    /// snapshot length, or nothing of it captured.
    var isCut: Bool { cutByCapture || (sent && bytes.isEmpty) }

    /// Whether bytes `0..<length` were captured.
    @inline(__always) func has(_ length: Int) -> Bool { bytes.count >= length }

    @inline(__always) subscript(_ offset: Int) -> UInt8 { bytes[offset] }

    /// The big-endian 16/24/32/64-bit value at `offset` (the caller checked `has`).
    @inline(__always) func uint16(at offset: Int) -> UInt16 { UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1]) }
    @inline(__always) func uint24(at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 16 | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2])
    }
    @inline(__always) func uint32(at offset: Int) -> UInt32 { UInt32(uint16(at: offset)) << 16 | UInt32(uint16(at: offset + 2)) }
    @inline(__always) func uint64(at offset: Int) -> UInt64 { UInt64(uint32(at: offset)) << 32 | UInt64(uint32(at: offset + 4)) }

    /// Whether the captured bytes begin with `prefix`, as far as they go: `.yes` when all of
    /// it is there, `.undecided` when the bytes end inside a matching prefix.
    @inline(__always)
    func starts(with prefix: StaticString) -> Match {
        guard sent else { return .no }
        let length = prefix.utf8CodeUnitCount
        let usable = Swift.min(length, bytes.count)
        let text = prefix.utf8Start
        for index in 0..<usable where bytes[index] != text[index] { return .no }
        return usable == length ? .yes : .undecided
    }
}

/// A recognizer's answer about one side's bytes.
public enum Match: Sendable, Equatable {
    /// The bytes are this protocol.
    case yes
    /// The bytes are not this protocol.
    case no
    /// The bytes end before the recognizer could tell.
    case undecided

    /// Both answers must be yes; an undecided one leaves the whole undecided.
    static func && (lhs: Match, rhs: @autoclosure () -> Match) -> Match {
        switch lhs {
        case .no: return .no
        case .undecided: return rhs() == .no ? .no : .undecided
        case .yes: return rhs()
        }
    }

    /// `.yes` when `condition` holds, `.no` otherwise.
    static func when(_ condition: Bool) -> Match { condition ? .yes : .no }
}
