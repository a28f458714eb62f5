import Protocols

extension ServiceTraffic {
    /// What the service speaks: the recognized protocol of most of its connections (ties
    /// by name); failing any, `other` if some connection's bytes were seen but not
    /// recognized, then `unknown` (bytes not captured), then `none` (no payload at all).
    public var dominantProtocol: ProtocolName {
        let recognized = protocols.filter { $0.key.isRecognized && $0.value > 0 }
        if let top = recognized.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) { return top.key }
        for fallback in [ProtocolName.other, .unknown] where (protocols[fallback] ?? 0) > 0 { return fallback }
        return .none
    }

    /// The negotiated TLS versions seen, lowest first.
    public var tlsVersionsSeen: [TLSVersion] { tlsVersions.filter { $0.value > 0 }.keys.sorted() }
}
