/// One port an installation file moves: the catalog key it sets, the base port (before
/// the offset, as a policy file's `ports:` states it) and where it was read.
struct ConfiguredPort: Equatable {
    var key: String
    var basePort: UInt16
    var origin: SettingOrigin

    /// `text` as a port from 1 to 65535, or an error at `origin` naming `what` (an
    /// element or attribute as the file spells it).
    static func parse(_ text: String, what: String, origin: SettingOrigin) throws -> UInt16 {
        guard let value = UInt16(text), value > 0 else {
            if CarbonPlaceholder.isPlaceholder(text) { throw origin.error(CarbonPlaceholder.portProblem(what, text)) }
            throw origin.error("\(what) is '\(text.escapedForMessage)'; expected a port from 1 to 65535")
        }
        return value
    }
}

extension PolicySettings {
    /// Moves `port.key` to its base port, with its origin: what a policy file's
    /// `ports: {KEY: PORT}` does, so `--das-home` and a policy file move a port alike.
    mutating func move(_ port: ConfiguredPort) {
        basePorts[port.key] = port.basePort
        origins["ports.\(port.key)"] = port.origin
    }
}
