import Protocols

extension TrafficCounts {
    /// What the service speaks: the recognized protocol of most of its connections (ties
    /// by name); failing any, `other` if some connection's bytes were seen but not
    /// recognized, then `unknown` (bytes not captured), then `none` (no payload at all).
    public var dominantProtocol: ProtocolName {
        let recognized = ProtocolName.allCases.filter { $0.isRecognized && protocolCounts[$0] > 0 }
        if let top = recognized.max(by: { (protocolCounts[$0], $1) < (protocolCounts[$1], $0) }) { return top }
        for fallback in [ProtocolName.other, .unknown] where protocolCounts[fallback] > 0 { return fallback }
        return .none
    }

    /// The negotiated TLS versions seen, lowest first.
    public var tlsVersionsSeen: [TLSVersion] { TLSVersion.allCases.filter { tlsVersionCounts[$0] > 0 }.sorted() }
}
