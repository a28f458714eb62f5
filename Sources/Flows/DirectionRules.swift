/// The policy facts that tell the server side of a connection picked up mid-stream.
/// Flows knows nothing else of the policy.
public struct DirectionRules: Sendable {
    /// One bit per port: set where the policy expects a server.
    private var expected: [UInt64]
    public var ephemeralLow: UInt16
    public var ephemeralHigh: UInt16

    public init(expectedServerPorts: some Sequence<UInt16>, ephemeralLow: UInt16 = 32768, ephemeralHigh: UInt16 = 60999) {
        expected = Array(repeating: 0, count: 1024)
        for port in expectedServerPorts { expected[Int(port) >> 6] |= 1 << UInt64(port & 63) }
        self.ephemeralLow = ephemeralLow
        self.ephemeralHigh = ephemeralHigh
    }

    public func isExpected(_ port: UInt16) -> Bool {
        expected[Int(port) >> 6] & (1 << UInt64(port & 63)) != 0
    }

    public func isEphemeral(_ port: UInt16) -> Bool { ephemeralLow <= port && port <= ephemeralHigh }

    /// Which of two ports is the server's when no handshake was seen: `true` for `a`,
    /// `false` for `b`, nil when the rules cannot tell.
    ///
    /// The policy rule (exactly one port is one the policy expects servers on) comes first,
    /// the ephemeral rule (exactly one port is outside the client range) second; but when
    /// the two point at opposite sides, neither is taken and the answer is nil: a catalog
    /// port that lies in the range its host picks client ports from, facing a port outside
    /// it, is as likely a client's port that happens to be a catalog number (a client whose
    /// `ip_local_port_range` overlaps the catalog, connected to an unknown listener) as the
    /// service, and guessing the policy's side invented an expected service on a client and
    /// hid the listener (docs/flows.md).
    public func serverIsA(portA: UInt16, portB: UInt16) -> (Bool, DirectionBasis)? {
        let byPolicy: Bool? = switch (isExpected(portA), isExpected(portB)) {
        case (true, false): true
        case (false, true): false
        default: nil
        }
        let byEphemeral: Bool? = switch (isEphemeral(portA), isEphemeral(portB)) {
        case (false, true): true
        case (true, false): false
        default: nil
        }
        switch (byPolicy, byEphemeral) {
        case (let policy?, let ephemeral?) where policy != ephemeral: return nil
        case (let policy?, _): return (policy, .policy)
        case (nil, let ephemeral?): return (ephemeral, .ephemeral)
        case (nil, nil): return nil
        }
    }
}
