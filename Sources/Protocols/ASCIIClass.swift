/// The ASCII character classes the recognizers test payload bytes against, written once.
extension UInt8 {
    /// "0" to "9".
    @inline(__always) var isASCIIDigit: Bool { self &- UInt8(ascii: "0") < 10 }

    /// "0" to "9", "A" to "Z", "a" to "z".
    @inline(__always) var isASCIILetterOrDigit: Bool { isASCIIDigit || (self | 0x20) &- UInt8(ascii: "a") < 26 }
}
