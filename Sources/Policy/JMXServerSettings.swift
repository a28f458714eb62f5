/// What `repository/conf/etc/jmx.xml` says of the JMX server, read as Carbon's
/// JMXServerManager reads it (carbon-kernel 4.4.3 to 4.4.26 alike):
///
/// - `<StartRMIServer>`: the server starts only when its text is `true` (any letter
///   case, `Boolean.parseBoolean`); `false`, another word or no element leaves JMX off
///   and its two ports unbound: the `jmx` feature off;
/// - `<RMIRegistryPort>` and `<RMIServerPort>`: a `${KEY}` template is carbon.xml's
///   element KEY plus the offset (`CarbonUtils.getPortFromServerConfig`; the stock file
///   names `${Ports.JMX.RMIRegistryPort}` and `${Ports.JMX.RMIServerPort}`, which
///   `CarbonXMLPorts` already read); a number is bound as it is, **without** the offset,
///   so its base port is the number less the offset the node runs with (`-DportOffset`,
///   dasaudit's `--offset`, when given, else carbon.xml's): the port stays where it is
///   whichever of the two says the offset.
///
/// Each element is the first of its name anywhere under the root, as
/// `getElementsByTagName(...).item(0)` finds it.
enum JMXServerSettings {
    static let path = "repository/conf/etc/jmx.xml"

    /// (element, catalog key).
    static let keys = [("RMIRegistryPort", "Ports.JMX.RMIRegistryPort"), ("RMIServerPort", "Ports.JMX.RMIServerPort")]

    /// Whether the RMI server starts (with the element's line), and the ports jmx.xml
    /// moves beyond carbon.xml's.
    static func read(_ root: XMLElementTree, source: String, offset: Int, carbonRoot: XMLElementTree,
                     carbonPorts: [ConfiguredPort]) throws -> (on: Bool, line: Int?, ports: [ConfiguredPort]) {
        let start = descendant(root, named: "StartRMIServer")
        guard let start, start.trimmedText.lowercased() == "true" else { return (false, start?.line, []) }
        let ports = try keys.compactMap { element, key -> ConfiguredPort? in
            guard let node = descendant(root, named: element) else { return nil }
            let text = node.trimmedText
            let origin = SettingOrigin(source: source, line: node.line)
            if text.hasPrefix("${"), text.hasSuffix("}") {
                let template = String(text.dropFirst(2).dropLast())
                if template == key { return nil }  // the stock template: carbon.xml's value
                guard let base = CarbonXMLPorts.resolve(template, in: carbonPorts, root: carbonRoot) else {
                    throw origin.error("<\(element)> is '\(text.escapedForMessage)', a carbon.xml element that is not a port")
                }
                return ConfiguredPort(key: key, basePort: base, origin: origin)
            }
            let port = try ConfiguredPort.parse(text, what: "<\(element)>", origin: origin)
            guard Int(port) > offset else {
                throw origin.error("<\(element)> is \(port), bound without the offset: expected a port above the node's offset \(offset)")
            }
            return ConfiguredPort(key: key, basePort: UInt16(Int(port) - offset), origin: origin)
        }
        return (true, start.line, ports)
    }

    /// The first element named `name` under `element`, depth first in document order.
    private static func descendant(_ element: XMLElementTree, named name: String) -> XMLElementTree? {
        for child in element.children {
            if child.name == name { return child }
            if let found = descendant(child, named: name) { return found }
        }
        return nil
    }
}
