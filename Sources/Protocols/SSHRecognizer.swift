/// SSH (RFC 4253 section 4.2): both sides begin with an identification string
/// "SSH-protoversion-softwareversion", protoversion "2.0" (or "1.99", "1.5" of old servers).
/// The server usually speaks first, so either side is enough.
public enum SSHRecognizer {
    public static func recognize(client: PayloadBytes, server: PayloadBytes) -> Recognition {
        .either(identification(client), identification(server), .ssh)
    }

    static func identification(_ side: PayloadBytes) -> Match {
        let prefix = side.starts(with: "SSH-")
        guard prefix == .yes else { return prefix }
        guard side.has(6) else { return .undecided }
        return .when(side[4] >= UInt8(ascii: "1") && side[4] <= UInt8(ascii: "9") && side[5] == UInt8(ascii: "."))
    }
}
