/// Whether a side's first bytes are a line of text: what a plaintext server sends first
/// (an FTP, SMTP, POP3 or IMAP greeting, Redis's `-ERR`, a backdoor's prompt), and what
/// neither a TLS record nor the middle of one is. Printable ASCII (tabs and carriage
/// returns too) over the first `decidingLength` bytes, or up to a line feed before them.
///
/// `ProtocolRecognizer` asks it of a server that answered a ClientHello with bytes no TLS
/// record begins: a line of text says a plaintext service listens. Bytes that are no line
/// (binary) prove less: when the capture lost the server's first segment, or the network
/// delivered its second first, the first bytes kept continue the ServerHello's record
/// (certificates, ciphertext), which 16 printable bytes in a row almost never begin.
///
/// Only the first `decidingLength` bytes are read, so bytes the capture cut give the
/// whole's answer or none (`undecided`), never another: 16 bytes are in any capture that
/// keeps the TLS record header (`tcpdump -s 96` keeps 30).
enum TextLine {
    static let decidingLength = 16

    static func begins(_ side: PayloadBytes) -> Match {
        let end = min(side.count, decidingLength)
        var index = 0
        while index < end {
            let byte = side[index]
            if byte == UInt8(ascii: "\n") { return .when(index > 0) }
            guard (byte >= 0x20 && byte < 0x7F) || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") else { return .no }
            index += 1
        }
        if index == decidingLength { return .yes }
        // Fewer bytes than that, all text, no line feed: a whole segment that short is no
        // line; cut, the rest might not be text.
        return side.isCut ? .undecided : .no
    }
}
