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
            XCTAssertEqual("\(error)", "p.yaml:2: 'tsl' is not a protocol dasaudit recognizes (allowed port 8443); did you mean tls? expected one of "
                + "tls, http, http2, thrift, spark-rpc, akka, hazelcast, jrmi, ssh, postgresql, mysql, redis, ldap")
        }
        XCTAssertThrowsError(try PolicyFile.parse("allow:\n  - {port: 1, protocol: other, reason: r}\n", path: "p.yaml"))
    }

    /// Regression: the last of two entries for one port won silently, and a later entry
    /// without `protocol` kept the earlier entry's.
    func testAPortAllowedTwiceIsAnErrorNamingBothEntries() {
        let text = """
            allow:
              - {port: 8443, protocol: tls, reason: a}
              - {port: 22, reason: ssh}
              - {port: 8443, reason: b}
            """
        XCTAssertThrowsError(try PolicyFile.parse(text, path: "p.yaml")) { error in
            XCTAssertEqual("\(error)", "p.yaml:4: port 8443 is allowed twice, by 'a' (protocol tls) at line 2 and by 'b' "
                + "(no protocol) here; a port takes one allow entry: keep the one that says why the port is open and what it speaks")
        }
    }

    /// Regression: `protocol: [tls, http]` said "'' is not a protocol".
    func testAListOfProtocolsIsAnErrorSayingOneIsStated() {
        let text = "allow:\n  - port: 8443\n    protocol: [tls, http]\n    reason: x\n"
        XCTAssertThrowsError(try PolicyFile.parse(text, path: "p.yaml")) { error in
            XCTAssertEqual("\(error)", "p.yaml:3: the protocol of allowed port 8443 is a list (tls, http), not one name; an "
                + "allowed port states one protocol, or none to leave what it speaks unchecked; expected one of "
                + "tls, http, http2, thrift, spark-rpc, akka, hazelcast, jrmi, ssh, postgresql, mysql, redis, ldap")
        }
        XCTAssertThrowsError(try PolicyFile.parse("allow:\n  - {port: 1, protocol: {a: b}, reason: r}\n", path: "p.yaml")) { error in
            XCTAssertTrue("\(error)".hasPrefix("p.yaml:2: the protocol of allowed port 1 is a mapping, not one name"), "\(error)")
        }
    }

    /// A later source's entry for a port (`--allow PORT:REASON` over the file) replaces the
    /// file's whole, protocol included, and the note says what was replaced.
    func testALaterSourcesEntryReplacesTheWholeEntry() throws {
        let file = try PolicyFile.parse("allow:\n  - {port: 22, protocol: ssh, reason: ops}\n", path: "p.yaml")
        var commandLine = PolicySettings()
        commandLine.allowedPorts = [22: "operator ssh"]
        commandLine.origins["allow.22"] = SettingOrigin(source: "--allow")
        let policy = try file.overlaid(with: commandLine).makePolicy()
        XCTAssertEqual(policy.allowedPorts, [22: "operator ssh"])
        XCTAssertEqual(policy.allowedProtocols, [:], "the file's protocol is not kept under the new reason")
        XCTAssertEqual(file.overrides(by: commandLine).map(\.description),
                       ["allow.22 'operator ssh' (no protocol) from --allow overrides 'ops' (protocol ssh) from p.yaml:2"])
    }

    /// What `dasaudit ports` says an opening speaks follows the same rule as the findings.
    func testAnAllowedProtocolIsWhatTheOpeningSpeaks() throws {
        let policy = try PolicyFile.parse("allow:\n  - {port: 7611, protocol: tls, reason: r}\n", path: "p.yaml").makePolicy()
        XCTAssertEqual(policy.expectedProtocol(port: 7611, key: "thrift.tcp.port"), .tls)
        XCTAssertEqual(policy.expectedProtocol(port: 7711, key: "thrift.ssl.port"), .tls)
        XCTAssertEqual(policy.expectedProtocol(port: 7612, key: "thrift.tcp.port"), .thrift)
        XCTAssertNil(policy.expectedProtocol(port: 22, key: nil))
    }

    /// HTTP/1.x and HTTP/2 in the clear satisfy each other, both ways; nothing else mixes.
    func testTheHTTPFamilyIsSymmetric() {
        XCTAssertTrue(ProtocolName.http.satisfies(.http2))
        XCTAssertTrue(ProtocolName.http2.satisfies(.http))
        XCTAssertFalse(ProtocolName.tls.satisfies(.http))
        XCTAssertFalse(ProtocolName.http.satisfies(.tls))
        for name in ProtocolName.allCases { XCTAssertTrue(name.satisfies(name)) }
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
