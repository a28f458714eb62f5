/// HTTP/2 in the clear with prior knowledge (RFC 9113 section 3.4): the client's connection
/// preface, 24 fixed bytes. HTTP/2 over TLS is TLS on the wire; an upgrade from HTTP/1.1
/// starts as HTTP/1.1.
public enum HTTP2Recognizer {
    static let preface: StaticString = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

    public static func recognize(client: PayloadBytes, server: PayloadBytes) -> Recognition {
        Recognition(client.starts(with: preface), ProtocolEvidence(.http2))
    }
}
