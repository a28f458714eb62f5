import Foundation
import Policy
import XCTest

/// `--das-home` reads the ports an installation moves (carbon.xml's `<Ports>`,
/// data-bridge-config.xml, catalina-server.xml) and etc/jmx.xml's StartRMIServer, from
/// real DAS 3.2.0 files with moved ports (Tests/Fixtures/das-home-moved, SOURCE.md there).
final class InstallationPortsTests: XCTestCase {
    let home = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/das-home-moved").path

    private func conf(_ file: String) -> String { "\(home)/repository/conf/\(file)" }

    func testTheMovedPortsAreReadWithTheirFileAndLine() throws {
        let settings = try DASInstallation.read(home: home)
        XCTAssertEqual(settings.offset, 5)
        XCTAssertEqual(settings.basePorts, [
            "Ports.JMX.RMIRegistryPort": 9899, "Ports.JMX.RMIServerPort": 11111,
            "Ports.EmbeddedLDAP.LDAPServerPort": 10390, "Ports.EmbeddedLDAP.KDCServerPort": 8000,
            "Ports.ThriftEntitlementReceivePort": 10500,
            "thrift.tcp.port": 7650, "thrift.ssl.port": 7711, "binary.tcp.port": 9611, "binary.ssl.port": 9711,
            "carbon.http.port": 9780, "carbon.https.port": 9443,
        ])
        XCTAssertEqual(settings.origins["ports.Ports.JMX.RMIRegistryPort"]?.description, conf("carbon.xml") + ":133")
        XCTAssertEqual(settings.origins["ports.Ports.EmbeddedLDAP.LDAPServerPort"]?.description, conf("carbon.xml") + ":141")
        XCTAssertEqual(settings.origins["ports.thrift.tcp.port"]?.description, conf("data-bridge/data-bridge-config.xml") + ":32")
        XCTAssertEqual(settings.origins["ports.carbon.http.port"]?.description, conf("tomcat/catalina-server.xml") + ":29",
                       "the line of the port attribute, not of the tag's end")
        XCTAssertEqual(settings.origins["ports.carbon.https.port"]?.description, conf("tomcat/catalina-server.xml") + ":54")
        XCTAssertEqual(settings.features[.jmx], true, "<StartRMIServer>true")
    }

    /// The installation moves its ports exactly as the same `ports:` in a policy file does.
    func testTheInstallationMovesPortsLikeAPolicyFile() throws {
        let fromHome = try DASInstallation.read(home: home).makePolicy()
        let fromFile = try PolicyFile.parse("""
            offset: 5
            ports:
              Ports.JMX.RMIRegistryPort: 9899
              Ports.EmbeddedLDAP.LDAPServerPort: 10390
              thrift.tcp.port: 7650
              carbon.http.port: 9780
            """, path: "moved.yaml").makePolicy()
        XCTAssertEqual(fromHome.catalog, fromFile.catalog)
        for (port, key) in [(9904, "Ports.JMX.RMIRegistryPort"), (10395, "Ports.EmbeddedLDAP.LDAPServerPort"),
                            (7655, "thrift.tcp.port"), (9785, "carbon.http.port"), (9448, "carbon.https.port")] {
            XCTAssertEqual(fromHome.expectedEntries(at: UInt16(port)).map(\.key), [key], "\(port)")
        }
        for port: UInt16 in [10004, 10394, 7616, 9768] {
            XCTAssertEqual(fromHome.expectedEntries(at: port), [], "the stock port \(port) is no longer expected")
        }
    }

    func testJMXOffLeavesItsPortsUnexpected() throws {
        let copy = try scratchCopy()
        try edit(copy, "etc/jmx.xml", "<StartRMIServer>true</StartRMIServer>", "<StartRMIServer>false</StartRMIServer>")
        let settings = try DASInstallation.read(home: copy)
        XCTAssertEqual(settings.features[.jmx], false)
        XCTAssertEqual(settings.origins["features.jmx"]?.line, 22)
        let policy = try settings.makePolicy()
        XCTAssertEqual(policy.expectedEntries(at: 9904), [], "the registry is not bound")
        XCTAssertEqual(policy.expectedEntries(at: 11116), [], "nor the RMI server")
        // Not said (no jmx.xml): on, as the stock configuration has it.
        try FileManager.default.removeItem(atPath: "\(copy)/repository/conf/etc/jmx.xml")
        let stock = try DASInstallation.read(home: copy).makePolicy()
        XCTAssertNil(stock.features[.jmx])
        XCTAssertEqual(stock.expectedEntries(at: 11116).map(\.key), ["Ports.JMX.RMIServerPort"])
        XCTAssertTrue(stock.mustBeBound(stock.catalog.first { $0.key == "Ports.JMX.RMIServerPort" }!),
                      "an unused JMX port stays a low finding, as before the jmx feature")
    }

    /// JMXServerManager binds a number in jmx.xml as it is; only `${...}` gets the offset.
    func testANumberInJMXXMLIsBoundWithoutTheOffset() throws {
        let copy = try scratchCopy()
        try edit(copy, "etc/jmx.xml", "<RMIServerPort>${Ports.JMX.RMIServerPort}</RMIServerPort>",
                 "<RMIServerPort>11200</RMIServerPort>")
        let settings = try DASInstallation.read(home: copy)
        XCTAssertEqual(settings.basePorts["Ports.JMX.RMIServerPort"], 11195)
        XCTAssertEqual(settings.origins["ports.Ports.JMX.RMIServerPort"]?.description, "\(copy)/repository/conf/etc/jmx.xml:31")
        XCTAssertEqual(try settings.makePolicy().expectedEntries(at: 11200).map(\.key), ["Ports.JMX.RMIServerPort"])
    }

    /// A node started with `-DportOffset` (dasaudit's `--offset`), whatever carbon.xml's
    /// offset, a number or a placeholder: JMXServerManager still binds jmx.xml's number as
    /// it is, so the expected port is that number under every offset.
    func testANumberInJMXXMLStaysPutUnderTheOffsetOption() throws {
        for (carbonOffset, given) in [("5", 3), ("5", 0), ("0", 5), ("${portOffset}", 3)] {
            let copy = try scratchCopy()
            try edit(copy, "carbon.xml", "<Offset>5</Offset>", "<Offset>\(carbonOffset)</Offset>")
            try edit(copy, "etc/jmx.xml", "<RMIServerPort>${Ports.JMX.RMIServerPort}</RMIServerPort>",
                     "<RMIServerPort>11200</RMIServerPort>")
            var commandLine = PolicySettings()
            commandLine.offset = given
            let policy = try DASInstallation.read(home: copy, commandLineOffset: given).overlaid(with: commandLine).makePolicy()
            XCTAssertEqual(policy.offset, given)
            XCTAssertEqual(policy.expectedEntries(at: 11200).map(\.key), ["Ports.JMX.RMIServerPort"],
                           "carbon.xml offset \(carbonOffset), --offset \(given)")
            XCTAssertEqual(policy.expectedEntries(at: UInt16(9899 + given)).map(\.key), ["Ports.JMX.RMIRegistryPort"],
                           "the ${...} template in jmx.xml takes the offset the node runs with")
        }
    }

    /// Carbon starts every `<Connector>` of catalina-server.xml, not only the first of each
    /// scheme that the console's keys take: the further ones are allowed where the node
    /// binds them (port + the offset it runs with), with what each speaks on the wire.
    func testFurtherTomcatConnectorsAreAllowedWhereTheNodeBindsThem() throws {
        let connectors = URL(fileURLWithPath: home).deletingLastPathComponent().appendingPathComponent("das-home-connectors").path
        let catalina = "\(connectors)/repository/conf/tomcat/catalina-server.xml"
        let settings = try DASInstallation.read(home: connectors)
        XCTAssertEqual(settings.allowedPorts, [
            9548: "Tomcat connector (catalina-server.xml, port 9543 + offset 5)",
            8285: "Tomcat connector (catalina-server.xml, port 8280 + offset 5)",
            8014: "Tomcat connector (catalina-server.xml, port 8009 + offset 5)",
        ])
        XCTAssertEqual(settings.allowedProtocols, [9548: .tls, 8285: .http], "SSLEnabled is TLS; AJP is nothing checked")
        XCTAssertEqual(["9548", "8285", "8014"].map { settings.origins["allow.\($0)"]?.description },
                       [catalina + ":99", catalina + ":110", catalina + ":113"])
        XCTAssertEqual(settings.basePorts["carbon.http.port"], 9763, "the console's connectors stay its catalog keys")
        XCTAssertEqual(settings.basePorts["carbon.https.port"], 9443)
        let underOption = try DASInstallation.read(home: connectors, commandLineOffset: 2)
        XCTAssertEqual(underOption.allowedPorts.keys.sorted(), [8011, 8282, 9545], "-DportOffset=2 moves them all")
    }

    func testAPortThatIsNotANumberIsNamedWithItsLine() throws {
        let copy = try scratchCopy()
        try edit(copy, "tomcat/catalina-server.xml", "port=\"9780\"", "port=\"97x0\"")
        XCTAssertThrowsError(try DASInstallation.read(home: copy)) { error in
            XCTAssertEqual("\(error)", "\(copy)/repository/conf/tomcat/catalina-server.xml:29: <Connector scheme=\"http\" port> "
                + "is '97x0'; expected a port from 1 to 65535")
        }
        try edit(copy, "tomcat/catalina-server.xml", "port=\"97x0\"", "port=\"9780\"")
        try edit(copy, "data-bridge/data-bridge-config.xml", "<config name=\"sslPort\">9711</config>",
                 "<config name=\"SSLPORT\">70000</config>")
        XCTAssertThrowsError(try DASInstallation.read(home: copy)) { error in
            XCTAssertEqual("\(error)", "\(copy)/repository/conf/data-bridge/data-bridge-config.xml:64: <dataReceiver "
                + "name=\"Binary\"><config name=\"sslPort\"> is '70000'; expected a port from 1 to 65535",
                "config names match in any letter case, as DataReceiver.getConfiguration does")
        }
    }

    /// A `${...}` placeholder where a port goes is filled in from the node's start-up
    /// environment, which the audit cannot see: said as such, with the way out, not as a
    /// malformed number.
    func testAPlaceholderPortIsSaidToBeOne() throws {
        let copy = try scratchCopy()
        try edit(copy, "tomcat/catalina-server.xml", "port=\"9780\"", "port=\"${http.port}\"")
        try edit(copy, "carbon.xml", "<RMIRegistryPort>9899</RMIRegistryPort>", "<RMIRegistryPort>${jmx.port}</RMIRegistryPort>")
        XCTAssertThrowsError(try DASInstallation.read(home: copy)) { error in
            XCTAssertEqual("\(error)", "\(copy)/repository/conf/carbon.xml:133: <Ports><JMX><RMIRegistryPort> is '${jmx.port}', "
                + "a placeholder DAS fills in at start-up from a system property (-Dname=value) or an environment variable; "
                + "the audit cannot see it, so write the port the node uses in a copy of the installation's file and give "
                + "that copy to --das-home")
        }
        try edit(copy, "carbon.xml", "<RMIRegistryPort>${jmx.port}</RMIRegistryPort>", "<RMIRegistryPort>9899</RMIRegistryPort>")
        XCTAssertThrowsError(try DASInstallation.read(home: copy)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(copy)/repository/conf/tomcat/catalina-server.xml:29: <Connector scheme=\"http\" "
                + "port> is '${http.port}', a placeholder DAS fills in at start-up"), "\(error)")
        }
    }

    private func scratchCopy() throws -> String {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("das-home-moved-\(UUID())")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: home), to: copy)
        addTeardownBlock { try? FileManager.default.removeItem(at: copy) }
        return copy.path
    }

    private func edit(_ home: String, _ file: String, _ old: String, _ new: String) throws {
        let path = "\(home)/repository/conf/\(file)"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.contains(old), "\(file) holds \(old)")
        try text.replacingOccurrences(of: old, with: new).write(toFile: path, atomically: true, encoding: .utf8)
    }
}
