import Foundation
import Protocols

/// The management console's ports in `repository/conf/tomcat/catalina-server.xml`: the
/// `port` attribute of each `<Connector>` of the `<Service>`, told apart by its `scheme`
/// attribute (Tomcat's default `http`; the stock HTTPS connector says `scheme="https"`),
/// as Carbon does (CarbonTomcat.getPort(scheme): the first connector of the scheme).
/// Carbon starts every connector at `port` + the offset (CarbonTomcat.startConnectors),
/// so each is a base port. `proxyPort` is only the port advertised in URLs behind a load
/// balancer, never bound, and is not read.
enum TomcatConnectorPorts {
    static let path = "repository/conf/tomcat/catalina-server.xml"

    /// (scheme, catalog key).
    static let keys = [("http", "carbon.http.port"), ("https", "carbon.https.port")]

    static func read(_ root: XMLElementTree, text: String, source: String) throws -> [ConfiguredPort] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let connectors = root.all("Service").flatMap { $0.all("Connector") }
        return try keys.compactMap { scheme, key in
            guard let connector = connectors.first(where: { ($0.attributes["scheme"] ?? "http") == scheme }),
                  let text = connector.attributes["port"]
            else { return nil }
            let origin = SettingOrigin(source: source, line: portLine(lines, tagEnd: connector.line))
            let port = try ConfiguredPort.parse(text.trimmingCharacters(in: .whitespaces),
                                                what: "<Connector scheme=\"\(scheme)\" port>", origin: origin)
            return ConfiguredPort(key: key, basePort: port, origin: origin)
        }
    }

    /// A connector after the first of its scheme: Carbon starts it too, at its port + the
    /// offset, so the node serves there as surely as on the console's ports.
    struct FurtherConnector: Equatable {
        /// The `port` attribute: a base port, as the console's.
        var basePort: UInt16
        /// What it speaks on the wire: TLS with `SSLEnabled="true"` (a `scheme="https"`
        /// alone only says what requests report, as behind a proxy that ends TLS), nothing
        /// dasaudit recognizes for AJP (`protocol="AJP/1.3"`), else HTTP.
        var wireProtocol: ProtocolName?
        var origin: SettingOrigin
    }

    /// Every `<Connector>` of the `<Service>` after the first of its scheme (`read` takes
    /// those), in file order.
    static func further(_ root: XMLElementTree, text: String, source: String) throws -> [FurtherConnector] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let connectors = root.all("Service").flatMap { $0.all("Connector") }
        var seenSchemes = Set<String>()
        return try connectors.compactMap { connector in
            let scheme = connector.attributes["scheme"] ?? "http"
            guard !seenSchemes.insert(scheme).inserted, let text = connector.attributes["port"] else { return nil }
            let origin = SettingOrigin(source: source, line: portLine(lines, tagEnd: connector.line))
            let port = try ConfiguredPort.parse(text.trimmingCharacters(in: .whitespaces),
                                                what: "<Connector scheme=\"\(scheme)\" port>", origin: origin)
            let protocolAttribute = connector.attributes["protocol"] ?? ""
            let wire: ProtocolName? = connector.attributes["SSLEnabled"]?.trimmingCharacters(in: .whitespaces).lowercased() == "true"
                ? .tls : protocolAttribute.uppercased().hasPrefix("AJP") ? nil : .http
            return FurtherConnector(basePort: port, wireProtocol: wire, origin: origin)
        }
    }

    /// The line of the `port=` attribute of the start tag that ends on line `tagEnd` (the
    /// parser gives the line where a tag ends; the stock connectors span 18 and 26 lines).
    static func portLine(_ lines: [Substring], tagEnd: Int) -> Int {
        var line = min(tagEnd, lines.count)
        while line >= 1 {
            let text = lines[line - 1]
            if text.range(of: #"(^|\s)port\s*="#, options: .regularExpression) != nil { return line }
            if text.contains("<Connector") { break }
            line -= 1
        }
        return tagEnd
    }
}
