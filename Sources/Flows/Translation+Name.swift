import Wire

extension Translation {
    /// The translation a name written by `description` stands for (`10.208.0.254:19763 ->
    /// 10.207.0.2:9763`, `[fd00:208::fe]:19763 -> [fd00:207::2]:9763`, `client 10.207.0.2
    /// -> 10.208.0.254`); nil for `other` and for anything else.
    ///
    /// Why: a result keeps its translations only by name (`translated` in the JSON), and
    /// `dasaudit merge` needs them back to recognise, in another capture point's result, a
    /// connection captured before the translation (docs/merge.md).
    public init?(name: String) {
        let ofClient = name.hasPrefix("client ")
        let sides = name.dropFirst(ofClient ? 7 : 0).split(separator: " -> ", omittingEmptySubsequences: false)
        guard sides.count == 2 else { return nil }
        if ofClient {
            guard let from = IPAddress(sides[0]), let to = IPAddress(sides[1]) else { return nil }
            self.init(from: Endpoint(address: from, port: 0), to: Endpoint(address: to, port: 0), ofClient: true)
        } else {
            guard let from = Endpoint(sides[0]), let to = Endpoint(sides[1]) else { return nil }
            self.init(from: from, to: to, ofClient: false)
        }
    }
}

extension Endpoint {
    /// The endpoint `description` writes: `10.207.0.2:9763`, or `[fd00:207::2]:9763` (an
    /// IPv6 address in brackets). Nil for anything else.
    public init?(_ text: Substring) {
        let address: Substring, port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            address = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
            guard address.contains(":") else { return nil }
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            address = text[..<colon]
            port = text[text.index(after: colon)...]
            guard !address.contains(":") else { return nil }  // an IPv6 address needs its brackets
        }
        guard let number = UInt16(port), let parsed = IPAddress(address) else { return nil }
        self.init(address: parsed, port: number)
    }
}
