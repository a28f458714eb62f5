/// References: `&lt;` `&gt;` `&amp;` `&apos;` `&quot;`, and characters by number (`&#10;`,
/// `&#x3C;`). A document here declares no entity (no DTD is read), so no other name is one.
extension XMLReader {
    /// The UTF-8 of the character the reference at the reader's `&` stands for.
    mutating func readReference() throws -> [UInt8] {
        advance(by: 1)
        if matches("#") {
            return try readCharacterReference()
        }
        let name = try readName(of: "an entity reference's")
        guard matches(";") else { throw failure("';' missing after &\(name)") }
        advance(by: 1)
        switch name {
        case "lt": return [UInt8(ascii: "<")]
        case "gt": return [UInt8(ascii: ">")]
        case "amp": return [UInt8(ascii: "&")]
        case "apos": return [UInt8(ascii: "'")]
        case "quot": return [UInt8(ascii: "\"")]
        default:
            throw failure("&\(name); is not one of XML's five entities (&lt; &gt; &amp; &apos; &quot;), "
                + "and configuration files declare none")
        }
    }

    /// `&#` digits `;` or `&#x` hexadecimal digits `;`, naming a character XML allows.
    private mutating func readCharacterReference() throws -> [UInt8] {
        advance(by: 1)
        let isHexadecimal = matches("x")
        if isHexadecimal { advance(by: 1) }
        let radix: UInt32 = isHexadecimal ? 16 : 10
        var value: UInt32 = 0
        var digits = 0
        while position < bytes.count, let digit = Self.digit(bytes[position], radix: radix) {
            // Past U+10FFFF the value only has to stay too large to be a character.
            value = min(value * radix + digit, 0x110000)
            digits += 1
            advance(by: 1)
        }
        guard digits > 0, matches(";") else {
            throw failure("a character reference that is not &#digits; or &#xhexadecimal-digits;")
        }
        advance(by: 1)
        guard XMLCharacters.isCharacter(value), let scalar = Unicode.Scalar(value) else {
            throw failure("a character reference to U+\(XMLInputText.hex(value, digits: 4)), a character XML does not allow")
        }
        return Array(String(scalar).utf8)
    }

    private static func digit(_ byte: UInt8, radix: UInt32) -> UInt32? {
        switch byte {
        case 0x30...0x39: UInt32(byte - 0x30)
        case 0x41...0x46 where radix == 16: UInt32(byte - 0x41 + 10)
        case 0x61...0x66 where radix == 16: UInt32(byte - 0x61 + 10)
        default: nil
        }
    }
}
