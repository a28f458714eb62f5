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
        // Python's http.server answers the preface with its HTML error page: HTTP/1 listens.
        "http2Preface": ProtocolEvidence(.http),
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
        // The two sides disagree: the server's bytes decide.
        "httpsToPlainNginx": ProtocolEvidence(.http),
        "httpToTLSNginx": ProtocolEvidence(.http),
        "httpsToPythonHTTPServer": ProtocolEvidence(.http),
        "httpToSilentTLSServer": ProtocolEvidence(.http),
        "httpToJSSEServer": ProtocolEvidence(.tls),
        "thriftMultiplexedBinaryFramed": ProtocolEvidence(.thrift),
        "thriftMultiplexedCompact": ProtocolEvidence(.thrift),
        "tlsMidStream": ProtocolEvidence(.tls),
        "tlsMidStreamHTTP": ProtocolEvidence(.tls),
        // A load balancer's PROXY protocol header is not the client's protocol: what follows
        // it is, or, where it filled the segment, the server's answer.
        "proxyV1HealthCheck": .unknown,
        "proxyV2HealthCheck": .unknown,
        "proxyV1ToTLS": ProtocolEvidence(.tls, tlsVersion: .tls12),
        "proxyV2ToTLS": ProtocolEvidence(.tls, tlsVersion: .tls12),
        "proxyV1ToHTTP": ProtocolEvidence(.http),
        "proxyV1TCP6ToTLS": ProtocolEvidence(.tls, tlsVersion: .tls12),
        "proxyV1PlaintextToTLS": ProtocolEvidence(.http),
        "proxyV1AndRequestToSilentTLS": ProtocolEvidence(.http),
        // A hello answered in the clear: no TLS listens. Unanswered, it tells nothing more.
        "helloAnsweredByFTPBanner": ProtocolEvidence(.other),
        "helloAnsweredBySMTPBanner": ProtocolEvidence(.other),
        "helloToSilentRedis": ProtocolEvidence(.tls),
    ]

    func testEveryRealSampleIsRecognized() {
        XCTAssertEqual(Set(expected.keys), Set(RealSamples.all.map(\.name)))
        for sample in RealSamples.all {
            XCTAssertEqual(recognize(sample), expected[sample.name], sample.name)
        }
    }

    /// Each side cut by the capture at every length, independently of the other's (whole,
    /// cut at every length too, or absent): never a crash, never another protocol; `unknown`
    /// at most, and a TLS version is the right one or none. The samples whose two sides
    /// disagree (a ClientHello answered by a plaintext 400, a plaintext request answered
    /// by a TLS alert) are where a cut side used to let the other side's protocol win.
    func testEveryTruncationIsTheSameProtocolOrUnknown() {
        var checked = 0
        for sample in RealSamples.all {
            let want = expected[sample.name]!
            for clientLength in 0...sample.client.count {
                for serverLength in 0...sample.server.count {
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
        XCTAssertGreaterThan(checked, 200_000)
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
            let got = recognize(client: sample.client, server: Array(sample.server.prefix(length)), serverSent: true,
                                serverCut: true)
            // Until its bytes rule out every other protocol (MySQL's handshake, whose length's
            // third byte is 0, until 3 bytes), the server might have spoken another: the
            // client's hello does not decide for it.
            XCTAssertEqual(got, length < 3 ? .unknown : ProtocolEvidence(.tls), "server cut at \(length)")
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

    /// A JSSE server answers a plaintext request with the alert `15 03 03 00 02`: TLS
    /// listens. Cut to 4 bytes the alert is undecided, and the request's `GET ` must not
    /// win: `unknown` (it was `http`, a false `plaintext-on-tls-port`).
    func testAServerCutWhileUndecidedLetsNoOtherProtocolWin() {
        let sample = RealSamples.httpToJSSEServer
        XCTAssertEqual(sample.server, [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0a])
        for length in 0..<5 {
            XCTAssertEqual(recognize(client: sample.client, server: Array(sample.server.prefix(length)), serverSent: true,
                                     serverCut: true), .unknown, "server cut at \(length)")
        }
        XCTAssertEqual(recognize(client: sample.client, server: Array(sample.server.prefix(5)), serverCut: true),
                       ProtocolEvidence(.tls))
        // The server's bytes say nothing, whole: the client's protocol names the connection.
        XCTAssertEqual(recognize(client: sample.client, server: [0x00, 0x01]), ProtocolEvidence(.http))
    }

    /// The client's hello does not name a port whose server answered in plaintext (nginx
    /// without `ssl` behind carbon.https.port, Python's http.server on an unexpected port),
    /// and a silent server lets the client's
    /// plaintext request name the connection.
    func testTheServersBytesDecideWhenTheSidesDisagree() {
        XCTAssertEqual(recognize(RealSamples.httpsToPlainNginx), ProtocolEvidence(.http))
        XCTAssertEqual(recognize(client: RealSamples.httpsToPlainNginx.client, server: [], serverSent: false),
                       ProtocolEvidence(.tls))
        XCTAssertEqual(recognize(RealSamples.httpToSilentTLSServer), ProtocolEvidence(.http))
        // Python's http.server answers a hello, or an HTTP/2 preface, with its error page
        // alone (no status line, as HTTP/0.9 answers): HTTP/1 listens.
        XCTAssertEqual(Array(RealSamples.httpsToPythonHTTPServer.server.prefix(9)), Array("<!DOCTYPE".utf8))
        XCTAssertEqual(recognize(RealSamples.httpsToPythonHTTPServer), ProtocolEvidence(.http))
        XCTAssertEqual(recognize(RealSamples.http2Preface), ProtocolEvidence(.http))
        XCTAssertEqual(recognize(client: RealSamples.http2Preface.client, server: [], serverSent: false),
                       ProtocolEvidence(.http2))
    }

    /// A TLS server answers a hello with a TLS record or with nothing: a line of text back
    /// (vsftpd's, an SMTP server's banner) says a plaintext service listens, whatever the
    /// client sent; the connection is `other` (it was `tls`, and the TLS port passed), or
    /// `unknown` picked up mid-stream, as bytes no recognizer knows are there. Binary bytes
    /// back prove nothing (the middle of a record whose start the capture lost), and the
    /// hello names the connection, as it does when the server says nothing (Redis reading
    /// the hello as an unfinished command).
    func testAHelloAnsweredInTheClearIsNoTLS() {
        for sample in [RealSamples.helloAnsweredByFTPBanner, RealSamples.helloAnsweredBySMTPBanner] {
            XCTAssertEqual(Array(sample.server.prefix(4)), Array("220 ".utf8), sample.name)
            XCTAssertEqual(recognize(client: sample.client, server: [], serverSent: false), ProtocolEvidence(.tls), sample.name)
            XCTAssertEqual(recognize(sample), ProtocolEvidence(.other), sample.name)
            // Cut by the capture before 16 bytes, the text might still turn binary: `unknown`; from
            // 16 (`tcpdump -s 96` keeps 30) it is a line.
            for length in 0..<sample.server.count {
                XCTAssertEqual(recognize(client: sample.client, server: Array(sample.server.prefix(length)), serverSent: true,
                                         serverCut: true), length < 16 ? .unknown : ProtocolEvidence(.other),
                               "\(sample.name) cut at \(length)")
            }
            XCTAssertEqual(recognize(client: sample.client, server: sample.server, fromStart: false), .unknown, sample.name)
        }
        XCTAssertEqual(recognize(RealSamples.helloToSilentRedis), ProtocolEvidence(.tls))
        // Binary bytes back, as the ServerHello's record continued past a segment the capture
        // lost, are no proof: the hello names the connection.
        let hello = RealSamples.tls12
        for dropped in [5, 9, 43, 60] {
            XCTAssertEqual(recognize(client: hello.client, server: Array(hello.server.dropFirst(dropped))), ProtocolEvidence(.tls),
                           "server bytes from \(dropped)")
        }
        // Nor is text that turns binary within 16 bytes (the fuzz target's find: bytes of
        // nmap's probe, "random3random4" then zeros), however the capture cut it.
        let textThenBinary = Array("ndom3random4".utf8) + [0, 0, 0x0c, 0, 0x2f, 0]
        XCTAssertEqual(recognize(client: hello.client, server: textThenBinary), ProtocolEvidence(.tls))
        for length in 0..<textThenBinary.count {
            let cut = recognize(client: hello.client, server: Array(textThenBinary.prefix(length)), serverSent: true, serverCut: true)
            XCTAssertTrue(cut == ProtocolEvidence(.tls) || cut == .unknown, "cut at \(length): \(cut)")
        }
        // A TLS record back, an alert included, is TLS.
        XCTAssertEqual(recognize(client: RealSamples.tls12.client, server: RealSamples.httpToJSSEServer.server), ProtocolEvidence(.tls))
    }

    /// TLS records of every content type from either side are TLS, without a version; a
    /// connection picked up mid-stream whose first captured bytes no recognizer knows is
    /// `unknown`, not `other` (they may continue a record begun before the capture).
    func testTLSRecordsOfEveryContentTypeAndMidStreamBytes() {
        let midStream = RealSamples.tlsMidStream.client
        XCTAssertEqual(recognize(client: midStream, server: [], serverSent: false), ProtocolEvidence(.tls))
        XCTAssertEqual(recognize(client: [], server: midStream, clientSent: false), ProtocolEvidence(.tls))
        for type: UInt8 in [20, 21, 22, 23] {
            XCTAssertEqual(recognize(client: [type, 3, 3, 0, 1, 1], server: []), ProtocolEvidence(.tls), "type \(type)")
        }
        for notTLS: [UInt8] in [[24, 3, 3, 0, 1, 1], [23, 2, 3, 0, 1, 1], [23, 3, 5, 0, 1, 1], [23, 3, 3, 0, 0]] {
            XCTAssertEqual(recognize(client: notTLS, server: []), .other, "\(notTLS)")
        }
        // The middle of a record: the tail of the same application data.
        let tail = Array(midStream.dropFirst(5))
        XCTAssertEqual(recognize(client: tail, server: [], serverSent: false), .other)
        XCTAssertEqual(recognize(client: tail, server: [], serverSent: false, fromStart: false), .unknown)
        XCTAssertEqual(recognize(client: midStream, server: [], serverSent: false, fromStart: false), ProtocolEvidence(.tls))
    }
}
