/// Where a connection got to, in the spirit of Zeek's `conn_state`.
public enum ConnectionState: String, CaseIterable, Codable, Sendable {
    /// A SYN was seen and nothing came back (Zeek S0); nor did the client send what only an
    /// answered SYN lets it (an ACK, data, a FIN), so a capture of its direction alone
    /// does not make a connection that served an attempt.
    case attempted
    /// The server answered the SYN with a RST: nothing listens there (Zeek REJ). Also a
    /// side's RSTs with nothing from the other side and no handshake: a refusal whose SYN
    /// was not captured (a capture of the server's direction only).
    case refused
    /// The handshake completed and the connection was still open when the capture ended (S1).
    case established
    /// The handshake completed and both sides sent FIN (SF); with one side only captured,
    /// that side's FIN.
    case closed
    /// The handshake completed and one side reset it (RSTO/RSTR).
    case reset
    /// The capture started after the handshake: no SYN was seen (OTH).
    case midstream

    /// Whether data could have flowed: the port was open. Attempts are reported apart.
    public var isTraffic: Bool { self != .attempted && self != .refused }
}

/// On what evidence a connection's server side was chosen, strongest first.
public enum DirectionBasis: String, CaseIterable, Codable, Sendable {
    /// A SYN (its receiver is the server) or a SYN-ACK (its sender is).
    case handshake
    /// Exactly one side's port is one the policy expects servers on.
    case policy
    /// Exactly one side's port is outside the ephemeral (client) range.
    case ephemeral
    /// None of these, and one side sent only a probe without a SYN (`Connection.probeWithoutSyn`),
    /// which the other answered with a RST: the prober is the client (a scanner's FIN,
    /// NULL, Xmas, ACK, Window or Maimon probe from a port above the ephemeral range); or
    /// one side sent only RSTs and the other nothing captured: the RSTs' sender is the
    /// server (a refusal whose SYN was not captured). Also, before the port rules, a side
    /// whose packets carried no ACK (`ConnectionRecord.Seen.withoutAck`: nmap's FIN, NULL
    /// and Xmas probes), answered by a RST or by nothing: the prober is the client even
    /// from a catalog port (`nmap -sF -g 9445`), where the policy rule named it the server.
    case probe
    /// No rule applies; client and server are reported as seen, not guessed.
    case unknown
}
