/// A compression format a capture may come in, recognised by its magic bytes (never by
/// the file name), and the standard tool that decompresses it to standard output.
///
/// Captures are decompressed by a child process (`gzip -dc`, `zstd -dc`, ...) whose output
/// libpcap reads as a stream: no temporary file, no copy of the whole capture in memory,
/// and no compression library linked into dasaudit.
public enum Compression: String, CaseIterable, Sendable {
    case gzip, zstd, xz, bzip2

    /// The bytes every stream of this format starts with.
    var magic: [UInt8] {
        switch self {
        case .gzip: [0x1F, 0x8B]
        case .zstd: [0x28, 0xB5, 0x2F, 0xFD]
        case .xz: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]
        case .bzip2: [0x42, 0x5A, 0x68]  // "BZh"
        }
    }

    /// The command that writes the decompressed stream of its standard input to its standard output.
    var command: [String] {
        switch self {
        case .gzip: ["gzip", "-dc"]
        case .zstd: ["zstd", "-dcq"]
        case .xz: ["xz", "-dc"]
        case .bzip2: ["bzip2", "-dc"]
        }
    }

    /// The suffix its tool gives a file it compresses (`gzip x.pcap` writes `x.pcap.gz`),
    /// which `NaturalOrder` sets aside so that `tcpdump -z gzip`'s `dump.pcap.gz` still
    /// comes before `dump.pcap1.gz`. Only for ordering: the format is told by the bytes.
    var fileSuffix: String {
        switch self {
        case .gzip: ".gz"
        case .zstd: ".zst"
        case .xz: ".xz"
        case .bzip2: ".bz2"
        }
    }

    /// The package that provides `command`, for the message when it is missing: Debian's and
    /// Ubuntu's name, and the RHEL family's where it differs (the rpm carries the same binary,
    /// so the message must serve both).
    var package: String {
        switch self {
        case .gzip: "the gzip package"
        case .zstd: "the zstd package"
        case .xz: "the xz-utils package; xz on RHEL, Fedora and SUSE"
        case .bzip2: "the bzip2 package"
        }
    }
}
