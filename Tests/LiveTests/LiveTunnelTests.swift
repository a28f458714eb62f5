import Audit
import Foundation
import Reports
import XCTest

/// `dasaudit live` on an underlay: two namespaces of the test's own, nodes a (10.208.0.1)
/// and b (10.208.0.2) on a veth pair, joined by a Linux VXLAN device each (vni 77, UDP
/// 4789, overlay 10.209.0.0/24). A server on b's overlay address answers clients on a.
/// Captured on a's underlay interface, every segment is inside UDP; the live audit opens
/// the tunnel and counts what a live audit of a's VXLAN device, run at the same time, counts.
final class LiveTunnelTests: XCTestCase {
    private let lab = NamespaceLab()

    override func tearDown() {
        lab.tearDown()
    }

    func testALiveCaptureOfTheUnderlayAuditsTheInnerTraffic() throws {
        let tag = "\(getpid() % 100_000)"
        let a = "dasaudit-vx-a\(tag)", b = "dasaudit-vx-b\(tag)", underlay = "dvxu\(tag)", overlay = "dvxo\(tag)"
        try lab.joinByVXLAN(a, b, underlay: underlay, overlay: overlay, id: 77, port: 4789,
                            underlayNet: "10.208.0", overlayNet: "10.209.0")
        try lab.startAnsweringServer(at: "10.209.0.2", port: 7611, in: b)

        // The underlay's filter lets the tunnel through: `tcp` would keep none of it.
        let onUnderlay = try lab.live(in: a, ["-i", underlay, "--filter", "udp port 4789"])
        let onOverlay = try lab.live(in: a, ["-i", overlay, "--filter", "tcp"])
        XCTAssertEqual(try lab.runClients(to: "10.209.0.2", port: 7611, in: a), 0, "the clients reached the server over VXLAN")
        let opened = try lab.result(of: onUnderlay), truth = try lab.result(of: onOverlay)

        let service = try XCTUnwrap(opened.services.first { $0.port == 7611 })
        let expected = try XCTUnwrap(truth.services.first { $0.port == 7611 })
        XCTAssertEqual(service.address, "10.209.0.2", "the inner address, not the underlay's")
        XCTAssertGreaterThanOrEqual(service.connections, 5)
        XCTAssertEqual([service.connections, service.packets, service.payloadBytes],
                       [expected.connections, expected.packets, expected.payloadBytes])
        XCTAssertEqual(service.bytes, expected.bytes + 50 * expected.packets, "VXLAN's outer headers over IPv4")
        XCTAssertEqual(opened.coverage.tunneled, ["vxlan": opened.coverage.tcpSegments])
        XCTAssertEqual(truth.coverage.tunneled, [:])
        XCTAssertEqual(opened.coverage.tcpSegments, truth.coverage.tcpSegments)
    }
}
