/// The PROXY protocol header (HAProxy's "The PROXY protocol" specification, versions 1
/// and 2) that a load balancer in TCP mode puts before its client's bytes, so that the
/// server learns the client's address: HAProxy's `send-proxy` and `send-proxy-v2`, nginx's
/// `proxy_protocol on`, cloud network load balancers.
///
///     v1: "PROXY " then "TCP4", "TCP6" or "UNKNOWN", the addresses and ports in text, "\r\n";
///         at most 107 bytes
///     v2: 0D 0A 0D 0A 00 0D 0A 51 55 49 54 0A (12 bytes), version 2 and command (0x20
///         LOCAL, 0x21 PROXY), address family and transport, a 2-byte length of what
///         follows (addresses, ports, TLVs)
///
/// The header is not the client's protocol, only who the client is: the recognizers read
/// the bytes after it (docs/protocols.md, "A load balancer's PROXY protocol header").
/// HAProxy sends the header in a segment of its own, and its health checks send the header
/// alone and close; the client's own first bytes are then not in the connection's sample,
/// which is what a side cut by the capture says too: the server's bytes decide, or the
/// connection is `unknown`. Taken for bytes of no protocol, the header made every health
/// check `other`, and a TLS port behind a load balancer a false `plaintext-on-tls-port`.
public enum ProxyProtocolHeader {
    static let textPrefix: StaticString = "PROXY "
    static let textFamilies = Prefixes(["TCP4 ", "TCP6 ", "UNKNOWN"])
    /// The longest v1 header, "\r\n" included.
    static let textMaximumLength = 107
    static let binarySignature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]
    /// The v2 header before its addresses: signature, version and command, family, length.
    static let binaryFixedLength = 16

    /// The client's bytes after a PROXY protocol header at their start; `side` itself when
    /// they begin with none. When the captured bytes end inside the header (or right after
    /// it), the client's own bytes are not there: the answer is a side that sent payload of
    /// which nothing was captured. Inlined: it is asked of every connection's client side,
    /// and only a first byte of `P` or 0x0D goes on to the header's walk (out of line).
    @inline(__always)
    public static func clientBytes(after side: PayloadBytes) -> PayloadBytes {
        guard side.has(1) else { return side }
        let headerLength: Int?
        switch side[0] {
        case UInt8(ascii: "P"): headerLength = textLength(side)
        case binarySignature[0]: headerLength = binaryLength(side)
        default: return side
        }
        guard let headerLength else { return side }
        guard headerLength < side.count else {
            return PayloadBytes(UnsafeRawBufferPointer(start: nil, count: 0), sent: true, cutByCapture: side.cutByCapture)
        }
        return PayloadBytes(UnsafeRawBufferPointer(rebasing: side.bytes[headerLength...]), sent: true,
                            cutByCapture: side.cutByCapture)
    }

    /// The length of the v1 header the bytes begin with (past the captured bytes when they
    /// end inside it), or nil when they begin with none.
    @inline(never)
    static func textLength(_ side: PayloadBytes) -> Int? {
        switch side.starts(with: textPrefix) {
        case .no: return nil
        // Cut by the capture inside "PROXY ", the bytes are the header's as far as they go;
        // a whole segment that short is not a header.
        case .undecided: return side.isCut ? Int.max : nil
        case .yes: break
        }
        let prefixLength = textPrefix.utf8CodeUnitCount
        let rest = PayloadBytes(UnsafeRawBufferPointer(rebasing: side.bytes[prefixLength...]), sent: true,
                                cutByCapture: side.cutByCapture)
        guard textFamilies.match(rest) != .no else { return nil }
        // Printable text up to "\r\n", within the longest header.
        var index = prefixLength
        while index < min(side.count, textMaximumLength) {
            let byte = side[index]
            if byte == UInt8(ascii: "\r") {
                guard side.has(index + 2) else { return Int.max }
                return side[index + 1] == UInt8(ascii: "\n") ? index + 2 : nil
            }
            guard byte >= 0x20 && byte < 0x7F else { return nil }
            index += 1
        }
        // The bytes end before "\r\n": the header goes on past them (or, past the longest
        // header, it is none).
        return index < textMaximumLength ? Int.max : nil
    }

    /// The length of the v2 header the bytes begin with (past the captured bytes when they
    /// end inside it), or nil when they begin with none.
    @inline(never)
    static func binaryLength(_ side: PayloadBytes) -> Int? {
        let signatureLength = binarySignature.count
        for index in 0..<min(side.count, signatureLength) where side[index] != binarySignature[index] { return nil }
        // Cut by the capture inside the signature, the bytes are the header's as far as they
        // go; a whole segment that short is not a header.
        guard side.has(signatureLength) else { return side.isCut ? Int.max : nil }
        guard side.has(signatureLength + 1) else { return Int.max }
        guard side[signatureLength] == 0x20 || side[signatureLength] == 0x21 else { return nil }
        guard side.has(binaryFixedLength) else { return Int.max }
        return binaryFixedLength + Int(side.uint16(at: binaryFixedLength - 2))
    }
}
