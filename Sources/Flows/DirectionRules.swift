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
    public func serverIsA(portA: UInt16, portB: UInt16) -> (Bool, DirectionBasis)? {
        switch (isExpected(portA), isExpected(portB)) {
        case (true, false): return (true, .policy)
        case (false, true): return (false, .policy)
        default: break
        }
        switch (isEphemeral(portA), isEphemeral(portB)) {
        case (false, true): return (true, .ephemeral)
        case (true, false): return (false, .ephemeral)
        default: return nil
        }
    }
}
