import Audit
import PcapKit
import Policy
import Wire
import XCTest

/// captures/mptcp-join-tls-any-s192.pcap (scripts/recording/record-mptcp-join.sh): TLS over
/// Multipath TCP between two namespaces with two paths. The connection opens on path 1
/// (10.31.1.2 -> 10.31.1.1:9443, MP_CAPABLE); two subflows join it from 10.31.2.2 (MP_JOIN),
/// one to the server's announced 10.31.2.1:9443 and one to 10.31.1.1:9443, and carry the
/// stream's bytes from wherever the scheduler handed them over: the subflow to 10.31.1.1
/// begins in the middle of a TLS record (`b7 e2 43 38 ...`, frame 172). Every byte on 9443
/// is TLS (docs/protocols.md, "Payload samples").
final class MultipathJoinCaptureTests: XCTestCase {
    let recording = capture("mptcp-join-tls-any-s192.pcap")

    /// The decoder marks exactly the SYNs and SYN-ACKs that carry MP_JOIN: tshark's
    /// `tcp.options.mptcp.subtype == 1 and tcp.flags.syn == 1` gives frames 8, 9, 12 and 13,
    /// the two subflows' handshakes; the connection's own MP_CAPABLE SYN is not one.
    func testTheSubflowsHandshakesAreTheJoiningSegments() throws {
        let file = try CaptureFile(path: recording)
        let decoder = PacketDecoder(linkType: LinkType(rawValue: file.linkType))
        var frame = 0, joining: [Int] = [], synCount = 0
        _ = file.forEachPacket { _, bytes in
            frame += 1
            guard case .segment(let segment) = decoder.decode(bytes) else { return }
            if segment.flags.contains(.syn) { synCount += 1 }
            if segment.joinsMultipathConnection { joining.append(frame) }
        }
        XCTAssertEqual(joining, [8, 9, 12, 13])
        XCTAssertEqual(synCount, 6, "three handshakes: the connection's and its two subflows'")
    }

    /// The subflow that took the stream up mid-record is `unknown`, as a connection picked
    /// up mid-stream is, not `other`: no `plaintext-on-tls-port` on carbon.https.port. Before,
    /// "HIGH plaintext-on-tls-port: 10.31.1.1:9443 ... clients sent 1 connection of other in
    /// the clear, which the service did not answer".
    func testASubflowJoiningATLSConnectionIsNotPlaintext() {
        let result = Auditor(policy: Policy(offset: 0)).audit(paths: [recording])
        XCTAssertEqual(result.servicesByEndpoint.mapValues { $0.protocols ?? [:] }, [
            "10.31.1.1:9443": ["tls": 1, "unknown": 1], "10.31.2.1:9443": ["tls": 1],
        ])
        let protocolFindings = result.findings.filter { ProtocolCaptureTests.protocolKinds.contains($0.kind) }
        XCTAssertEqual(protocolFindings.map { $0.message }, [String]())
        XCTAssertTrue(result.summary.compliant)
    }
}
