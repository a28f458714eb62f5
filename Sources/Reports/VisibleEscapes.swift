extension String {
    /// Whether every byte is printable ASCII (space to `~`): such text needs no visible
    /// escapes, and reports check this first so that clean text costs one pass over bytes.
    var isPrintableASCII: Bool { !containsUTF8Byte { $0 < 0x20 || $0 >= 0x7F } }

    /// Whether a byte of the string's UTF-8 passes `test`, read from the string's own
    /// storage where it has one (every string a report is made of): the UTF-8 view walked
    /// index by index cost several times more, a tenth of a CSV report's writing.
    @inline(__always)
    func containsUTF8Byte(where test: (UInt8) -> Bool) -> Bool {
        utf8.withContiguousStorageIfAvailable { $0.contains(where: test) } ?? utf8.contains(where: test)
    }
}
