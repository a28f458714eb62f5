import Foundation

/// The ports a DAS installation moves from the catalog's base ports, and whether its JMX
/// server runs: carbon.xml's `<Ports>`, the event receivers of data-bridge-config.xml,
/// the Tomcat connectors of catalina-server.xml (the further connectors beyond the
/// console's two are allowed ports) and etc/jmx.xml. Each moved port becomes
/// the policy file's `ports: {KEY: BASE}` with the file and line it came from; the files
/// other than carbon.xml are optional (missing: the stock ports).
enum InstallationPorts {
    static func apply(home: String, carbon: Data, carbonPath: String, offset: Int, to settings: inout PolicySettings) throws {
        let carbonRoot = try XMLElementTree.parse(carbon, source: carbonPath)
        let carbonPorts = try CarbonXMLPorts.read(carbonRoot, source: carbonPath)
        carbonPorts.forEach { settings.move($0) }
        if let (path, root, _) = try optionalFile(home, DataBridgeReceiverPorts.path) {
            try DataBridgeReceiverPorts.read(root, source: path).forEach { settings.move($0) }
        }
        if let (path, root, data) = try optionalFile(home, TomcatConnectorPorts.path) {
            let text = String(decoding: data, as: UTF8.self)
            try TomcatConnectorPorts.read(root, text: text, source: path).forEach { settings.move($0) }
            // Carbon starts every connector, not only the console's two: each further one is
            // allowed where the node binds it, its port + the offset the node runs with.
            for connector in try TomcatConnectorPorts.further(root, text: text, source: path) {
                let port = Int(connector.basePort) + offset
                guard let wirePort = UInt16(exactly: port), settings.allowed(wirePort) == nil else { continue }
                settings.allowedPorts[wirePort] = "Tomcat connector (catalina-server.xml, port \(connector.basePort) + offset \(offset))"
                settings.allowedProtocols[wirePort] = connector.wireProtocol
                settings.origins["allow.\(wirePort)"] = connector.origin
            }
        }
        if let (path, root, _) = try optionalFile(home, JMXServerSettings.path) {
            let jmx = try JMXServerSettings.read(root, source: path, offset: offset, carbonRoot: carbonRoot,
                                                 carbonPorts: carbonPorts)
            settings.features[.jmx] = jmx.on
            settings.origins["features.jmx"] = SettingOrigin(source: path, line: jmx.line)
            jmx.ports.forEach { settings.move($0) }
        }
    }

    /// The path, parsed tree and bytes of the file at `relativePath` under `home`, or nil
    /// when it does not exist.
    private static func optionalFile(_ home: String, _ relativePath: String) throws -> (String, XMLElementTree, Data)? {
        let path = (home as NSString).appendingPathComponent(relativePath)
        guard let data = try ConfigurationFile.read(path, required: false) else { return nil }
        return (path, try XMLElementTree.parse(data, source: path), data)
    }
}
