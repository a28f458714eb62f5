import Protocols

extension ProtocolFindings {
    /// The recognized protocols that can switch to TLS inside their own exchange, after
    /// first bytes in the clear, and how each asks for it. The recognizers see only each
    /// side's first bytes, so a connection of these on a TLS port may have gone on
    /// encrypted (psql's default sslmode=prefer, or require, sends an SSLRequest first):
    /// the finding stands, since the port does not speak TLS from the first byte as its
    /// clients' TLS configuration expects, but its message must not say the session was in
    /// the clear.
    static let inBandTLS: [(ProtocolName, String)] = [
        (.postgresql, "PostgreSQL's SSLRequest, answered 'S'"),
        (.mysql, "MySQL's SSL request, after the server's greeting"),
        (.ldap, "LDAP's StartTLS extended operation"),
    ]

    /// "; postgresql can turn to TLS inside its own protocol (PostgreSQL's SSLRequest,
    /// answered 'S'), so these sessions may have gone on encrypted, but not from the first
    /// byte", for those of `protocols` that can; "" when none can.
    static func inBandTLSNote(_ protocols: some Sequence<ProtocolName>) -> String {
        let seen = Set(protocols)
        let upgrading = inBandTLS.filter { seen.contains($0.0) }
        guard !upgrading.isEmpty else { return "" }
        return "; " + upgrading.map(\.0.name).joined(separator: " and ") + " can turn to TLS inside "
            + (upgrading.count == 1 ? "its own protocol (" : "their own protocols (")
            + upgrading.map(\.1).joined(separator: "; ") + "), so these sessions may have gone on encrypted, "
            + "but not from the first byte"
    }
}
