import Protocols

extension TrafficCounts {
    /// What the service speaks: the recognized protocol of most of its connections (ties
    /// by name); failing any, `other` if some connection's bytes were seen but not
    /// recognized, then `unknown` (bytes not captured), then `none` (no payload at all).
    ///
    /// One pass over the cases, building no array: the end stage asks it of every service.
    public var dominantProtocol: ProtocolName { Self.dominant(in: protocolCounts) }

    /// The dominant protocol of `protocolCounts` (`dominantProtocol`).
    public static func dominant(in protocolCounts: CaseCounts<ProtocolName>) -> ProtocolName {
        var top: ProtocolName?
        for name in Self.recognizedProtocols where protocolCounts[name] > 0 {
            // As `max(by:)` with (count, reversed name): more connections win, then the earlier name.
            if let best = top, (protocolCounts[best], name) >= (protocolCounts[name], best) { continue }
            top = name
        }
        if let top { return top }
        if protocolCounts[.other] > 0 { return .other }
        if protocolCounts[.unknown] > 0 { return .unknown }
        return .none
    }

    /// The negotiated TLS versions seen, lowest first.
    public var tlsVersionsSeen: [TLSVersion] { Self.tlsVersionsInOrder.filter { tlsVersionCounts[$0] > 0 } }

    /// The cases, made once (an enumeration's `allCases` is a new array at every call).
    private static let recognizedProtocols = ProtocolName.allCases.filter(\.isRecognized)
    private static let tlsVersionsInOrder = TLSVersion.allCases.sorted()
}
