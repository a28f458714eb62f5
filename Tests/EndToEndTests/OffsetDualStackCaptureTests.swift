import Audit
import Foundation
import Reports
import XCTest

/// A dual-stack node at the wrong offset (captures/offset-dual-stack-veth.pcap, from a bug
/// hunt): das2, declared `[fd00:27::2, 10.27.0.2]`, serves 10.27.0.2:7616 and
/// [fd00:27::2]:9768, both catalog ports at offset 5, while das1 runs at offset 2. Each
/// address alone shows one moved port, too few to name an offset; the node shows two.
final class OffsetDualStackCaptureTests: XCTestCase {
    /// Its findings about ports (besides them: HTTP on the thrift ports, `protocol-mismatch`).
    private func audit(_ name: String) throws -> AuditResult {
        let run = try runDasaudit(["audit", capture(name), "--policy", capture("offset-dual-stack-policy.yaml"),
                                   "--format", "json"])
        return try JSONReport.parse(Data(run.stdout.utf8))
    }

    func testANodeWhosePortsAreOnBothAddressesIsOneOffsetMismatch() throws {
        let result = try audit("offset-dual-stack-veth.pcap")
        let high = result.findings.filter { $0.kind == .offsetMismatch || $0.kind == .unexpectedPort }
        XCTAssertEqual(high.map(\.kind), [.offsetMismatch], "one finding for the node, no unexpected-port per port")
        XCTAssertEqual(high.first?.node, "das2")
        XCTAssertEqual(high.first?.address, "10.27.0.2", "its first address in address order")
        XCTAssertEqual(high.first?.message, "das2 (10.27.0.2, fd00:27::2): its service ports 7616 (thrift.tcp.port), "
                       + "9768 (carbon.http.port) all fit port offset 5, not the cluster's 2")
        XCTAssertEqual(Set(result.services.filter { $0.node == "das2" }.compactMap(\.hint)), [
            "thrift.tcp.port at offset 5: the host looks configured with offset 5, not 2",
            "carbon.http.port at offset 5: the host looks configured with offset 5, not 2",
        ])
    }

    func testANodeWhosePortsAreOnOneAddressIsNamedByIt() throws {
        // The same node with both moved ports on fd00:27::2: as before, the address and the node.
        let result = try audit("offset-dual-stack-one-address-veth.pcap")
        let high = result.findings.filter { $0.kind == .offsetMismatch || $0.kind == .unexpectedPort }
        XCTAssertEqual(high.map(\.kind), [.offsetMismatch])
        XCTAssertEqual(high.first?.address, "fd00:27::2")
        XCTAssertEqual(high.first?.message, "fd00:27::2 (das2): its service ports 7716 (thrift.ssl.port), "
                       + "9768 (carbon.http.port) all fit port offset 5, not the cluster's 2")
    }
}
