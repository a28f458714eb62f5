import Audit
import PcapKit
import Policy
import Wire
import XCTest

/// captures/nflog-group5.pcap and its twin captures/nflog-twin-veth.pcap
/// (scripts/recording/record-nflog.sh): one exchange as a server's netfilter log handed it to
/// `tcpdump -i nflog:5` (an nftables `log group 5` on its input and output hooks; link type
/// NFLOG, 239) and as the server's interface carried it. Before, the NFLOG capture was
/// refused: "link type NFLOG (239) is not supported", exit 2.
final class NFLOGCaptureTests: XCTestCase {
    let auditor = Auditor(policy: Policy(offset: 0))

    /// Every service, attempt and finding of the interface's capture, from the log's: the
    /// same connections, states, payload and protocols. The log holds fewer packets (tshark:
    /// 80 against 98): the output hook sees the server's 5,000 bytes before the interface
    /// cuts them into segments.
    func testTheLogAuditsAsTheInterface() throws {
        XCTAssertEqual(try CaptureFile(path: capture("nflog-group5.pcap")).linkType, 239)
        let log = auditor.audit(paths: [capture("nflog-group5.pcap")])
        let wire = auditor.audit(paths: [capture("nflog-twin-veth.pcap")])
        XCTAssertEqual(log.inputs.first?.error, nil)
        XCTAssertEqual(log.coverage.packets, 80)
        XCTAssertEqual(log.coverage.tcpSegments, 80)
        XCTAssertEqual(wire.coverage.packets, 98)
        XCTAssertEqual(log.coverage.connections, 7)
        func services(_ result: AuditResult) -> [String] {
            result.services.map {
                "\($0.address):\($0.port) \($0.classification.rawValue) \($0.protocol ?? "-") \($0.states) "
                    + "\($0.connections) connections, \($0.payloadBytes) payload bytes"
            }
        }
        XCTAssertEqual(services(log), services(wire))
        XCTAssertEqual(services(log).count, 3, "9763 over IPv4 and IPv6, and 31020")
        XCTAssertEqual(log.attempts.map { "\($0.address):\($0.port) refused \($0.refused)" }, ["10.31.5.1:9999 refused 1"])
        XCTAssertEqual(log.findings.map { "\($0.kind.rawValue) \($0.port ?? 0)" }, wire.findings.map { "\($0.kind.rawValue) \($0.port ?? 0)" })
    }

    /// Frame 4 is the client's request, 29 bytes logged in an 81-byte packet whose
    /// attribute is padded to 84 in the frame: the payload the reader takes the sample from
    /// (`capturedPayload(in:)` of the frame) begins with the request's first byte. Counted
    /// from the attribute's end, as before, it began 3 bytes late (" / HTTP/1.1"), the
    /// padding after it.
    func testARequestsSampleBeginsWithItsFirstByteInAPaddedAttribute() throws {
        let file = try CaptureFile(path: capture("nflog-group5.pcap"))
        let decoder = PacketDecoder(linkType: LinkType(rawValue: file.linkType))
        var frame = 0, sample = ""
        _ = file.forEachPacket { _, bytes in
            frame += 1
            guard frame == 4, case .segment(let segment) = decoder.decode(bytes) else { return }
            sample = String(decoding: segment.capturedPayload(in: bytes), as: UTF8.self)
        }
        XCTAssertEqual(sample, "GET / HTTP/1.1\r\nHost: das\r\n\r\n")
    }
}
