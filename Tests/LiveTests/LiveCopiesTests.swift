import Audit
import Foundation
import Reports
import XCTest

/// `dasaudit live` where a packet is captured twice: the host is a network namespace of
/// the test's own, with a bridge whose two ports lead to two more namespaces, a client
/// (10.207.0.1) and a server (10.207.0.2). Every packet between them crosses both ports,
/// so a capture on every interface sees it twice, and so does a mirror port of both. The
/// live audit counts it once, as a live audit of one bridge port, run at the same time,
/// does; and it counts the other copy as a duplicate.
final class LiveCopiesTests: XCTestCase {
    private let lab = NamespaceLab()

    override func tearDown() {
        lab.tearDown()
    }

    /// The namespaces of one test: a host with a bridge, its ports to a client and a
    /// server namespace, and a server there on thrift.tcp.port that answers each connection
    /// with 3,000 bytes.
    private struct Bridge {
        let host: String, client: String, server: String, clientPort: String, serverPort: String
    }

    /// Needs root, as every live test does (CI runs as root).
    private func makeBridge() throws -> Bridge {
        let tag = "\(getpid() % 100_000)"
        let bridge = Bridge(host: "dasaudit-cp-h\(tag)", client: "dasaudit-cp-a\(tag)", server: "dasaudit-cp-b\(tag)",
                            clientPort: "dcpa\(tag)", serverPort: "dcpb\(tag)")
        let device = "dcpbr\(tag)"
        for namespace in [bridge.host, bridge.client, bridge.server] { try lab.addNamespace(namespace) }
        try lab.require(["ip", "-n", bridge.host, "link", "add", device, "type", "bridge"])
        try lab.require(["ip", "-n", bridge.host, "link", "set", device, "up"])
        for (port, namespace, address) in [(bridge.clientPort, bridge.client, "10.207.0.1/24"),
                                           (bridge.serverPort, bridge.server, "10.207.0.2/24")] {
            try lab.require(["ip", "-n", bridge.host, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", namespace])
            try lab.require(["ip", "-n", bridge.host, "link", "set", port, "master", device])
            try lab.require(["ip", "-n", bridge.host, "link", "set", port, "up"])
            try lab.require(["ip", "-n", namespace, "address", "add", address, "dev", "eth0"])
            try lab.require(["ip", "-n", namespace, "link", "set", "eth0", "up"])
        }
        try lab.startAnsweringServer(at: "10.207.0.2", port: 7611, in: bridge.server)
        return bridge
    }

    /// From the client: one connection to see the server up, then five that each send a
    /// request and read the answer to its end.
    private func driveClients(_ bridge: Bridge) throws {
        XCTAssertEqual(try lab.runClients(to: "10.207.0.2", port: 7611, in: bridge.client), 0, "the clients reached the server")
    }

    /// `dasaudit live` of TCP in the host namespace, started and seen capturing.
    private func live(_ bridge: Bridge, _ arguments: [String]) throws -> DasauditProcess {
        try lab.live(in: bridge.host, arguments + ["--filter", "tcp"])
    }

    private func result(of process: DasauditProcess) throws -> AuditResult {
        try lab.result(of: process)
    }

    func testALiveCaptureOnEveryInterfaceCountsABridgedPacketOnce() throws {
        let bridge = try makeBridge()
        let evidence = NSTemporaryDirectory() + "dasaudit-live-copies-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: evidence) }
        let everyInterface = try live(bridge, ["-i", "any", "--write", evidence])
        let onePort = try live(bridge, ["-i", bridge.clientPort])
        try driveClients(bridge)
        let all = try result(of: everyInterface)
        let one = try result(of: onePort)

        let service = try XCTUnwrap(all.services.first { $0.port == 7611 })
        let truth = try XCTUnwrap(one.services.first { $0.port == 7611 })
        XCTAssertEqual(service.connections, 6, "a first connection to see the server up, then five")
        XCTAssertEqual([service.connections, service.packets, service.payloadBytes],
                       [truth.connections, truth.packets, truth.payloadBytes])
        XCTAssertEqual(one.coverage.skipped["duplicate"], nil)
        XCTAssertEqual(all.coverage.tcpSegments, one.coverage.tcpSegments)
        XCTAssertEqual(all.coverage.skipped["duplicate"], one.coverage.packets, "every packet crossed both ports")
        XCTAssertEqual(all.coverage.packets, 2 * one.coverage.packets)
        XCTAssertEqual(all.coverage.drops?.total, 0)
        XCTAssertEqual(all.inputs.first?.linkTypeName, "LINUX_SLL2", "the cooked frames that name their interface")

        // The evidence holds every copy, as captured; its audit counts each packet once too.
        let files = try FileManager.default.contentsOfDirectory(atPath: evidence).sorted().map { "\(evidence)/\($0)" }
        let reread = try JSONReport.parse(Data(try runDasaudit(["audit"] + files + ["--format", "json"]).stdout.utf8))
        let rereadService = try XCTUnwrap(reread.services.first { $0.port == 7611 })
        XCTAssertEqual([rereadService.connections, rereadService.packets, rereadService.payloadBytes],
                       [truth.connections, truth.packets, truth.payloadBytes])
        XCTAssertEqual(reread.coverage.packets, all.coverage.packets)
        XCTAssertEqual(reread.coverage.skipped, all.coverage.skipped)
    }

    /// dumpcap on both bridge ports (`dumpcap -i a -i b`, Wireshark's way to capture
    /// several interfaces), writing its pcapng to a pipe that `dasaudit audit -` reads as it
    /// comes: every packet is in it twice, once per port, each packet block naming its
    /// port. The audit counts each packet once, as a live audit of one port, run at the same
    /// time, does; and the pcapng kept on the way (`tee`) audits the same from its file.
    func testDumpcapOnBothPortsPipedIntoAnAuditCountsEachPacketOnce() throws {
        let bridge = try makeBridge()
        let saved = NSTemporaryDirectory() + "dasaudit-dumpcap-\(UUID().uuidString).pcapng"
        defer { try? FileManager.default.removeItem(atPath: saved) }
        let pipeline = "dumpcap -i \(bridge.clientPort) -i \(bridge.serverPort) -f tcp -a duration:5 -w - "
            + "| tee \(saved) | \(dasauditPath) audit - --offset 0 --format json"
        let piped = try DasauditProcess(["-c", pipeline], program: "sh",
                                        launcher: ["/usr/bin/env", "ip", "netns", "exec", bridge.host])
        XCTAssertTrue(piped.waitForError(containing: "Capturing on"), piped.stderr)
        let onePort = try live(bridge, ["-i", bridge.clientPort])
        try driveClients(bridge)
        let (status, output) = piped.finish()
        XCTAssertNotEqual(status, 2, piped.stderr)
        let all = try JSONReport.parse(Data(output.utf8)), one = try result(of: onePort)

        let service = try XCTUnwrap(all.services.first { $0.port == 7611 })
        let truth = try XCTUnwrap(one.services.first { $0.port == 7611 })
        XCTAssertEqual(service.connections, 6, "a first connection to see the server up, then five")
        XCTAssertEqual([service.connections, service.packets, service.payloadBytes],
                       [truth.connections, truth.packets, truth.payloadBytes])
        XCTAssertEqual(all.coverage.tcpSegments, one.coverage.tcpSegments)
        XCTAssertEqual(all.coverage.skipped["duplicate"], one.coverage.packets, "every packet crossed both ports")
        XCTAssertEqual(all.inputs.first?.linkTypeName, "EN10MB")

        let fromFile = try JSONReport.parse(Data(try runDasaudit(["audit", saved, "--offset", "0", "--format", "json"]).stdout.utf8))
        XCTAssertEqual(fromFile.services.map(\.packets), all.services.map(\.packets))
        XCTAssertEqual(fromFile.coverage.skipped, all.coverage.skipped)
        XCTAssertEqual(fromFile.coverage.packets, all.coverage.packets)
    }

    /// A mirror port, as a switch's SPAN session of both bridge ports makes one: tc mirrors
    /// every frame that enters or leaves either port to a veth pair, and the capture on its
    /// far end shows each frame twice, in Ethernet, naming no interface. As read, every
    /// packet counts twice; with `--deduplicate`, once, as on one bridge port.
    func testALiveCaptureOfAMirrorPortCountsEachFrameOnceWithDeduplicate() throws {
        let bridge = try makeBridge()
        let mirror = "dcpm\(getpid() % 100_000)", span = "dcps\(getpid() % 100_000)"
        try lab.require(["ip", "-n", bridge.host, "link", "add", mirror, "type", "veth", "peer", "name", span])
        try lab.require(["ip", "-n", bridge.host, "link", "set", mirror, "up"])
        try lab.require(["ip", "-n", bridge.host, "link", "set", span, "up"])
        for port in [bridge.clientPort, bridge.serverPort] {
            try lab.require(["ip", "netns", "exec", bridge.host, "tc", "qdisc", "add", "dev", port, "clsact"])
            for direction in ["ingress", "egress"] {
                try lab.require(["ip", "netns", "exec", bridge.host, "tc", "filter", "add", "dev", port, direction,
                             "u32", "match", "u32", "0", "0", "action", "mirred", "egress", "mirror", "dev", mirror])
            }
        }
        let deduplicated = try live(bridge, ["-i", span, "--deduplicate"])
        let asRead = try live(bridge, ["-i", span])
        let onePort = try live(bridge, ["-i", bridge.clientPort])
        try driveClients(bridge)
        let once = try result(of: deduplicated), twice = try result(of: asRead), one = try result(of: onePort)

        let truth = try XCTUnwrap(one.services.first { $0.port == 7611 })
        let service = try XCTUnwrap(once.services.first { $0.port == 7611 })
        let doubled = try XCTUnwrap(twice.services.first { $0.port == 7611 })
        XCTAssertEqual(once.inputs.first?.linkTypeName, "EN10MB")
        XCTAssertEqual([service.connections, service.packets, service.payloadBytes],
                       [truth.connections, truth.packets, truth.payloadBytes])
        XCTAssertEqual(once.coverage.skipped["duplicate"], one.coverage.packets, "every frame mirrored twice")
        XCTAssertEqual(doubled.packets, 2 * truth.packets, "as read, every frame counts twice")
        XCTAssertEqual(twice.coverage.skipped["duplicate"], nil)
    }
}
