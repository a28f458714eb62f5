import Protocols

/// One `allow:` entry (or `--allow PORT:REASON`) as a whole: why the port is allowed and,
/// if said, what it speaks. Errors and override notes name both, since an entry replaced
/// or repeated takes its protocol check with it.
public struct AllowedPort: Equatable, Sendable, CustomStringConvertible {
    public var reason: String
    public var `protocol`: ProtocolName?

    public init(reason: String, protocol: ProtocolName? = nil) {
        self.reason = reason
        self.protocol = `protocol`
    }

    /// "'operator ssh' (protocol ssh)", "'operator ssh' (no protocol)"; not escaped (a
    /// reason has no control characters, `ReasonRules`), messages escape it once.
    public var description: String {
        let spoken = `protocol`.map { "protocol \($0.name)" } ?? "no protocol"
        return "'\(reason)' (\(spoken))"
    }
}

extension PolicySettings {
    /// The entry allowing `port`, if any.
    public func allowed(_ port: UInt16) -> AllowedPort? {
        allowedPorts[port].map { AllowedPort(reason: $0, protocol: allowedProtocols[port]) }
    }
}
