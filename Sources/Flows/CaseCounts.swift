import Protocols
import Wire

/// A small enumeration whose cases are numbered 0..<n, n at most `Counters.count`:
/// what `CaseCounts` indexes its counters by.
public protocol DenselyNumbered: CaseIterable, Hashable, Sendable {
    /// The inline counters its `CaseCounts` hold: the smallest that fits every case.
    associatedtype Counters: InlineCounters
    /// The case's number, 0..<allCases.count, in the order of `allCases`.
    var denseIndex: Int { get }
}

/// A fixed number of 64-bit counters held inline, all zero to start with.
public protocol InlineCounters: Sendable, BitwiseCopyable {
    /// Counters held.
    static var count: Int { get }
    init()
}

/// Eight counters: enough for a connection's state, direction basis or TLS version, and
/// half the bytes of `SixteenCounters`. A service holds three such sets, once per table
/// and again in the end stage, so the 192 bytes saved per service are 15 MB at 40,000
/// services read by two threads.
public struct EightCounters: InlineCounters {
    public static var count: Int { 8 }
    @usableFromInline var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
        = (0, 0, 0, 0, 0, 0, 0, 0)
    public init() {}
}

/// Sixteen counters: a protocol name's.
public struct SixteenCounters: InlineCounters {
    public static var count: Int { 16 }
    @usableFromInline var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                                    UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
        = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    public init() {}
}

/// One counter per case of a small enumeration, held inline: what a service counts its
/// connections by (state, direction basis, protocol, TLS version).
///
/// It replaces a `[Key: UInt64]` per counted property: a dictionary costs a heap block per
/// service and a SipHash per connection folded in, which made the end stage cost
/// microseconds per connection; a counter here is one indexed add. `dictionary` gives the
/// same view the dictionary gave (a key for each case counted at least once).
public struct CaseCounts<Key: DenselyNumbered>: Sendable, Equatable {
    /// Cases held at most (`Key.Counters`; `CaseCountsTests` checks every counted
    /// enumeration fits).
    public static var capacity: Int { Key.Counters.count }

    @usableFromInline
    var storage = Key.Counters()

    public init() {}

    /// The count of `key` (0 if never counted). Inlinable, as `increment` is, so that the
    /// packet loop in another module counts with one add (`PacketCounts`).
    @inlinable
    public subscript(key: Key) -> UInt64 {
        get { withUnsafeBytes(of: storage) { $0.load(fromByteOffset: key.denseIndex * 8, as: UInt64.self) } }
        set {
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: newValue, toByteOffset: key.denseIndex * 8, as: UInt64.self) }
        }
    }

    /// Counts one more `key`.
    @inlinable @inline(__always)
    public mutating func increment(_ key: Key) {
        self[key] = self[key] &+ 1
    }

    /// Adds `other`'s counts, saturating (counts merged from result files are outside input).
    public mutating func add(_ other: CaseCounts) {
        for key in Key.allCases { self[key] = self[key].addingSaturated(other[key]) }
    }

    public static func == (x: CaseCounts, y: CaseCounts) -> Bool {
        Key.allCases.allSatisfy { x[$0] == y[$0] }
    }

    /// The counts as a dictionary: every case counted at least once, and no other.
    public var dictionary: [Key: UInt64] {
        var counted: [Key: UInt64] = [:]
        for key in Key.allCases where self[key] != 0 { counted[key] = self[key] }
        return counted
    }
}

extension ConnectionState: DenselyNumbered {
    public typealias Counters = EightCounters
    public var denseIndex: Int {
        switch self {
        case .attempted: 0
        case .refused: 1
        case .established: 2
        case .closed: 3
        case .reset: 4
        case .midstream: 5
        }
    }
}

extension DirectionBasis: DenselyNumbered {
    public typealias Counters = EightCounters
    public var denseIndex: Int {
        switch self {
        case .handshake: 0
        case .policy: 1
        case .ephemeral: 2
        case .probe: 3
        case .unknown: 4
        }
    }
}

extension ProtocolName: DenselyNumbered {
    public typealias Counters = SixteenCounters
    /// Raw values are 0, 1, 2, ... in case order.
    public var denseIndex: Int { Int(rawValue) }
}

extension TLSVersion: DenselyNumbered {
    public typealias Counters = EightCounters
    /// Raw values are 1...6 in case order.
    public var denseIndex: Int { Int(rawValue) - 1 }
}

extension SkipReason: DenselyNumbered {
    public typealias Counters = SixteenCounters
    /// Raw values are 0, 1, 2, ... in case order.
    @inlinable public var denseIndex: Int { rawValue }
}

extension Tunnel: DenselyNumbered {
    public typealias Counters = EightCounters
    /// Raw values are 0, 1, 2, ... in case order.
    @inlinable public var denseIndex: Int { Int(rawValue) }
}
