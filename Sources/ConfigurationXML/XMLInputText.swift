import PathBytes

/// A document's bytes made ready for `XMLReader`: checked to be UTF-8 whose every
/// character XML allows, with line ends normalised as XML says (CR LF and a lone CR become
/// LF, before anything else reads them), and a leading byte order mark dropped.
///
/// Checking every character once here lets the reader work on bytes and trust them; the
/// copy is the size of the input.
enum XMLInputText {
    static func normalized<Bytes: Collection<UInt8>>(_ input: Bytes) throws -> [UInt8] {
        let bytes = Array(input)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count)
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0D {
                text.append(0x0A)
                line += 1
                index += index + 1 < bytes.count && bytes[index + 1] == 0x0A ? 2 : 1
                continue
            }
            guard let (scalar, length) = PathBytes.scalar(in: bytes, at: index) else {
                throw XMLReadError(line: line, problem: "a byte that is not UTF-8 (0x\(hex(byte, digits: 2)))")
            }
            guard XMLCharacters.isCharacter(scalar.value) else {
                throw XMLReadError(line: line, problem: "U+\(hex(scalar.value, digits: 4)), a character XML does not allow")
            }
            if byte == 0x0A { line += 1 }
            text.append(contentsOf: bytes[index..<index + length])
            index += length
        }
        return text
    }

    /// `value` in upper-case hexadecimal, at least `digits` long.
    static func hex<Value: BinaryInteger>(_ value: Value, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
