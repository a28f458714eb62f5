/// The two things every pcapng parser here does to a block: read a field in its section's
/// byte order, and walk its options.
extension UnsafeRawBufferPointer {
    /// The field at `offset`, in a section's byte order (`swapped`: the other one than this
    /// machine's). The caller has checked that it lies within the bytes.
    func pcapngField<T: FixedWidthInteger>(at offset: Int, as type: T.Type, swapped: Bool) -> T {
        let value = loadUnaligned(fromByteOffset: offset, as: T.self)
        return swapped ? value.byteSwapped : value
    }

    /// Calls `body` with each option of the block options in `start ..< end` (its code, its
    /// length, and where its value starts, the value padded to 4 bytes), until
    /// `opt_endofopt` or `end`. false when an option runs past `end`, `opt_endofopt` has a
    /// length, or `body` refuses an option (returns false): the options do not hold together.
    func forEachPcapngOption(from start: Int, to end: Int, swapped: Bool,
                             _ body: (_ code: UInt16, _ length: Int, _ value: Int) -> Bool) -> Bool {
        let endOfOptions: UInt16 = 0
        var position = start
        while position < end {
            guard end - position >= 4 else { return false }
            let code = pcapngField(at: position, as: UInt16.self, swapped: swapped)
            let length = Int(pcapngField(at: position + 2, as: UInt16.self, swapped: swapped))
            let value = position + 4
            guard end - value >= (length + 3) / 4 * 4 else { return false }
            position = value + (length + 3) / 4 * 4
            if code == endOfOptions { return length == 0 }
            guard body(code, length, value) else { return false }
        }
        return true
    }
}
