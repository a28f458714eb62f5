/// A negotiated SSL/TLS version: what the server's hello chose (TLS 1.3 through the
/// supported_versions extension or a TLS 1.3 cipher suite, since its hello says 1.2).
public enum TLSVersion: UInt8, CaseIterable, Sendable, Hashable, Comparable {
    case ssl2 = 1
    case ssl3 = 2
    case tls10 = 3
    case tls11 = 4
    case tls12 = 5
    case tls13 = 6

    /// The version on the wire (major, minor) as TLS writes it: 0x0300 is SSLv3, 0x0301
    /// TLS 1.0 ... 0x0304 TLS 1.3; SSLv2 is 0x0002.
    public init?(wire: UInt16) {
        switch wire {
        case 0x0002: self = .ssl2
        case 0x0300: self = .ssl3
        case 0x0301: self = .tls10
        case 0x0302: self = .tls11
        case 0x0303: self = .tls12
        case 0x0304: self = .tls13
        default: return nil
        }
    }

    /// The name used in results (`tls_version`, `tls_versions`): "SSLv2", "SSLv3", "1.0" ... "1.3".
    public var name: String {
        switch self {
        case .ssl2: "SSLv2"
        case .ssl3: "SSLv3"
        case .tls10: "1.0"
        case .tls11: "1.1"
        case .tls12: "1.2"
        case .tls13: "1.3"
        }
    }

    public init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }

    /// SSLv2, SSLv3, TLS 1.0 and TLS 1.1: prohibited or deprecated (RFC 6176, RFC 7568,
    /// RFC 8996), a `deprecated-tls` finding.
    public var isDeprecated: Bool { self < .tls12 }

    public static func < (lhs: TLSVersion, rhs: TLSVersion) -> Bool { lhs.rawValue < rhs.rawValue }
}
