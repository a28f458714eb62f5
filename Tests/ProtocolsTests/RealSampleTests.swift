import Protocols
import XCTest

/// Every recognizer on the first bytes of real connections (RealSamples.swift, from the
/// captures in captures/), whole and cut at every length.
final class RealSampleTests: XCTestCase {
    let expected: [String: ProtocolEvidence] = [
        "thriftCompact": ProtocolEvidence(.thrift),
        "thriftBinaryFramed": ProtocolEvidence(.thrift),
        "thriftBinaryOldStyle": ProtocolEvidence(.thrift),
        "thriftBinaryUnframed": ProtocolEvidence(.thrift),
        "tls10": ProtocolEvidence(.tls, tlsVersion: .tls10),
        "tls11": ProtocolEvidence(.tls, tlsVersion: .tls11),
        "tls12": ProtocolEvidence(.tls, tlsVersion: .tls12),
        "tls13": ProtocolEvidence(.tls, tlsVersion: .tls13),
        "tls13Thrift": ProtocolEvidence(.tls, tlsVersion: .tls13),
        "http": ProtocolEvidence(.http),
        "httpOnThriftPort": ProtocolEvidence(.http),
        "http2Preface": ProtocolEvidence(.http2),
        "ssh": ProtocolEvidence(.ssh),
        "jrmi": ProtocolEvidence(.jrmi),
        "sparkRPC": ProtocolEvidence(.sparkRPC),
        "sparkBlockManager": ProtocolEvidence(.sparkRPC),
        "py4jAuth": ProtocolEvidence(.other),
        "ssl3": ProtocolEvidence(.tls, tlsVersion: .ssl3),
        "sslv2FormatHello": ProtocolEvidence(.tls, tlsVersion: .tls12),
        "hazelcastClient5": ProtocolEvidence(.hazelcast),
        "hazelcastClient3": ProtocolEvidence(.hazelcast),
        "redisSet": ProtocolEvidence(.redis),
        "mysql": ProtocolEvidence(.mysql),
        "ldapSearch": ProtocolEvidence(.ldap),
        "ldapBind": ProtocolEvidence(.ldap),
        "postgresqlSSLRequest": ProtocolEvidence(.postgresql),
        "postgresqlStartup": ProtocolEvidence(.postgresql),
    ]

    func testEveryRealSampleIsRecognized() {
        XCTAssertEqual(Set(expected.keys), Set(RealSamples.all.map(\.name)))
        for sample in RealSamples.all {
            XCTAssertEqual(recognize(sample), expected[sample.name], sample.name)
        }
    }

    /// Each side cut by the capture at every length (the other whole, cut too, or absent):
    /// never a crash, never another protocol; `unknown` at most, and a TLS version is the
    /// right one or none.
    func testEveryTruncationIsTheSameProtocolOrUnknown() {
        var checked = 0
        for sample in RealSamples.all {
            let want = expected[sample.name]!
            for clientLength in 0...sample.client.count {
                for serverLength in [0, sample.server.count / 2, sample.server.count] + Array(0...min(sample.server.count, 96)) {
                    let got = recognize(
                        client: Array(sample.client.prefix(clientLength)), server: Array(sample.server.prefix(serverLength)),
                        clientSent: !sample.client.isEmpty, serverSent: !sample.server.isEmpty,
                        clientCut: clientLength < sample.client.count, serverCut: serverLength < sample.server.count)
                    let context = "\(sample.name) cut at \(clientLength)/\(serverLength)"
                    XCTAssertTrue(got.name == want.name || got.name == .unknown, "\(context): \(got)")
                    if let version = got.tlsVersion { XCTAssertEqual(version, want.tlsVersion, context) }
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 90_000)
    }

    /// Cut by the sample's size rather than by the capture, the same bytes are not
    /// `unknown`: the bytes a recognizer needs are in the first 96.
    func testNinetySixBytesAreEnoughForEveryRealSample() {
        for sample in RealSamples.all {
            let got = recognize(client: Array(sample.client.prefix(96)), server: Array(sample.server.prefix(96)))
            XCTAssertEqual(got, expected[sample.name], sample.name)
        }
    }

    func testTLSVersionNeedsTheServerHelloUpToItsCipherSuite() {
        // OpenSSL's TLS 1.3 ServerHello echoes a 32-byte session id: the cipher suite
        // (0x1302) is at 76..<78, supported_versions at 81..<87.
        let sample = RealSamples.tls13
        XCTAssertEqual(Array(sample.server[76..<78]), [0x13, 0x02])
        for length in 0..<78 {
            let got = recognize(client: sample.client, server: Array(sample.server.prefix(length)), serverCut: true)
            XCTAssertEqual(got, ProtocolEvidence(.tls), "server cut at \(length)")
        }
        for length in 78...sample.server.count {
            let got = recognize(client: sample.client, server: Array(sample.server.prefix(length)))
            XCTAssertEqual(got, ProtocolEvidence(.tls, tlsVersion: .tls13), "server cut at \(length)")
        }
    }

    func testTLS12HelloWithA12SuiteIs12AsSoonAsTheSuiteIsThere() {
        let sample = RealSamples.tls12
        let cipherSuite = 44 + Int(sample.server[43])
        XCTAssertEqual(recognize(client: sample.client, server: Array(sample.server.prefix(cipherSuite + 1))).tlsVersion, nil)
        XCTAssertEqual(recognize(client: sample.client, server: Array(sample.server.prefix(cipherSuite + 2))).tlsVersion, .tls12)
    }

    /// SSL 3.0 from a real stack (tlslite-ng on both ends): the record and hello versions
    /// say 3.0, and that is a deprecated version.
    func testSSLv3FromTlsliteIsDeprecated() {
        let sample = RealSamples.ssl3
        XCTAssertEqual(Array(sample.server[9..<11]), [3, 0], "the ServerHello's version")
        let got = recognize(sample)
        XCTAssertEqual(got.tlsVersion, .ssl3)
        XCTAssertTrue(got.tlsVersion?.isDeprecated == true)
        // The version is in the first 11 bytes: a capture cut to 30 payload bytes keeps it.
        XCTAssertEqual(recognize(client: sample.client, server: Array(sample.server.prefix(11)), serverCut: true).tlsVersion, .ssl3)
        XCTAssertEqual(recognize(client: sample.client, server: Array(sample.server.prefix(10)), serverCut: true).tlsVersion, nil)
    }

    /// The JDK's SSLv2-format ClientHello (2-byte header with the top bit set, CLIENT-HELLO,
    /// version 3.3) is TLS on its own, before any answer; the answer says which version.
    func testTheJDKsSSLv2FormatHelloIsTLSWithoutTheServersAnswer() {
        let sample = RealSamples.sslv2FormatHello
        XCTAssertEqual(Array(sample.client[0..<5]), [0x80, 0x95, 0x01, 0x03, 0x03])
        XCTAssertEqual(recognize(client: sample.client, server: [], serverSent: false), ProtocolEvidence(.tls))
        XCTAssertEqual(recognize(client: Array(sample.client.prefix(5)), server: [], serverSent: false, clientCut: true),
                       ProtocolEvidence(.tls))
        XCTAssertEqual(recognize(client: Array(sample.client.prefix(4)), server: [], serverSent: false, clientCut: true),
                       .unknown)
    }

    /// Hazelcast's 3.x client sends its 3-byte header alone in the first segment: those 3
    /// bytes are enough, fewer are not.
    func testHazelcastClientHeadersOfBothGenerations() {
        XCTAssertEqual(RealSamples.hazelcastClient3.client, Array("CB2".utf8))
        XCTAssertEqual(Array(RealSamples.hazelcastClient5.client.prefix(3)), Array("CP2".utf8))
        XCTAssertEqual(recognize(client: Array("CB".utf8), server: [], serverSent: false, clientCut: true), .unknown)
        XCTAssertEqual(recognize(client: Array("CB".utf8), server: [], serverSent: false), .other)
    }

    /// HTTP on the thrift port: text, not a thrift message, whichever way it is read.
    func testHTTPIsNotThrift() {
        let sample = RealSamples.httpOnThriftPort
        XCTAssertEqual(recognize(client: sample.client, server: []), ProtocolEvidence(.http))
        XCTAssertEqual(recognize(client: [], server: sample.server, clientSent: false), ProtocolEvidence(.http))
    }

    /// The server's half alone names some protocols (SSH, HTTP responses, Spark RPC
    /// replies, TLS ServerHellos), as when the client's segment was lost or cut to nothing.
    func testServerHalfAloneWhenTheClientsBytesWereNotCaptured() {
        for name in ["ssh", "http", "sparkRPC", "tls12", "tls13"] {
            let sample = RealSamples.all.first { $0.name == name }!
            let got = recognize(client: [], server: sample.server, clientSent: true, clientCut: true)
            XCTAssertEqual(got.name, expected[name]!.name, name)
        }
    }
}
