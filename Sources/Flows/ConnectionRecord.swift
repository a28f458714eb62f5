import Wire

/// The running state of one connection while packets arrive, kept per canonical side
/// (a = the lower endpoint, b = the higher). Fixed size: no allocation per packet.
public struct ConnectionRecord: Sendable {
    public let key: ConnectionKey
    public var packetsFromA: UInt64 = 0
    public var packetsFromB: UInt64 = 0
    /// Frame bytes as on the wire (the record's `len`), per direction.
    public var bytesFromA: UInt64 = 0
    public var bytesFromB: UInt64 = 0
    /// TCP payload bytes per direction.
    public var payloadFromA: UInt64 = 0
    public var payloadFromB: UInt64 = 0
    public var firstSeen: Int64
    public var lastSeen: Int64
    /// Control bits seen from each side (see `Seen`).
    public var seenFromA: Seen = []
    public var seenFromB: Seen = []
    /// The side that opened the connection, from the first handshake packet seen.
    public var clientIsA: Bool?
    public var vlan: UInt16?

    /// Handshake and teardown events seen from one side.
    public struct Seen: OptionSet, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let syn = Seen(rawValue: 1)
        public static let synAck = Seen(rawValue: 2)
        public static let fin = Seen(rawValue: 4)
        public static let rst = Seen(rawValue: 8)
        /// A packet that is neither SYN nor RST: data, an ACK or a FIN.
        public static let other = Seen(rawValue: 16)
    }

    @inlinable
    public init(key: ConnectionKey, timestamp: Int64, vlan: UInt16?) {
        self.key = key
        self.firstSeen = timestamp
        self.lastSeen = timestamp
        self.vlan = vlan
    }

    /// Whether a new SYN on this 4-tuple starts a new connection: the old one ended.
    @inlinable
    public var hasEnded: Bool {
        let seen = seenFromA.union(seenFromB)
        return seen.contains(.rst) || (seenFromA.contains(.fin) && seenFromB.contains(.fin))
    }

    /// Counts one segment travelling from a (`fromA`) or from b.
    @inlinable
    public mutating func add(_ segment: TCPSegment, fromA: Bool, timestamp: Int64, wireLength: UInt32) {
        let flags = segment.flags
        var seen: Seen = []
        if flags.contains(.syn) {
            seen.insert(flags.contains(.ack) ? .synAck : .syn)
            if clientIsA == nil { clientIsA = flags.contains(.ack) ? !fromA : fromA }
        } else if !flags.contains(.rst) {
            seen.insert(.other)
        }
        if flags.contains(.fin) { seen.insert(.fin) }
        if flags.contains(.rst) { seen.insert(.rst) }
        if fromA {
            packetsFromA &+= 1
            bytesFromA &+= UInt64(wireLength)
            payloadFromA &+= UInt64(segment.payloadLength)
            seenFromA.formUnion(seen)
        } else {
            packetsFromB &+= 1
            bytesFromB &+= UInt64(wireLength)
            payloadFromB &+= UInt64(segment.payloadLength)
            seenFromB.formUnion(seen)
        }
        if timestamp < firstSeen { firstSeen = timestamp }
        if timestamp > lastSeen { lastSeen = timestamp }
    }
}
