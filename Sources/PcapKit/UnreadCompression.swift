/// A compressed or archived file dasaudit does not decompress, recognised by its magic
/// bytes: such a file in a capture directory is most likely a capture (`tcpdump -G ... -z
/// lz4` compresses each rotated file with whatever command it is given), so it is an input
/// that cannot be read, an error that makes the audit incomplete, never a file to skip.
/// What dasaudit does decompress on the way is `Compression`.
public enum UnreadCompression: String, CaseIterable, Sendable {
    case lz4, zip, sevenZip = "7z", lzip, lzma, lzop, rar
    case unixCompress = "compress"

    /// The bytes every file of this format starts with.
    var magic: [UInt8] {
        switch self {
        case .lz4: [0x04, 0x22, 0x4D, 0x18]  // the frame format; the legacy format is below
        case .zip: [0x50, 0x4B, 0x03, 0x04]  // "PK" and a file's local header
        case .sevenZip: [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]
        case .lzip: [0x4C, 0x5A, 0x49, 0x50]  // "LZIP"
        case .lzma: [0x5D, 0x00, 0x00]  // lzma_alone: the default properties, a dictionary of at most 16 MiB
        case .lzop: [0x89, 0x4C, 0x5A, 0x4F, 0x00, 0x0D]
        case .rar: [0x52, 0x61, 0x72, 0x21, 0x1A, 0x07]  // "Rar!"
        case .unixCompress: [0x1F, 0x9D]
        }
    }

    /// Other first bytes of the same format.
    var otherMagics: [[UInt8]] {
        switch self {
        case .lz4: [[0x02, 0x21, 0x4C, 0x18]]  // legacy frames (lz4 -l)
        case .zip: [[0x50, 0x4B, 0x05, 0x06], [0x50, 0x4B, 0x07, 0x08]]  // an empty archive, a spanned one
        default: []
        }
    }

    /// The format whose magic number `prefix` starts with, or nil.
    static func of(prefix: [UInt8]) -> UnreadCompression? {
        allCases.first { format in ([format.magic] + format.otherMagics).contains { prefix.starts(with: $0) } }
    }

    /// The suffixes its tools give the files they write (`lz4 x.pcap` writes `x.pcap.lz4`),
    /// for telling a file named as a compressed capture (`CaptureName`).
    var fileSuffixes: [String] {
        switch self {
        case .lz4: [".lz4"]
        case .zip: [".zip"]
        case .sevenZip: [".7z"]
        case .lzip: [".lz"]
        case .lzma: [".lzma"]
        case .lzop: [".lzo"]
        case .rar: [".rar"]
        case .unixCompress: [".Z"]
        }
    }

    /// The command that decompresses such a file in place (`FILE` stands for its name),
    /// for the message that says to decompress it first.
    var decompressCommand: String {
        switch self {
        case .lz4: "lz4 -d FILE"
        case .zip: "unzip FILE"
        case .sevenZip: "7z x FILE"
        case .lzip: "lzip -d FILE"
        case .lzma: "xz -d FILE"
        case .lzop: "lzop -d FILE"
        case .rar: "unrar x FILE"
        case .unixCompress: "uncompress FILE"
        }
    }

    /// Why such an input cannot be read, and what to do.
    var problem: String {
        let what = self == .zip || self == .sevenZip || self == .rar ? "a \(rawValue) archive" : "\(rawValue)-compressed"
        return "\(what), which dasaudit does not decompress (it reads gzip, zstd, xz and bzip2): "
            + "decompress it first (\(decompressCommand)) and audit what comes out"
    }
}
