/// The event receivers' ports in `repository/conf/data-bridge/data-bridge-config.xml`,
/// read as the databridge reads them (carbon-analytics-common, DataBridgeConfiguration
/// and the Thrift and Binary receivers' configurations, 5.0.8 to 5.1.37 alike):
///
/// - `<dataReceiver name="Thrift">` and `<dataReceiver name="Binary">` under the root,
///   the name matched in any letter case, the first of each name;
/// - in each, `<config name="tcpPort">` and `<config name="sslPort">`, the name in any
///   letter case, the first one with a value;
/// - the port offset is added to all four (`getPortFromServerConfig("Ports.Offset") + 1`,
///   that is -1 + offset + 1): each value is a base port.
///
/// A port the file leaves out keeps the receiver's default, which the catalog already
/// holds (Thrift 7611/7711; Binary 9611/9711).
enum DataBridgeReceiverPorts {
    static let path = "repository/conf/data-bridge/data-bridge-config.xml"

    /// (receiver name, config name, catalog key).
    static let keys = [
        ("Thrift", "tcpPort", "thrift.tcp.port"), ("Thrift", "sslPort", "thrift.ssl.port"),
        ("Binary", "tcpPort", "binary.tcp.port"), ("Binary", "sslPort", "binary.ssl.port"),
    ]

    static func read(_ root: XMLElementTree, source: String) throws -> [ConfiguredPort] {
        let receivers = root.all("dataReceiver")
        return try keys.compactMap { receiverName, configName, key in
            guard let receiver = receivers.first(where: { $0.attributes["name"]?.lowercased() == receiverName.lowercased() }),
                  let config = receiver.all("config").first(where: {
                      $0.attributes["name"]?.lowercased() == configName.lowercased() && !$0.trimmedText.isEmpty
                  })
            else { return nil }
            let origin = SettingOrigin(source: source, line: config.line)
            let port = try ConfiguredPort.parse(config.trimmedText, what: "<dataReceiver name=\"\(receiverName)\"><config "
                + "name=\"\(configName)\">", origin: origin)
            return ConfiguredPort(key: key, basePort: port, origin: origin)
        }
    }
}
