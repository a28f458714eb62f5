import Audit
import Foundation
import TestSupport
import XCTest

/// `dasaudit live --vxlan-port PORT` on a real underlay: two namespaces of the test's own
/// (`f28x-`), nodes a (10.228.0.1) and b (10.228.0.2) on a veth pair, joined by a Linux
/// VXLAN device each on UDP port 7789, which nothing opens by default (4789 and 8472 are).
/// A server on b's overlay address (10.229.0.2) answers clients on a. Two live audits of
/// a's underlay run at once: with the option the inner connections are audited; without
/// it the UDP is left aside and its line says the port looks like VXLAN.
final class LiveVXLANPortTests: XCTestCase {
    private let lab = NamespaceLab()
    private static let port = 7789

    override func tearDown() {
        lab.tearDown()
    }

    func testADeclaredVXLANPortIsOpenedAndAnUndeclaredOneIsNamed() throws {
        guard getuid() == 0 else { throw unavailable("namespaces and a VXLAN device need root (CI runs as root)") }
        let tag = "\(getpid() % 100_000)"
        let a = "f28x-a\(tag)", b = "f28x-b\(tag)", underlay = "f28xu\(tag)", overlay = "f28xo\(tag)"
        try lab.joinByVXLAN(a, b, underlay: underlay, overlay: overlay, id: 78, port: Self.port,
                            underlayNet: "10.228.0", overlayNet: "10.229.0")
        try lab.startAnsweringServer(at: "10.229.0.2", port: 7611, in: b)

        let textReport = FileManager.default.temporaryDirectory.appendingPathComponent("f28x-udp-\(tag).txt").path
        defer { try? FileManager.default.removeItem(atPath: textReport) }
        let filter = "udp port \(Self.port)"
        let declared = try lab.live(in: a, ["-i", underlay, "--filter", filter, "--vxlan-port", "\(Self.port)"])
        let undeclared = try lab.live(in: a, ["-i", underlay, "--filter", filter, "--report", "text:\(textReport)"])
        XCTAssertEqual(try lab.runClients(to: "10.229.0.2", port: 7611, in: a), 0, "the clients reached the server over VXLAN")
        let opened = try lab.result(of: declared), aside = try lab.result(of: undeclared)

        let service = try XCTUnwrap(opened.services.first { $0.port == 7611 }, "the inner server is audited")
        XCTAssertEqual(service.address, "10.229.0.2", "the inner address, not the underlay's")
        XCTAssertGreaterThanOrEqual(service.connections, 6, "the probe and the five clients")
        XCTAssertGreaterThan(opened.coverage.tcpSegments, 0)
        XCTAssertEqual(opened.coverage.tunneled, ["vxlan": opened.coverage.tcpSegments])
        XCTAssertNil(opened.coverage.udp, "every datagram was opened")

        XCTAssertTrue(aside.services.isEmpty, "nothing audited without the option")
        XCTAssertEqual(aside.coverage.tcpSegments, 0)
        let udp = try XCTUnwrap(aside.coverage.udp)
        XCTAssertEqual(udp.vxlanShapedPorts, [UInt16(Self.port)])
        let text = try String(contentsOfFile: textReport, encoding: .utf8)
        XCTAssertTrue(text.contains("port \(Self.port) looks like VXLAN"), text)
        XCTAssertTrue(text.contains("declare it with --vxlan-port \(Self.port)"), text)
    }
}
