/// Whether a side's first bytes are a line of text: what a plaintext server sends first
/// (an FTP, SMTP, POP3 or IMAP greeting, Redis's `-ERR`, a backdoor's prompt), and what
/// neither a TLS record nor the middle of one is. Printable ASCII (tabs and carriage
/// returns too) up to a line feed, or, with no line feed in the bytes, at least
/// `shortestUnendedLine` of them.
///
/// `ProtocolRecognizer` asks it of a server that answered a ClientHello with bytes no TLS
/// record begins: a line of text says a plaintext service listens. Bytes that are no line
/// (binary) prove less: when the capture lost the server's first segment, or the network
/// delivered its second first, the first bytes kept continue the ServerHello's record
/// (certificates, ciphertext), which a line of text at its first 8 bytes almost never is.
enum TextLine {
    /// The fewest printable bytes, with no line feed among them, taken for a line: a
    /// banner longer than the capture kept (`tcpdump -s 96` keeps 30 bytes of payload).
    static let shortestUnendedLine = 8

    static func begins(_ side: PayloadBytes) -> Match {
        var index = 0
        while index < side.count {
            let byte = side[index]
            if byte == UInt8(ascii: "\n") { return .when(index > 0) }
            guard (byte >= 0x20 && byte < 0x7F) || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") else { return .no }
            index += 1
        }
        if index >= shortestUnendedLine { return .yes }
        return side.isCut ? .undecided : .no
    }
}
