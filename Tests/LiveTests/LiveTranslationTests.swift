import Audit
import Foundation
import XCTest

/// `dasaudit live -i any` on a host that translates addresses as a Kubernetes Service does:
/// three namespaces of the test's own, a host routing between a client (10.210.0.1) and a
/// server (10.211.0.2), with iptables' DNAT of a Service address 10.96.0.77:80 to the
/// server's 7611. Every connection crosses the host twice, before and after translation;
/// the live audit counts it once, where it reached the server, as a live audit of the
/// server's link, run at the same time, does, and names the translation.
final class LiveTranslationTests: XCTestCase {
    private let lab = NamespaceLab()

    override func tearDown() {
        lab.tearDown()
    }

    func testALiveCaptureOnEveryInterfaceAuditsATranslatedConnectionOnce() throws {
        let tag = "\(getpid() % 100_000)"
        let host = "dasaudit-nat-h\(tag)", client = "dasaudit-nat-c\(tag)", server = "dasaudit-nat-s\(tag)"
        let clientLink = "dnatc\(tag)", serverLink = "dnats\(tag)"
        for namespace in [host, client, server] { try lab.addNamespace(namespace) }
        try lab.require(["ip", "netns", "exec", host, "sysctl", "-qw", "net.ipv4.ip_forward=1"])
        for (link, namespace, subnet) in [(clientLink, client, "10.210.0"), (serverLink, server, "10.211.0")] {
            let far = namespace == client ? "1" : "2"
            try lab.require(["ip", "-n", host, "link", "add", link, "type", "veth", "peer", "name", "eth0", "netns", namespace])
            try lab.require(["ip", "-n", host, "address", "add", "\(subnet).254/24", "dev", link])
            try lab.require(["ip", "-n", host, "link", "set", link, "up"])
            try lab.require(["ip", "-n", namespace, "address", "add", "\(subnet).\(far)/24", "dev", "eth0"])
            try lab.require(["ip", "-n", namespace, "link", "set", "eth0", "up"])
            try lab.require(["ip", "-n", namespace, "route", "add", "default", "via", "\(subnet).254"])
        }
        try lab.require(["ip", "netns", "exec", host, "iptables", "-t", "nat", "-A", "PREROUTING", "-d", "10.96.0.77",
                         "-p", "tcp", "--dport", "80", "-j", "DNAT", "--to-destination", "10.211.0.2:7611"])
        try lab.startAnsweringServer(at: "10.211.0.2", port: 7611, in: server)

        let everyInterface = try lab.live(in: host, ["-i", "any", "--filter", "tcp"])
        let serverSide = try lab.live(in: host, ["-i", serverLink, "--filter", "tcp"])
        XCTAssertEqual(try lab.runClients(to: "10.96.0.77", port: 80, in: client), 0, "the clients reached the Service")
        let all = try lab.result(of: everyInterface), truth = try lab.result(of: serverSide)

        let service = try XCTUnwrap(all.services.first { $0.port == 7611 })
        let expected = try XCTUnwrap(truth.services.first { $0.port == 7611 })
        XCTAssertEqual(service.address, "10.211.0.2")
        XCTAssertGreaterThanOrEqual(service.connections, 5)
        XCTAssertEqual([service.connections, service.packets, service.payloadBytes],
                       [expected.connections, expected.packets, expected.payloadBytes])
        XCTAssertEqual(all.services.map(\.port), [7611], "the Service's port 80 is a front, not a service")
        XCTAssertEqual(all.coverage.translated, ["10.96.0.77:80 -> 10.211.0.2:7611": UInt64(service.connections)])
        XCTAssertEqual(all.coverage.tcpSegments, truth.coverage.tcpSegments)
        XCTAssertEqual(all.coverage.skipped["translated"], truth.coverage.tcpSegments,
                       "every packet crossed the client's link before translation")
        XCTAssertEqual(all.coverage.drops?.total, 0)
    }
}
