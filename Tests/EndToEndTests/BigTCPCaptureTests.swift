import Audit
import Policy
import XCTest

/// captures/big-tcp-v6-s192.pcap (scripts/recording/record-big-tcp.sh): Linux's BIG TCP over
/// IPv6 on a veth pair, captured on the server's end at `-s 192`. The server's answer went
/// out in segments of up to 137,088 bytes, two with IPv6 payload length 0 (tshark: frames
/// 45 and 47, `ipv6.plen == 0`, 137,088 and 71,600 TCP bytes by the frame length).
final class BigTCPCaptureTests: XCTestCase {
    /// The payload is what was sent (300,000 bytes to the server, 500,000 back), as tshark
    /// counts it. Before, each length-0 packet counted the 98 bytes captured of it: 291,508
    /// bytes to the client.
    func testSegmentsOver64KiBCountTheirWholePayload() {
        let result = Auditor(policy: Policy(offset: 0)).audit(paths: [capture("big-tcp-v6-s192.pcap")])
        XCTAssertEqual(result.services.map { "[\($0.address)]:\($0.port)" }, ["[fd00:31:6::1]:9763"])
        XCTAssertEqual(result.services.first?.payloadBytes, 800_000)
        XCTAssertEqual(result.services.first?.states, ["closed": 1])
    }
}
