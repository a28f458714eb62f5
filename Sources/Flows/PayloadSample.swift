import Protocols

/// The first payload bytes one side of a connection sent: up to `capacity` bytes of its
/// first payload segment, kept inline (a trivial value, no heap), and whether the capture
/// cut them. What the protocol recognizers read once the connection is done.
///
/// 96 bytes hold every header the recognizers need (a TLS 1.3 ServerHello's cipher suite
/// sits at bytes 76-77 after a 32-byte session id, its supported_versions at 81-86) and
/// keep two samples within three cache lines of the record.
@frozen
public struct PayloadSample: Sendable, BitwiseCopyable {
    public static var capacity: Int { 96 }

    @usableFromInline
    var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
        = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    /// Bytes kept.
    @usableFromInline var count: UInt8 = 0
    @usableFromInline var flags: UInt8 = 0

    @inlinable static var takenFlag: UInt8 { 1 }
    @inlinable static var cutFlag: UInt8 { 2 }

    @inlinable public init() {}

    /// A sample of `payload`, the captured bytes of a segment that carried `payloadLength`.
    @inlinable
    public init(_ payload: UnsafeRawBufferPointer, payloadLength: UInt32) {
        take(payload, payloadLength: payloadLength)
    }

    /// Makes this sample not taken, as a new one is, leaving its bytes (never read past
    /// `count`) as they are.
    @inlinable
    mutating func clear() {
        count = 0
        flags = 0
    }

    /// Whether this side's first payload segment was seen.
    @inlinable public var isTaken: Bool { flags & Self.takenFlag != 0 }
    /// Whether the capture kept fewer of its bytes than the sample holds.
    @inlinable public var isCutByCapture: Bool { flags & Self.cutFlag != 0 }

    /// Keeps the first bytes of `payload` (the captured part of a segment that carried
    /// `payloadLength` bytes).
    ///
    /// Built with `-DDASAUDIT_WITHOUT_PROTOCOL_STAGE`, no byte is kept, and the table keeps
    /// no sample (`FlowStorage.keepSample`): the benchmark's build without the protocol
    /// stage, which prices the stage on every traffic shape (`scripts/bench.sh`).
    @inlinable
    public mutating func take(_ payload: UnsafeRawBufferPointer, payloadLength: UInt32) {
        let wanted = Swift.min(Int(payloadLength), Self.capacity)
        #if DASAUDIT_WITHOUT_PROTOCOL_STAGE
        let kept = 0
        #else
        let kept = Swift.min(payload.count, wanted)
        #endif
        if kept > 0, let source = payload.baseAddress {
            withUnsafeMutableBytes(of: &storage) { Self.copy(kept, from: source, to: $0.baseAddress!) }
        }
        count = UInt8(truncatingIfNeeded: kept)
        flags = Self.takenFlag | (kept < wanted ? Self.cutFlag : 0)
    }

    /// Copies `count` bytes (1 to `capacity`) in unaligned 16-, 8- or 4-byte moves, the last
    /// of each run overlapping the one before, instead of calling `memcpy`: this runs for
    /// every segment that carries payload, on the reading thread, where the call cost more
    /// than the copy of the 20 to 96 bytes (callgrind: 36 instructions a segment).
    @inlinable @inline(__always)
    static func copy(_ count: Int, from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) {
        @inline(__always) func move<Word: BitwiseCopyable>(_ word: Word.Type, at offset: Int) {
            destination.storeBytes(of: source.loadUnaligned(fromByteOffset: offset, as: Word.self),
                                   toByteOffset: offset, as: Word.self)
        }
        if count >= 16 {
            var offset = 0
            while offset &+ 16 < count {
                move(SIMD16<UInt8>.self, at: offset)
                offset &+= 16
            }
            move(SIMD16<UInt8>.self, at: count &- 16)
        } else if count >= 8 {
            move(UInt64.self, at: 0)
            move(UInt64.self, at: count &- 8)
        } else if count >= 4 {
            move(UInt32.self, at: 0)
            move(UInt32.self, at: count &- 4)
        } else {
            for offset in 0..<count { move(UInt8.self, at: offset) }
        }
    }

    /// The kept bytes, for as long as `body` runs.
    @inlinable
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        withUnsafeBytes(of: storage) { body(UnsafeRawBufferPointer(rebasing: $0[0..<Int(count)])) }
    }

    /// The kept bytes of the sample at `sample`, where they lie (valid while that memory is).
    @inlinable
    static func bytes(at sample: UnsafePointer<PayloadSample>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: UnsafeRawPointer(sample) + MemoryLayout<PayloadSample>.offset(of: \.storage)!,
                               count: Int(sample.pointee.count))
    }

    /// The sample at `sample` as a recognizer reads it, its bytes left where they are (valid
    /// while that memory is).
    @inlinable
    static func payloadBytes(at sample: UnsafePointer<PayloadSample>) -> PayloadBytes {
        PayloadBytes(bytes(at: sample), sent: sample.pointee.isTaken, cutByCapture: sample.pointee.isCutByCapture)
    }

    /// The earlier of two samples of one side: this one if it was taken.
    func or(_ later: PayloadSample) -> PayloadSample { isTaken ? self : later }
}
