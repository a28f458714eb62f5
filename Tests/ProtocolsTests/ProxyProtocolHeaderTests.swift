import Protocols
import XCTest

/// A load balancer's PROXY protocol header before the client's bytes (HAProxy `send-proxy`,
/// `send-proxy-v2`), on the real connections of captures/proxy-protocol-lo.pcap
/// (RealSamples.swift): the header says who the client is, the bytes after it what it
/// speaks.
final class ProxyProtocolHeaderTests: XCTestCase {
    /// HAProxy's health checks send the header alone and close, and a TLS server sends
    /// nothing back: the client's own bytes were never seen, so the connection is `unknown`,
    /// not bytes of no protocol (`other`, which counted as plaintext on a TLS port).
    func testAHealthCheckSendingTheHeaderAloneSpeaksNoPlaintext() {
        for sample in [RealSamples.proxyV1HealthCheck, RealSamples.proxyV2HealthCheck] {
            XCTAssertTrue(sample.server.isEmpty, sample.name)
            XCTAssertEqual(recognize(sample), .unknown, sample.name)
            XCTAssertFalse(recognize(sample).name.isPlaintext, sample.name)
        }
        XCTAssertEqual(Array(RealSamples.proxyV1HealthCheck.client.prefix(11)), Array("PROXY TCP4 ".utf8))
        XCTAssertEqual(RealSamples.proxyV2HealthCheck.client[12], 0x20, "version 2, LOCAL")
    }

    /// A real session's header comes in a segment of its own: the server's answer names it,
    /// a ServerHello (and its version), an HTTP response, or nginx's plaintext 400 to a
    /// plaintext request sent to its TLS listener.
    func testTheServersAnswerNamesASessionWhoseHeaderFilledTheSegment() {
        XCTAssertEqual(recognize(RealSamples.proxyV1ToTLS), ProtocolEvidence(.tls, tlsVersion: .tls12))
        XCTAssertEqual(recognize(RealSamples.proxyV2ToTLS), ProtocolEvidence(.tls, tlsVersion: .tls12))
        XCTAssertEqual(recognize(RealSamples.proxyV1ToHTTP), ProtocolEvidence(.http))
        XCTAssertEqual(recognize(RealSamples.proxyV1PlaintextToTLS), ProtocolEvidence(.http))
    }

    /// What follows the header in the same segment is the client's protocol: plaintext
    /// behind a header is still plaintext (a GET to a silent TLS server), and a hello behind
    /// one is TLS, v1 or v2 header alike.
    func testTheBytesAfterTheHeaderAreTheClientsProtocol() {
        let request = RealSamples.proxyV1AndRequestToSilentTLS
        XCTAssertEqual(recognize(request), ProtocolEvidence(.http))
        XCTAssertEqual(recognize(client: request.client, server: [], serverSent: false, fromStart: false), ProtocolEvidence(.http))
        let hello = RealSamples.tls12.client, get = RealSamples.httpToSilentTLSServer.client
        for header in [RealSamples.proxyV1ToTLS.client, RealSamples.proxyV2ToTLS.client, RealSamples.proxyV2HealthCheck.client] {
            XCTAssertEqual(recognize(client: header + hello, server: [], serverSent: false), ProtocolEvidence(.tls))
            XCTAssertEqual(recognize(client: header + get, server: [], serverSent: false), ProtocolEvidence(.http))
            // Bytes of no protocol after the header are still bytes of no protocol.
            XCTAssertEqual(recognize(client: header + Array("hello\r\n".utf8), server: [], serverSent: false), .other)
        }
    }

    /// A "PROXY TCP6" header of 103 bytes runs past the 96 bytes kept of a segment: no
    /// "\r\n" in the sample, the client's bytes were not seen, and the server decides.
    func testAHeaderLongerThanTheSampleLeavesTheServerToDecide() {
        let sample = RealSamples.proxyV1TCP6ToTLS
        XCTAssertEqual(sample.client.count, 103)
        let kept = Array(sample.client.prefix(96))
        XCTAssertFalse(kept.contains(UInt8(ascii: "\n")))
        XCTAssertEqual(recognize(client: kept, server: sample.server), ProtocolEvidence(.tls, tlsVersion: .tls12))
        XCTAssertEqual(recognize(client: kept, server: [], serverSent: false), .unknown)
    }

    /// Only a header's exact form is passed over; bytes that merely begin like one are read
    /// as they are (`other` here), and a server's bytes are never a header.
    func testBytesThatOnlyBeginLikeAHeaderAreReadAsTheyAre() {
        let header = RealSamples.proxyV1ToTLS.client, signature = Array(RealSamples.proxyV2HealthCheck.client.prefix(12))
        let notHeaders: [[UInt8]] = [
            Array("PROXY me a coffee\r\n".utf8),                    // no TCP4, TCP6 or UNKNOWN
            Array("PROXY TCP4 1.2.3.4\u{01} 5.6.7.8 1 2\r\n".utf8), // not text
            Array("PROX".utf8),                                     // a whole segment, shorter than "PROXY "
            Array("\r\n\r\n".utf8),                                 // a whole segment, shorter than the signature
            signature + [0x11, 0x11, 0x00, 0x00],                   // version 1 in a v2 header
            Array("PROXY TCP4 ".utf8) + Array(repeating: UInt8(ascii: "1"), count: 110),  // no "\r\n" in 107 bytes
        ]
        for bytes in notHeaders {
            XCTAssertEqual(recognize(client: bytes, server: [], serverSent: false), .other, "\(bytes)")
        }
        XCTAssertEqual(recognize(client: [], server: header + RealSamples.http.server, clientSent: false), .other)
    }

    /// Cut by the capture inside the header, the client's bytes are the header's as far as
    /// they go: `unknown`, never the bytes of no protocol the cut header looks like.
    func testAHeaderCutByTheCaptureIsUnknownWhereverItIsCut() {
        let request = RealSamples.proxyV1AndRequestToSilentTLS
        let headerLength = request.client.firstIndex(of: UInt8(ascii: "\n"))! + 1
        for length in 0...headerLength + 3 {
            XCTAssertEqual(recognize(client: Array(request.client.prefix(length)), server: [], clientSent: true,
                                     serverSent: false, clientCut: true), .unknown, "cut at \(length)")
        }
        for sample in [RealSamples.proxyV2ToTLS, RealSamples.proxyV2HealthCheck] {
            for length in 0..<sample.client.count {
                XCTAssertEqual(recognize(client: Array(sample.client.prefix(length)), server: [], clientSent: true,
                                         serverSent: false, clientCut: true), .unknown, "\(sample.name) cut at \(length)")
            }
        }
    }
}
