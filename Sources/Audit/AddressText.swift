import Wire

/// An address as text, exactly as `IPAddress.description` writes it, made fast for IPv4:
/// the end stage writes tens of thousands of service addresses and up to five sample
/// clients per service, and `description`'s string interpolation (four integers converted
/// and appended) cost about a microsecond each. An IPv4 address is written digit by digit
/// into a string of at most 15 bytes, which Swift keeps inline (no allocation); other
/// addresses are `description`'s.
enum AddressText {
    static func of(_ address: IPAddress) -> String {
        guard let value = address.ipv4Value else { return address.description }
        return String(unsafeUninitializedCapacity: 15) { buffer in
            var count = 0
            for shift in stride(from: 24, through: 0, by: -8) {
                let octet = UInt8(truncatingIfNeeded: value >> UInt32(shift))
                if shift != 24 {
                    buffer[count] = UInt8(ascii: ".")
                    count += 1
                }
                if octet >= 100 {
                    buffer[count] = UInt8(ascii: "0") + octet / 100
                    count += 1
                }
                if octet >= 10 {
                    buffer[count] = UInt8(ascii: "0") + octet / 10 % 10
                    count += 1
                }
                buffer[count] = UInt8(ascii: "0") + octet % 10
                count += 1
            }
            return count
        }
    }
}
