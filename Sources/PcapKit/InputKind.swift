/// What an input is, judged by its first bytes before libpcap sees it: a capture libpcap
/// reads, a compressed stream to decompress first, or something dasaudit can name as
/// unusable with a better message than libpcap's "unknown file format".
enum InputKind: Equatable {
    /// pcap (either byte order; micro-, nanosecond or the modified format) or pcapng.
    case capture
    case compressed(Compression)
    /// Compressed or archived in a format dasaudit does not decompress.
    case unreadCompression(UnreadCompression)
    /// No bytes at all.
    case empty
    /// Too few bytes to hold any capture format's magic number.
    case tooShort(Int)
    /// Bytes that start no format dasaudit knows.
    case unknown([UInt8])

    /// How many leading bytes `init(prefix:)` looks at.
    static let prefixLength = 6

    /// The magic numbers libpcap reads, as they sit in the file: pcap in both byte orders
    /// (microsecond a1b2c3d4, nanosecond a1b23c4d, the modified format a1b2cd34), pcapng's
    /// section header block type 0a0d0d0a.
    static let captureMagics: [[UInt8]] = [
        [0xD4, 0xC3, 0xB2, 0xA1], [0xA1, 0xB2, 0xC3, 0xD4],
        [0x4D, 0x3C, 0xB2, 0xA1], [0xA1, 0xB2, 0x3C, 0x4D],
        [0x34, 0xCD, 0xB2, 0xA1], [0xA1, 0xB2, 0xCD, 0x34],
        [0x0A, 0x0D, 0x0D, 0x0A],
    ]

    init(prefix: [UInt8]) {
        if prefix.isEmpty {
            self = .empty
        } else if let compression = Compression.allCases.first(where: { prefix.starts(with: $0.magic) }) {
            self = .compressed(compression)
        } else if InputKind.captureMagics.contains(where: { prefix.starts(with: $0) }) {
            self = .capture
        } else if let format = UnreadCompression.of(prefix: prefix) {
            self = .unreadCompression(format)
        } else if prefix.count < 4 {
            self = .tooShort(prefix.count)
        } else {
            self = .unknown(prefix)
        }
    }

    /// Whether a file of a directory is an input (read, or named as one that cannot be
    /// read): a capture, plain or compressed, or compressed in a format dasaudit does not
    /// decompress, which most likely holds one.
    var isDirectoryInput: Bool {
        switch self {
        case .capture, .compressed, .unreadCompression: true
        default: false
        }
    }

    /// Why the input cannot be read, or nil when it can be handed on.
    var problem: String? {
        switch self {
        case .capture, .compressed: return nil
        case .empty: return "empty file (0 bytes): not a capture"
        case .unreadCompression(let format): return format.problem
        case .tooShort(let count): return "only \(count) byte\(count == 1 ? "" : "s"): too short to be a capture"
        case .unknown(let bytes):
            let hex = bytes.map { String($0, radix: 16).leftPaddedWithZero }.joined(separator: " ")
            let looksLikeText = bytes.allSatisfy { (0x20...0x7E).contains($0) || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
            return "not a pcap or pcapng capture (it starts with \(hex)\(looksLikeText ? ": text" : ""))"
        }
    }
}

private extension String {
    var leftPaddedWithZero: String { count < 2 ? "0" + self : self }
}
