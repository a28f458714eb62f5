/// Whether a file's name says it is a capture: `.pcap`, `.pcapng` or `.cap`, with the
/// numbers `tcpdump -C` and `-W` add (`dump.pcap12`), and with a compressor's suffix
/// (`dump.pcap3.gz`, `cap-0001.pcap.lz4`, `x.pcapng.br`). In a directory such a file
/// whose bytes are no capture dasaudit reads (one compressed with brotli, encrypted, or
/// damaged at its start) is an input that cannot be read, never a file to skip; the
/// format is otherwise always told by the bytes. A result beside the captures
/// (`x.pcap.json`) is not named so.
enum CaptureName {
    /// The extensions of captures (compared without regard to case).
    static let captureExtensions = [".pcap", ".pcapng", ".cap"]

    /// Suffixes of compressors and their archives, besides those of formats dasaudit
    /// recognises by their bytes (`Compression`, `UnreadCompression`): brotli and snappy
    /// have no magic number.
    static let otherCompressorSuffixes = [".br", ".sz"]

    /// Whether `name` (a file name, without its directory) is named as a capture.
    static func isCapture(_ name: String) -> Bool {
        let suffixes = Compression.allCases.map(\.fileSuffix) + UnreadCompression.allCases.flatMap(\.fileSuffixes)
            + otherCompressorSuffixes
        var stem = Substring(name)
        if let suffix = suffixes.first(where: { stem.hasSuffix($0) && stem.count > $0.count }) { stem = stem.dropLast(suffix.count) }
        while let last = stem.last, last.isASCII, last.isNumber { stem = stem.dropLast() }
        let lowered = stem.lowercased()
        return captureExtensions.contains { lowered.hasSuffix($0) && lowered.count > $0.count }
    }
}
