import Protocols

extension TrafficCounts {
    /// What the service speaks: the recognized protocol of most of its connections (ties
    /// by name); failing any, `other` if some connection's bytes were seen but not
    /// recognized, then `unknown` (bytes not captured), then `none` (no payload at all).
    ///
    /// A client's plaintext the server never answered (`unansweredPlaintextConnections`)
    /// names the port only when nothing else does: when every plaintext connection went
    /// unanswered and some connection spoke TLS or SSH, the plaintext protocols are left
    /// out (a TLS server stays silent to a plaintext request; clients that got the port's
    /// scheme wrong do not make it speak HTTP, even as many as the TLS ones).
    ///
    /// One pass over the cases, building no array: the end stage asks it of every service.
    public var dominantProtocol: ProtocolName {
        Self.dominant(in: protocolCounts, unansweredPlaintext: unansweredPlaintextConnections)
    }

    /// The dominant protocol of `protocolCounts` (`dominantProtocol`), of which
    /// `unansweredPlaintext` connections were plaintext the server did not answer.
    public static func dominant(in protocolCounts: CaseCounts<ProtocolName>, unansweredPlaintext: UInt64) -> ProtocolName {
        var plaintext: UInt64 = 0
        for name in Self.plaintextProtocols { plaintext.addSaturated(protocolCounts[name]) }
        let notPlaintextSeen = Self.recognizedProtocols.contains { !$0.isPlaintext && protocolCounts[$0] > 0 }
        let plaintextNamesNothing = notPlaintextSeen && unansweredPlaintext >= plaintext
        var top: ProtocolName?
        for name in Self.recognizedProtocols where protocolCounts[name] > 0 && !(plaintextNamesNothing && name.isPlaintext) {
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
    private static let plaintextProtocols = ProtocolName.allCases.filter(\.isPlaintext)
    private static let tlsVersionsInOrder = TLSVersion.allCases.sorted()
}
