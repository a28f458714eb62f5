#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file-system path as Swift text, byte for byte.
///
/// Linux names are bytes, not text: a capture recorded on a node with a Latin-1 locale or
/// copied from a Windows share may be called `cap-M\xFCller.pcap`, which is not UTF-8.
/// Swift's own decoding (`CommandLine.arguments`, `FileManager`, `String(cString:)`)
/// replaces such bytes with U+FFFD, and the name then names no file: such a capture in a
/// directory was taken for "not a capture file" and left out of the audit.
///
/// Here each byte that is not part of valid UTF-8 is kept as one scalar of a private-use
/// range, U+10FC80 to U+10FCFF for bytes 0x80 to 0xFF, and turned back into its byte on
/// the way to the system (`fileSystemPath`). So that no name can pass for another, a name
/// whose valid UTF-8 holds one of those scalars has that scalar's bytes kept one by one
/// too: every byte string has exactly one text, and that text gives back the same bytes.
/// The reports show these scalars as `\xFC` (`Unicode.Scalar.visibleEscape`).
public enum PathBytes {
    /// The scalar that stands for byte 0x00; bytes 0x80-0xFF use the 128 above 0x10FC80.
    static let base: UInt32 = 0x10FC00

    /// The text of the path whose bytes are `bytes`.
    public static func text<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        let bytes = Array(bytes)
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            if let (scalar, length) = scalar(in: bytes, at: index), byte(standingFor: scalar) == nil {
                scalars.append(scalar)
                index += length
            } else {
                scalars.append(Unicode.Scalar(base + UInt32(bytes[index]))!)
                index += 1
            }
        }
        return String(scalars)
    }

    /// The bytes of the path `text` (without a terminating zero).
    public static func bytes(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if let byte = byte(standingFor: scalar) { bytes.append(byte) } else { bytes += String(scalar).utf8 }
        }
        return bytes
    }

    /// The byte `scalar` keeps, when it is one of the scalars that stand for a byte that
    /// was not UTF-8; nil for any other scalar.
    public static func byte(standingFor scalar: Unicode.Scalar) -> UInt8? {
        scalar.value >= base + 0x80 && scalar.value <= base + 0xFF ? UInt8(scalar.value - base) : nil
    }

    /// The scalar whose well-formed UTF-8 starts at `index`, and its length; nil when the
    /// bytes there are not well-formed UTF-8 (a stray continuation byte, a cut sequence,
    /// an overlong form, a surrogate, a value above U+10FFFF).
    public static func scalar(in bytes: [UInt8], at index: Int) -> (Unicode.Scalar, Int)? {
        let lead = bytes[index]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let length: Int, low: UInt8, high: UInt8
        switch lead {
        case 0xC2...0xDF: (length, low, high) = (2, 0x80, 0xBF)
        case 0xE0: (length, low, high) = (3, 0xA0, 0xBF)
        case 0xED: (length, low, high) = (3, 0x80, 0x9F)
        case 0xE1...0xEF: (length, low, high) = (3, 0x80, 0xBF)
        case 0xF0: (length, low, high) = (4, 0x90, 0xBF)
        case 0xF4: (length, low, high) = (4, 0x80, 0x8F)
        case 0xF1...0xF3: (length, low, high) = (4, 0x80, 0xBF)
        default: return nil
        }
        guard index + length <= bytes.count, (low...high).contains(bytes[index + 1]) else { return nil }
        var value = UInt32(lead) & (0x7F >> length)
        for offset in 1..<length {
            let next = bytes[index + offset]
            guard next & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(next & 0x3F)
        }
        return Unicode.Scalar(value).map { ($0, length) }
    }
}

extension String {
    /// The path whose bytes are `pathBytes` (from `readdir`, `realpath`, `argv`), every
    /// byte kept (`PathBytes`).
    public init<Bytes: Collection<UInt8>>(pathBytes: Bytes) {
        self = PathBytes.text(pathBytes)
    }

    /// The path whose bytes end at the first zero of `cString`, every byte kept.
    public init(pathCString cString: UnsafePointer<CChar>) {
        self = PathBytes.text(UnsafeRawBufferPointer(start: cString, count: strlen(cString)))
    }

    /// This path's bytes with a terminating zero, to hand to the system (`open`, `stat`,
    /// `realpath`): the bytes it was read from, where `withCString` would give the UTF-8
    /// of the scalars that stand for them.
    public var fileSystemPath: [CChar] {
        PathBytes.bytes(self).map { CChar(bitPattern: $0) } + [0]
    }

    /// Whether no scalar stands for a byte: the path's bytes are valid UTF-8 (a name that
    /// spells one of U+10FC80-U+10FCFF in UTF-8 is kept byte by byte, and is not).
    public var isUTF8Path: Bool {
        !unicodeScalars.contains { PathBytes.byte(standingFor: $0) != nil }
    }
}
