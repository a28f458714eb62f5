/// Redis's RESP protocol (the Redis serialization protocol specification): a client sends
/// each command as an array of bulk strings,
///
///     "*" count "\r\n" "$" length "\r\n" name "\r\n" ...     ("*1\r\n$4\r\nPING\r\n")
///
/// which is what redis-cli and every client library send (RESP2 and RESP3 alike). The
/// server's replies ("+OK", ":1", "$5") and the inline commands of a telnet session are too
/// short a pattern to name a connection.
public enum RedisRecognizer {
    public static func recognize(client: PayloadBytes, server: PayloadBytes) -> Recognition {
        Recognition(command(client), ProtocolEvidence(.redis))
    }

    static func command(_ side: PayloadBytes) -> Match {
        guard side.sent else { return .no }
        guard side.has(1) else { return .undecided }
        guard side[0] == UInt8(ascii: "*") else { return .no }
        var position = 1
        let count = number(side, &position)
        guard count == .yes else { return count }
        guard side.has(position + 1) else { return .undecided }
        guard side[position] == UInt8(ascii: "$") else { return .no }
        position += 1
        return number(side, &position)
    }

    /// One to ten digits (the first not 0) and "\r\n", from `position`, which it moves past them.
    static func number(_ side: PayloadBytes, _ position: inout Int) -> Match {
        let start = position
        while side.has(position + 1) && side[position].isASCIIDigit {
            guard position - start < 10 else { return .no }
            if position == start && side[position] == UInt8(ascii: "0") { return .no }
            position += 1
        }
        guard side.has(position + 1) else { return .undecided }
        guard position > start && side[position] == UInt8(ascii: "\r") else { return .no }
        guard side.has(position + 2) else { return .undecided }
        guard side[position + 1] == UInt8(ascii: "\n") else { return .no }
        position += 2
        return .yes
    }
}
