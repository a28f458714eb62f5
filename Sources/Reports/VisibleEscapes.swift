extension String {
    /// Whether every byte is printable ASCII (space to `~`): such text needs no visible
    /// escapes, and reports check this first so that clean text costs one pass over bytes.
    var isPrintableASCII: Bool { utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }
}
