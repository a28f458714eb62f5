/// The ports carbon.xml's `<Ports>` section sets besides the offset. Carbon reads every
/// element of carbon.xml into a key of its element path (ServerConfiguration), and the
/// services that bind these ports ask for `${Ports.JMX.RMIRegistryPort}` and the like
/// through `CarbonUtils.getPortFromServerConfig`, which adds the offset: each value is a
/// base port, moved the way a policy file's `ports:` moves it. The catalog keys are the
/// element paths themselves (docs/ports.md, section 5).
enum CarbonXMLPorts {
    /// The catalog keys carbon.xml sets, as element paths under the root `<Server>`.
    static let keys = [
        "Ports.JMX.RMIRegistryPort", "Ports.JMX.RMIServerPort", "Ports.EmbeddedLDAP.LDAPServerPort",
        "Ports.EmbeddedLDAP.KDCServerPort", "Ports.ThriftEntitlementReceivePort",
    ]

    /// Each of `keys` carbon.xml states (the first element of that path, as Carbon's
    /// `getFirstProperty`); an element that is not a port is an error at its line.
    static func read(_ root: XMLElementTree, source: String) throws -> [ConfiguredPort] {
        try keys.compactMap { key in
            let path = key.split(separator: ".").map(String.init)
            guard let element = root.first(path) else { return nil }
            let origin = SettingOrigin(source: source, line: element.line)
            let port = try ConfiguredPort.parse(element.trimmedText, what: "<\(path.joined(separator: "><"))>", origin: origin)
            return ConfiguredPort(key: key, basePort: port, origin: origin)
        }
    }

    /// The value of a `${Ports....}` template as Carbon resolves it: the carbon.xml port
    /// of that key, a base port (the offset is added to it).
    static func resolve(_ template: String, in ports: [ConfiguredPort], root: XMLElementTree) -> UInt16? {
        if let port = ports.first(where: { $0.key == template }) { return port.basePort }
        // A template naming another carbon.xml element; its value must still be a port.
        let path = template.split(separator: ".").map(String.init)
        return root.first(path).flatMap { UInt16($0.trimmedText) }
    }
}
