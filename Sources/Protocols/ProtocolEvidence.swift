/// What one connection was found to speak: the protocol and, for TLS, the negotiated
/// version when the server's hello was captured. Two bytes, so a connection can carry it.
public struct ProtocolEvidence: Sendable, Hashable {
    public var name: ProtocolName
    /// The negotiated version (TLS only; nil when the server's hello was not seen).
    public var tlsVersion: TLSVersion?

    public init(_ name: ProtocolName, tlsVersion: TLSVersion? = nil) {
        self.name = name
        self.tlsVersion = tlsVersion
    }

    public static let unknown = ProtocolEvidence(.unknown)
    public static let none = ProtocolEvidence(.none)
    public static let other = ProtocolEvidence(.other)
}
