// Network-order loads over a raw buffer. Every view checks its length once in its failable
// initializer; these helpers are only called at offsets that check already covered, so in
// release builds they compile to a single unaligned load plus a byte swap.

extension UnsafeRawBufferPointer {
    /// The big-endian (network order) 16-bit value at `offset..<offset + 2`.
    @inlinable
    func uint16BE(at offset: Int) -> UInt16 {
        UInt16(bigEndian: loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    /// The big-endian (network order) 32-bit value at `offset..<offset + 4`.
    @inlinable
    func uint32BE(at offset: Int) -> UInt32 {
        UInt32(bigEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    /// The big-endian (network order) 64-bit value at `offset..<offset + 8`.
    @inlinable
    func uint64BE(at offset: Int) -> UInt64 {
        UInt64(bigEndian: loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// The bytes from `offset` to the end, as a buffer of their own (no copy).
    /// `offset` must be at most `count`.
    @inlinable @inline(__always)
    func rest(from offset: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: self[offset...])
    }

    /// The bytes from `offset` to the end, or an empty buffer when `offset` is past the end.
    @inlinable @inline(__always)
    func clampedRest(from offset: Int) -> UnsafeRawBufferPointer {
        rest(from: Swift.min(offset, count))
    }
}
