import Policy
import Protocols
import XCTest

/// `allow: [{port, protocol, reason}]`: an allowed port may state what it speaks.
final class AllowedProtocolTests: XCTestCase {
    func testAnAllowedPortMayStateItsProtocol() throws {
        let text = """
            allow:
              - {port: 8443, protocol: tls, reason: the reverse proxy}
              - {port: 22, reason: operator ssh}
            """
        let policy = try PolicyFile.parse(text, path: "p.yaml").makePolicy()
        XCTAssertEqual(policy.allowedProtocols, [8443: .tls])
        XCTAssertEqual(policy.allowedPorts[22], "operator ssh")
    }

    func testAnUnknownProtocolIsAnErrorWithItsLineAndTheNames() {
        let text = "allow:\n  - {port: 8443, protocol: tsl, reason: proxy}\n"
        XCTAssertThrowsError(try PolicyFile.parse(text, path: "p.yaml")) { error in
            XCTAssertEqual("\(error)", "p.yaml:2: 'tsl' is not a protocol dasaudit recognizes; did you mean tls? expected one of "
                + "tls, http, http2, thrift, spark-rpc, akka, hazelcast, jrmi, ssh, postgresql, mysql, redis, ldap")
        }
        XCTAssertThrowsError(try PolicyFile.parse("allow:\n  - {port: 1, protocol: other, reason: r}\n", path: "p.yaml"))
    }

    func testTheCatalogStatesWhatItsPortsSpeak() {
        XCTAssertEqual(PortProtocols.expected(key: "thrift.ssl.port", profileName: "das"), .tls)
        XCTAssertEqual(PortProtocols.expected(key: "spark.driver.port", profileName: "das"), .sparkRPC)
        XCTAssertEqual(PortProtocols.expected(key: "Ports.EmbeddedLDAP.LDAPServerPort", profileName: "das"), .ldap)
        XCTAssertEqual(PortProtocols.expected(key: "spark.driver.port", profileName: "das-3.0"), .akka)
        XCTAssertEqual(PortProtocols.expected(key: "spark.fileserver.port", profileName: "das-3.1"), .http)
        XCTAssertNil(PortProtocols.expected(key: "ha.eventSync.port", profileName: "das"))
        // Every key the table names is a key of some profile's catalog.
        let keys = Set(Profile.all.flatMap { $0.catalog.map(\.key) })
        for key in PortProtocols.statedKeys { XCTAssertTrue(keys.contains(key), key) }
    }
}
