@testable import Protocols
import XCTest

/// The generic protocols named by hand (PostgreSQL, MySQL, Redis, LDAP) on the real bytes
/// of captures/databases-lo.pcap: what each recognizer needs, and the look-alikes it
/// must leave alone. (Every real sample, whole and cut at every length: RealSampleTests.)
final class GenericProtocolTests: XCTestCase {
    /// libpq's SSLRequest is 8 bytes; the server's one-byte 'N' is not needed to name it.
    func testPostgreSQLRequestsFromTheClientAlone() {
        XCTAssertEqual(RealSamples.postgresqlSSLRequest.client, [0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F])
        XCTAssertEqual(recognize(client: RealSamples.postgresqlSSLRequest.client, server: []), ProtocolEvidence(.postgresql))
        XCTAssertEqual(recognize(client: RealSamples.postgresqlStartup.client, server: [], serverSent: false),
                       ProtocolEvidence(.postgresql))
        // An SSLRequest code with another length is not PostgreSQL.
        var wrongLength = RealSamples.postgresqlSSLRequest.client
        wrongLength[3] = 9
        XCTAssertEqual(recognize(client: wrongLength, server: []), .other)
    }

    /// MariaDB's handshake is named once its version text ends; cut before its NUL (30
    /// payload bytes at snaplen 96 hold "5.5.5-10.11.19-MariaDB-0+" only) it is `unknown`.
    func testMySQLHandshakeNeedsTheWholeVersion() {
        let server = RealSamples.mysql.server
        let nul = server[5...].firstIndex(of: 0)!
        XCTAssertEqual(recognize(client: [], server: Array(server.prefix(nul + 1)), clientSent: false), ProtocolEvidence(.mysql))
        XCTAssertEqual(recognize(client: [], server: Array(server.prefix(30)), clientSent: false, serverCut: true), .unknown)
        // The client's half (its handshake response) says nothing on its own.
        XCTAssertEqual(recognize(client: RealSamples.mysql.client, server: []), .other)
    }

    /// redis-cli's command arrays; an inline command or a bare reply is not enough.
    func testRedisCommandArrays() {
        XCTAssertEqual(recognize(client: Array("*1\r\n$4\r\nPING\r\n".utf8), server: []), ProtocolEvidence(.redis))
        XCTAssertEqual(recognize(client: Array("PING\r\n".utf8), server: Array("+PONG\r\n".utf8)), .other)
        XCTAssertEqual(recognize(client: Array("*0\r\n".utf8), server: []), .other)
        XCTAssertEqual(recognize(client: Array("* 1 2 3\r\n".utf8), server: []), .other)
    }

    /// An LDAP message from either side: slapd's bindResponse alone names the connection;
    /// text that starts with "0" is not BER.
    func testLDAPFromEitherSide() {
        XCTAssertEqual(recognize(client: [], server: RealSamples.ldapBind.server, clientSent: true, clientCut: true),
                       ProtocolEvidence(.ldap))
        XCTAssertEqual(recognize(client: Array("0 OK ready\r\n".utf8), server: []), .other)
        XCTAssertEqual(recognize(client: Array("0\u{0C}hello world".utf8), server: []), .other)
    }
}
