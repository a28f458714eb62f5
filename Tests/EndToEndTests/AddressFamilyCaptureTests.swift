import Audit
import Foundation
import Reports
import XCTest

/// captures/dual-stack-7613-veth.pcap (a bug hunt's two namespaces, fd00:27::1 and
/// 10.27.0.1 on one host): the same thrift port 7613 served over IPv6 (fd00:27::1) and
/// over IPv4 (10.27.0.1). IPv4 is stored IPv4-mapped (`::ffff:a.b.c.d`), so an IPv6 block
/// such as `::/0` once matched every IPv4 address too, in waivers, dependencies and
/// nodes, while `ports --firewall` put it in the IPv6 set only. A pattern now matches
/// addresses of its own family only.
final class AddressFamilyCaptureTests: XCTestCase {
    let capturePath = capture("dual-stack-7613-veth.pcap")

    private func audit(_ policy: String) throws -> AuditResult {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("family-\(UUID().uuidString).yaml").path
        try ("offset: 2\n" + policy).write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        let run = try runDasaudit(["audit", capturePath, "--policy", path, "--format", "json", "--fail-on", "never"])
        XCTAssertEqual(run.status, 0, run.stderr)
        return try JSONReport.parse(Data(run.stdout.utf8))
    }

    /// Regression: the waiver waived the IPv4 server's finding as well (2 waived, now 1).
    func testAnIPv6WaiverHostDoesNotWaiveAnIPv4Finding() throws {
        let result = try audit("waivers:\n  - {kind: protocol-mismatch, port: 7613, host: \"::/0\", reason: IPv6 only, expires: 2099-01-01}\n")
        let findings = result.findings.filter { $0.port == 7613 && $0.kind.rawValue == "protocol-mismatch" }
        XCTAssertEqual(findings.filter { $0.waiver != nil }.compactMap(\.address), ["fd00:27::1"])
        XCTAssertEqual(findings.filter { $0.waiver == nil }.compactMap(\.address), ["10.27.0.1"])
    }

    /// Regression: the IPv4 server became the dependency too.
    func testAnIPv6DependencyDoesNotTakeTheIPv4Server() throws {
        let result = try audit("nodes:\n  - {name: das1, addresses: [\"fd00:27::1\"]}\n"
            + "dependencies:\n  - {name: v6db, address: \"::/0\", port: 7613, reason: IPv6 database}\n")
        XCTAssertEqual(result.servicesByEndpoint["fd00:27::1:7613"]?.dependency, "v6db")
        XCTAssertNil(result.servicesByEndpoint["10.27.0.1:7613"]?.dependency)
        let v4 = "nodes:\n  - {name: das1, addresses: [\"fd00:27::1\"]}\n"
            + "dependencies:\n  - {name: v4db, address: 0.0.0.0/0, port: 7613, reason: IPv4 database}\n"
        XCTAssertEqual(try audit(v4).servicesByEndpoint["10.27.0.1:7613"]?.dependency, "v4db")
    }

    /// Regression: the node `::/64` took the IPv4 host 10.27.0.1 and its server.
    func testAnIPv6NodeDoesNotTakeAnIPv4Host() throws {
        let result = try audit("nodes:\n  - {name: v6only, addresses: [\"::/64\"]}\n  - {name: das1, addresses: [\"fd00:27::1\"]}\n")
        XCTAssertNil(result.servicesByEndpoint["10.27.0.1:7613"]?.node)
        XCTAssertEqual(result.servicesByEndpoint["fd00:27::1:7613"]?.node, "das1")
        XCTAssertEqual(result.findings.filter { $0.kind.rawValue == "node-not-seen" }.compactMap(\.node), ["v6only"])
    }
}

/// The fleet recipe (docs/merge.md) names each capture point after the host it ssh-es to,
/// so an IPv6-addressed fleet names them with IPv6 addresses.
final class IPv6CapturePointTests: XCTestCase {
    /// Regression: `--capture-point fd00:27::1` was exit 2 ("contains ':'").
    func testAnIPv6AddressNamesACapturePointThroughMerge() throws {
        let output = temporary("v6point.json")
        let run = try runDasaudit(["audit", capture("dual-stack-7613-veth.pcap"), "--capture-point", "fd00:27::1", "--offset", "2",
                                   "--connections", "--format", "json", "--output", output, "--fail-on", "never"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let merged = try runDasaudit(["merge", output, "--offset", "2", "--format", "csv", "--fail-on", "never"])
        XCTAssertEqual(merged.status, 0, merged.stderr)
        let rows = merged.stdout.split(separator: "\r\n")
        let services = rows.dropFirst().filter { $0.hasSuffix(",service,,,") }
        XCTAssertTrue(!services.isEmpty && services.allSatisfy { $0.hasSuffix(",fd00:27::1,service,,,") }, "\(rows)")
        let zone = try runDasaudit(["audit", capture("dual-stack-7613-veth.pcap"), "--capture-point", "fe80::1%eth0"])
        XCTAssertEqual(zone.status, 2)
        XCTAssertTrue(zone.stderr.contains("--capture-point 'fe80::1%eth0' contains ':'"), zone.stderr)
    }
}
