@testable import Protocols
import XCTest

/// What the recognizer says when no recognizer can: none, unknown, other; and what no
/// real capture here holds (an SSLv2 handshake proper, Akka remoting, Hazelcast's member
/// header), on bytes built from their specifications.
final class ProtocolRecognizerTests: XCTestCase {
    func testNoPayloadEitherWayIsNone() {
        XCTAssertEqual(recognize(client: [], server: [], clientSent: false, serverSent: false), .none)
    }

    func testPayloadSentButNotCapturedIsUnknown() {
        XCTAssertEqual(recognize(client: [], server: [], clientSent: true, serverSent: false, clientCut: true), .unknown)
        XCTAssertEqual(recognize(client: [], server: [], clientSent: true, serverSent: true, clientCut: true, serverCut: true),
                       .unknown)
    }

    func testUnrecognizedBytesAreOther() {
        let text = Array("RegisterWorker worker-das2 127.0.0.2:11004 cores=2\n".utf8)
        XCTAssertEqual(recognize(client: text, server: text), .other)
        // Cut by the capture, but already decided: not thrift, not TLS, not anything.
        XCTAssertEqual(recognize(client: Array(text.prefix(10)), server: [], serverSent: false, clientCut: true), .other)
    }

    /// A text line that starts like Hazelcast's header is not Hazelcast (the bundled DAS-like
    /// captures send "HZC join das2 ..." on port 4000).
    func testHazelcastHeadersAndTheTextThatIsNotOne() {
        for header in ["HZC", "CB2", "CP2"] {
            let bytes = Array(header.utf8) + [0x04, 0x00, 0x00]
            XCTAssertEqual(recognize(client: bytes, server: []), ProtocolEvidence(.hazelcast), header)
        }
        XCTAssertEqual(recognize(client: Array("HZC join das2 127.0.0.2:4000\n".utf8), server: []), .other)
    }

    /// Akka 2.3's ASSOCIATE: a 4-byte length, instruction (0x12, length), command type 1,
    /// handshake info (origin address, uid).
    func testAkkaAssociate() {
        let handshake: [UInt8] = [0x12, 0x04, 0x0A, 0x02, 0x08, 0x01]  // a shortened HandshakeInfo
        let control: [UInt8] = [0x08, 0x01] + handshake
        let instruction: [UInt8] = [0x12, UInt8(control.count)] + control
        let frame: [UInt8] = [0, 0, 0, UInt8(instruction.count)] + instruction
        XCTAssertEqual(recognize(client: frame, server: []), ProtocolEvidence(.akka))
        var wrongLength = frame
        wrongLength[3] += 1
        XCTAssertEqual(recognize(client: wrongLength, server: []), .other)
    }

    /// An SSLv2 handshake proper (version 0x0002): no stack that can be installed here
    /// negotiates it (SSL 3.0 and the SSLv2-format hello are recorded, RealSampleTests).
    func testSSLv2Version() {
        // SSLv2: CLIENT-HELLO (2-byte header, type 1, version 0x0002) and SERVER-HELLO
        // (type 4, session-id-hit 0, certificate type 1, version 0x0002).
        let clientHello: [UInt8] = [0x80, 0x2E, 0x01, 0x00, 0x02, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10]
        let serverHello: [UInt8] = [0x83, 0x00, 0x04, 0x00, 0x01, 0x00, 0x02, 0x02, 0xF0]
        XCTAssertEqual(recognize(client: clientHello, server: serverHello), ProtocolEvidence(.tls, tlsVersion: .ssl2))
        XCTAssertTrue(TLSVersion.ssl2.isDeprecated && TLSVersion.ssl3.isDeprecated && TLSVersion.tls11.isDeprecated)
        XCTAssertFalse(TLSVersion.tls12.isDeprecated || TLSVersion.tls13.isDeprecated)
    }

    /// Every prefix of every byte value at each position of a short input: no crash, and
    /// the same answer twice (the fuzz target checks the same on random inputs).
    func testEveryTwoByteInputDecodesWithoutACrash() {
        for first in 0...255 {
            for second in 0...255 {
                let bytes = [UInt8(first), UInt8(second)]
                XCTAssertEqual(recognize(client: bytes, server: bytes, clientCut: true),
                               recognize(client: bytes, server: bytes, clientCut: true))
            }
        }
    }

    /// The quick test of the first byte: a request whose bytes end after it is undecided
    /// exactly when a method starts with it, and no other first byte is HTTP.
    func testHTTPRequestsByTheirFirstByte() {
        let initials = Set(HTTPRecognizer.methods.patterns.map { $0[0] })
        for byte in UInt8.min...UInt8.max {
            [byte].withUnsafeBytes { bytes in
                let match = HTTPRecognizer.request(PayloadBytes(bytes, cutByCapture: true))
                XCTAssertEqual(match, initials.contains(byte) ? .undecided : .no, "first byte \(byte)")
            }
        }
        for method in ["GET /", "POST /", "OPTIONS *", "CONNECT h"] {
            XCTAssertEqual(recognize(client: Array(method.utf8), server: []), ProtocolEvidence(.http), method)
        }
        XCTAssertEqual(recognize(client: Array("GOT /".utf8), server: []), .other)
    }

    /// RTSP, SIP and NATS open with HTTP's methods, then a target HTTP never writes (nDPI's
    /// test captures rtsp.pcap and nats.pcap were named `http` until December 7, 2026);
    /// HTTP's four target forms stay HTTP, and at every length each decodes without a crash,
    /// the method alone answering while the target's first byte is not captured.
    func testTheTargetAfterTheMethodTellsHTTPFromProtocolsThatBorrowItsMethods() {
        let borrowed: [(client: String, server: String)] = [
            ("OPTIONS rtsp://10.2.2.2:8554/stream RTSP/1.0\r\nCSeq: 1\r\n", "RTSP/1.0 200 OK\r\nCSeq: 1\r\n"),
            ("DESCRIBE rtsp://10.2.2.2:8554/stream RTSP/1.0\r\n", "RTSP/1.0 200 OK\r\n"),
            ("OPTIONS sip:bob@192.0.2.4 SIP/2.0\r\nVia: SIP/2.0/TCP 192.0.2.1\r\n", "SIP/2.0 200 OK\r\n"),
            ("CONNECT {\"verbose\":false,\"pedantic\":false}\r\n", "INFO {\"server_id\":\"N1\",\"version\":\"2.9\"}\r\n"),
        ]
        for (client, server) in borrowed {
            XCTAssertNotEqual(recognize(client: Array(client.utf8), server: Array(server.utf8)).name, .http, client)
        }
        let http = ["GET /index.html HTTP/1.1\r\n", "OPTIONS * HTTP/1.1\r\n", "GET http://example.com/ HTTP/1.1\r\n",
                    "GET HTTPS://example.com/ HTTP/1.1\r\n", "CONNECT example.com:443 HTTP/1.1\r\n",
                    "CONNECT [2001:db8::1]:443 HTTP/1.1\r\n", "CONNECT 192.0.2.7:443 HTTP/1.1\r\n"]
        for request in http {
            XCTAssertEqual(recognize(client: Array(request.utf8), server: []), ProtocolEvidence(.http), request)
        }
        for request in http + borrowed.map(\.client) {
            let bytes = Array(request.utf8)
            let space = bytes.firstIndex(of: UInt8(ascii: " "))!
            for length in 0...bytes.count {
                let answer = recognize(client: Array(bytes[..<length]), server: [], clientCut: length < bytes.count)
                let method = String(decoding: bytes[..<space], as: UTF8.self)
                if length == space + 1 && ["GET", "OPTIONS", "CONNECT"].contains(method) {
                    XCTAssertEqual(answer, ProtocolEvidence(.http), "\(request) cut to \(length): the method alone")
                }
            }
        }
    }

    func testByteSetHoldsWhatItWasGiven() {
        let set = ByteSet([0, 63, 64, 127, 128, 200, 255])
        XCTAssertEqual((UInt8.min...UInt8.max).filter(set.contains), [0, 63, 64, 127, 128, 200, 255])
        XCTAssertFalse((UInt8.min...UInt8.max).contains(where: ByteSet([]).contains))
    }

    func testNamesRoundTrip() {
        for name in ProtocolName.allCases { XCTAssertEqual(ProtocolName(name: name.name), name) }
        for version in TLSVersion.allCases { XCTAssertEqual(TLSVersion(name: version.name), version) }
        XCTAssertEqual(ProtocolName.sparkRPC.name, "spark-rpc")
    }
}
