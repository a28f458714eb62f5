import Wire

/// The connections a capture on every interface holds twice because the host translated
/// their addresses on the way (NAT), and which of the two views is audited.
///
/// Why: on a host that publishes a container's port (`docker run -p 19763:9763`) or runs a
/// Kubernetes Service, `tcpdump -i any` records each connection once as the client
/// addressed it (10.208.0.254:19763, the ClusterIP's port 80) and once as it reached the
/// server (10.207.0.2:9763). The packets of the two views differ in an address or a port,
/// so `InterfaceCopies` cannot tell them for copies: each connection would count twice,
/// and the front address would be audited as a service of its own (an unexpected port 80
/// on the ClusterIP) although nothing listens there (docs/design.md, "Translated copies").
///
/// How: a connection request sent out of the host that repeats the initial sequence number
/// and identification (IPv4; the flow label's low bits in IPv6) of one received within
/// `InterfaceCopies.window` before, with one of its two endpoints changed, is that request
/// after translation: the host translates between receiving a packet and sending it on
/// (destination translation before routing, source translation after), and the Linux
/// cooked headers say which a packet was. With both endpoints changed (a Kubernetes
/// NodePort, which masquerades as it forwards), it must come within `bothChangedWindow`:
/// nothing else ties the two, and forwarding takes microseconds; and the answers, which the
/// host translates back one side at a time, can be captured halfway, with the server's
/// translated side and the client's original one: those two mixed views are fronts too. Its connection is
/// audited; the earlier view becomes a *front*: its first request is taken back from the
/// table (`FlowTable.retract`) and every later packet of it is set aside as `translated`.
/// So the view kept is the one captured later, which is the server's side for a
/// destination translation (the address that reached the server) and the host's side for a
/// source translation (masquerade: the address that left the host). Each translation is
/// counted (`translations`), so the front addresses stay in the report.
///
/// A front can go on into the next input of a rotated capture: the next input's memory
/// starts with the fronts (`init(for:continuing:)`), and a merge of inputs read at once
/// takes their continuations out of the later tables (`CaptureReader.absorb`).
///
/// A scanner's probes to many hosts can repeat one sequence number and identification, but
/// they are all sent, or all received: none is taken for another's translation. Not
/// matched: a translation that rewrites sequence numbers, and one made on another host than
/// the capture's.
///
/// Limits: 1,024 buckets of 4 requests received (224 KiB, allocated only for captures on
/// every interface);
/// `frontLimit` fronts followed at once (16 bytes each, `Front`), the half idle longest
/// forgotten when full (a
/// forgotten front's later packets are audited as a connection of their own, as without
/// this); `translationLimit` translations named, the others counted under `other`.
public struct TranslatedCopies: Sendable {
    /// What a segment is to the translations seen so far.
    public enum Verdict: Equatable {
        /// A packet of its own connection's view: track it.
        case own
        /// A packet of a front: set it aside as `translated`.
        case front
        /// The request, after translation, of the connection whose earlier request is
        /// given: track this one and take that one back.
        case translates(front: TCPSegment)
    }

    static let bucketCount = 1 << 10
    static let ways = 4
    /// Fronts followed at once.
    public static let frontLimit = 1 << 16
    /// Distinct translations named per input.
    public static let translationLimit = 256
    /// How soon a request with both endpoints changed must follow the one it translates: 2
    /// units of 2^20 ns, about 2 ms.
    static let bothChangedWindow: Int16 = 2

    /// A connection request seen moments ago: what a translated copy of it would repeat.
    struct Request: Sendable {
        var mark: UInt32 = 0
        var units: UInt16 = 0
        var source = Endpoint(address: IPAddress(high: 0, low: 0), port: 0)
        var destination = Endpoint(address: IPAddress(high: 0, low: 0), port: 0)
        var tunnel = Tunnel.none
    }

    /// Whether this capture's packets are looked at: only a capture on every interface's.
    public let isActive: Bool
    private var requests: [Request]
    /// Each front, with the time its last packet was seen: looked up for every segment once
    /// there is one, so a flat table of fingerprints, not a `Dictionary` of keys (its
    /// SipHash cost a seventh of the audit's time on the `nat` shape, where a third of the
    /// packets are a front's).
    private var fronts = FlatTable<Front>(capacity: 8)
    /// Fronts followed now.
    public var frontCount: Int { fronts.count }
    /// Connections audited in their translated view, by translation.
    public private(set) var translations: [Translation: UInt64] = [:]
    /// Connections whose translation was not named (`translationLimit` reached).
    public private(set) var otherTranslations: UInt64 = 0

    /// A memory that is never consulted.
    public init() {
        isActive = false
        requests = []
    }

    /// A memory for a capture of `decoder`'s link type: consulted only for a capture on
    /// every interface (the Linux cooked captures, which say whether a packet was sent).
    public init(for decoder: PacketDecoder) {
        isActive = decoder.capturesEveryInterface
        requests = isActive ? [Request](repeating: Request(), count: Self.bucketCount * Self.ways) : []
    }

    /// A memory for the next input of the same capture (a rotated file): it starts with the
    /// fronts `earlier` follows, whose connections may go on in it, and nothing else.
    public init(for decoder: PacketDecoder, continuing earlier: TranslatedCopies) {
        self.init(for: decoder)
        if isActive { fronts = earlier.fronts }
    }

    /// Whether `key` is a front this memory follows.
    public func isFront(_ key: ConnectionKey) -> Bool {
        fronts.count > 0 && fronts.find(Front.fingerprint(key)).found
    }

    /// Follows the fronts `later` follows too (the memory of a later input, read apart).
    public mutating func adoptFronts(of later: TranslatedCopies) {
        later.fronts.forEach { hold($0) }
    }

    /// What `segment`, captured at `time` as it was sent out of the host (`outgoing`, asked
    /// only of a connection request) or received, is.
    public mutating func classify(_ segment: TCPSegment, outgoing: @autoclosure () -> Bool, at time: Int64) -> Verdict {
        if fronts.count > 0 {
            let key = Front.fingerprint(FlowTable.key(of: segment).key)
            let place = fronts.find(key)
            if place.found {
                fronts.replace(at: place.slot, with: Front(key: key, lastSeen: time))
                return .front
            }
        }
        guard segment.flags.isConnectionRequest else { return .own }
        return outgoing() ? match(segment, at: time) : remember(segment, at: time)
    }

    /// A connection request sent: the translated copy of one received, or its own.
    private mutating func match(_ segment: TCPSegment, at time: Int64) -> Verdict {
        let (first, mark) = Self.place(segment)
        let units = UInt16(truncatingIfNeeded: PacketMemoryClock.units(time))
        let source = Endpoint(address: segment.source, port: segment.sourcePort)
        let destination = Endpoint(address: segment.destination, port: segment.destinationPort)
        for slot in first..<(first &+ Self.ways) where requests[slot].mark == mark {
            let earlier = requests[slot]
            let age = Int16(bitPattern: units &- earlier.units)
            let sameSource = earlier.source == source, sameDestination = earlier.destination == destination
            guard !(sameSource && sameDestination),
                  PacketMemoryClock.isRecent(age: age, within: sameSource || sameDestination
                                                 ? InterfaceCopies.window : Self.bothChangedWindow) else { continue }
            requests[slot].mark = 0
            let front = TCPSegment(
                source: earlier.source.address, destination: earlier.destination.address,
                sourcePort: earlier.source.port, destinationPort: earlier.destination.port,
                flags: segment.flags, sequenceNumber: segment.sequenceNumber, tunnel: earlier.tunnel)
            follow(front: Self.key(earlier.source, earlier.destination), at: time)
            if !sameSource && !sameDestination {
                // The answers are translated back in two steps, the client's side before
                // routing and the server's after (bridge netfilter puts a capture between
                // them): a view with one side of each is a front too.
                follow(front: Self.key(earlier.source, destination), at: time)
                follow(front: Self.key(source, earlier.destination), at: time)
            }
            count(Translation(front: earlier, source: source, destination: destination))
            return .translates(front: front)
        }
        return .own
    }

    /// A connection request received: remembered, the newest first in its bucket (the
    /// oldest makes room).
    private mutating func remember(_ segment: TCPSegment, at time: Int64) -> Verdict {
        let (first, mark) = Self.place(segment)
        for slot in stride(from: first &+ Self.ways &- 1, to: first, by: -1) { requests[slot] = requests[slot &- 1] }
        requests[first] = Request(
            mark: mark,
            units: UInt16(truncatingIfNeeded: PacketMemoryClock.units(time)),
            source: Endpoint(address: segment.source, port: segment.sourcePort),
            destination: Endpoint(address: segment.destination, port: segment.destinationPort), tunnel: segment.tunnel)
        return .own
    }

    private mutating func follow(front connection: ConnectionKey, at time: Int64) {
        hold(Front(key: Front.fingerprint(connection), lastSeen: time))
    }

    /// Holds `front`, or its later time if it is held already; the idlest half is forgotten
    /// first when the table is full.
    private mutating func hold(_ front: Front) {
        if fronts.count >= Self.frontLimit { forgetIdlest() }
        let place = fronts.find(front.key)
        if !place.found {
            fronts.insert(front, at: place.slot)
        } else if fronts[place.slot].lastSeen < front.lastSeen {
            fronts.replace(at: place.slot, with: front)
        }
    }

    /// Forgets the half of the fronts idle longest.
    private mutating func forgetIdlest() {
        var held: [Front] = []
        held.reserveCapacity(fronts.count)
        fronts.forEach { held.append($0) }
        held.sort { $0.lastSeen > $1.lastSeen }
        fronts = FlatTable<Front>(capacity: Self.frontLimit)
        for front in held.prefix(held.count / 2) { fronts.insert(front) }
    }

    private mutating func count(_ translation: Translation) {
        if translations[translation] != nil || translations.count < Self.translationLimit {
            translations[translation, default: 0] &+= 1
        } else {
            otherTranslations &+= 1
        }
    }

    /// The connection table's key of the connection between `x` and `y` (`FlowTable.key`).
    static func key(_ x: Endpoint, _ y: Endpoint) -> ConnectionKey {
        FlowTable.precedes(x, y) ? ConnectionKey(a: x, b: y) : ConnectionKey(a: y, b: x)
    }

    /// The first slot of the bucket a request falls in, and the mark that names it there.
    static func place(_ segment: TCPSegment) -> (first: Int, mark: UInt32) {
        let hash = signature(segment)
        return ((Int(truncatingIfNeeded: hash) & (bucketCount - 1)) &* ways, UInt32(truncatingIfNeeded: PacketMemoryClock.mark(hash)))
    }

    /// What a translated copy of a request shares with it: its initial sequence number, its
    /// identification (IPv4, or IPv6's flow label) and its control bits (NAT rewrites
    /// addresses, ports and checksums, nothing else).
    static func signature(_ segment: TCPSegment) -> UInt64 {
        SeededHash.process(IPAddress(high: UInt64(segment.sequenceNumber), low: UInt64(segment.copyIdentity >> 16)),
                           tag: UInt64(segment.flags.rawValue) << 32 | UInt64(segment.payloadLength))
    }

    /// The counts by name, for an input's summary: `Translation.description` for each named
    /// one, and `other`.
    public var byName: [String: UInt64] {
        var named = [String: UInt64](minimumCapacity: translations.count + 1)
        for (translation, connections) in translations { named[translation.description] = connections }
        if otherTranslations > 0 { named[Translation.otherName] = otherTranslations }
        return named
    }
}

/// A front's entry in `TranslatedCopies`'s table: its connection key's 64-bit seeded
/// fingerprint (never 0, which marks a free slot), and when its last packet was seen.
/// 16 bytes, so the table of 65,536 fronts stays within a core's cache; two different keys
/// share a fingerprint with a chance of 2^-64, and the seed is drawn per process, so a
/// capture cannot be crafted to make one.
struct Front: FlatTableEntry {
    var key: UInt64
    var lastSeen: Int64

    static var free: Front { Front(key: 0, lastSeen: 0) }
    var isFree: Bool { key == 0 }
    static func matches(_ entry: Front, _ key: UInt64) -> Bool { entry.key == key }
    /// The fingerprint is a seeded hash already.
    static func hash(_ key: UInt64, _ hash: SeededHash) -> UInt64 { key }

    static func fingerprint(_ key: ConnectionKey) -> UInt64 {
        let hash = SeededHash.process
        return hash(key.a.address, tag: hash(key.b.address, tag: UInt64(key.a.port) << 16 | UInt64(key.b.port))) | 1
    }
}

/// One address translation seen in a capture: the server a client addressed and the one
/// its connection reached, or, when only the client's side was translated, the client's
/// address before and after.
public struct Translation: Hashable, Sendable, CustomStringConvertible {
    public let from: Endpoint
    public let to: Endpoint
    /// Whether the client's side was translated (masquerade), not the server's.
    public let ofClient: Bool

    /// The name of the connections whose translation was not named.
    public static let otherName = "other"

    init(from: Endpoint, to: Endpoint, ofClient: Bool) {
        self.from = from
        self.to = to
        self.ofClient = ofClient
    }

    init(front: TranslatedCopies.Request, source: Endpoint, destination: Endpoint) {
        if front.destination != destination {
            from = front.destination
            to = destination
            ofClient = false
        } else {
            // Ports of clients are many: the translation is named by its addresses.
            from = Endpoint(address: front.source.address, port: 0)
            to = Endpoint(address: source.address, port: 0)
            ofClient = true
        }
    }

    /// `10.208.0.254:19763 -> 10.207.0.2:9763`, or `client 10.207.0.2 -> 10.208.0.254`.
    public var description: String {
        ofClient ? "client \(from.address) -> \(to.address)" : "\(from) -> \(to)"
    }
}
