import Audit
import Foundation
import Policy
import XCTest

/// Real HTTP between two nodes over VXLAN (scripts/recording/record-tunnels.sh), recorded at
/// the same time on node a's underlay interface, on its three VXLAN devices, and on every
/// interface at once. The underlay holds every segment inside UDP; opened, it audits as the
/// overlay devices saw the traffic.
final class TunnelCaptureTests: XCTestCase {
    let auditor = Auditor(policy: Policy())

    private func traffic(_ result: AuditResult) -> [String] {
        result.services.map {
            "\($0.address):\($0.port) \($0.packets) packets \($0.payloadBytes) payload \($0.connections) connections "
                + "\($0.protocol ?? "-") " + $0.states.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
    }

    private func attempts(_ result: AuditResult) -> [String] {
        result.attempts.map { "\($0.address):\($0.port) refused \($0.refused)" }
    }

    /// VXLAN on 4789 and 8472, over an IPv4 and an IPv6 underlay, inner IPv4 and IPv6.
    func testTheUnderlayAuditsAsTheOverlayDevicesSawIt() {
        let underlay = auditor.audit(paths: [capture("tunnel-vxlan-underlay.pcap")])
        let overlay = auditor.audit(paths: [capture("tunnel-vxlan-overlay.pcapng")])
        XCTAssertEqual(traffic(underlay), [
            "10.211.0.2:9763 239 packets 197466 payload 3 connections http closed 3",
            "10.212.0.2:9763 156 packets 131644 payload 2 connections http closed 2",
            "10.213.0.2:9763 163 packets 131644 payload 2 connections http closed 2",
            "fd00:211::2:9763 159 packets 131650 payload 2 connections http closed 2",
        ])
        XCTAssertEqual(traffic(underlay), traffic(overlay))
        XCTAssertEqual(attempts(underlay), ["10.211.0.2:9443 refused 1"])
        XCTAssertEqual(attempts(underlay), attempts(overlay))
        XCTAssertEqual(underlay.coverage.tcpSegments, overlay.coverage.tcpSegments)
        XCTAssertEqual(underlay.coverage.tunneled, ["vxlan": underlay.coverage.tcpSegments])
        XCTAssertEqual(overlay.coverage.tunneled, [:])
        // The outer headers (50 bytes over IPv4, 70 over IPv6) are bytes on the wire too.
        for (outer, inner) in zip(underlay.services, overlay.services) {
            XCTAssertEqual(outer.bytes - inner.bytes, outer.address == "10.213.0.2" ? 70 * outer.packets : 50 * outer.packets,
                           outer.address)
        }
    }

    /// Every other tunnel, from two implementations (captures/tunnels: Linux 6.1's tunnel
    /// drivers in User-Mode Linux, and Open vSwitch 3.1's userspace datapath), each recorded
    /// on its underlay and on its tunnel device at the same time: the underlay audits as the
    /// device saw the traffic, every segment marked with its tunnel.
    func testEveryRealTunnelAuditsAsItsInnerCapture() throws {
        let directory = capturesDirectory.appendingPathComponent("tunnels")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".pcap") && !$0.hasSuffix(".inner.pcap") }.sorted()
        var kinds: Set<String> = []
        for name in names {
            let underlay = auditor.audit(paths: [directory.appendingPathComponent(name).path])
            let inner = auditor.audit(paths: [directory.appendingPathComponent(name.replacingOccurrences(of: ".pcap", with: ".inner.pcap")).path])
            let kind = try XCTUnwrap(Self.tunnel(ofCapture: name), name)
            kinds.insert(kind)
            XCTAssertEqual(traffic(underlay), traffic(inner), name)
            XCTAssertEqual(attempts(underlay), attempts(inner), name)
            XCTAssertEqual(underlay.coverage.tcpSegments, inner.coverage.tcpSegments, name)
            XCTAssertEqual(underlay.coverage.tunneled, [kind: underlay.coverage.tcpSegments], name)
            XCTAssertEqual(inner.coverage.tunneled, [:], name)
            // Four HTTP exchanges on 9763 and a refused connect to 9764; the OVS capture whose
            // GRE checksums OVS wrote wrong holds only the SYNs the peer dropped.
            if name.contains("BROKEN") {
                XCTAssertEqual(underlay.services.count, 0, name)
                XCTAssertEqual(underlay.attempts.map(\.port), [9763, 9764], name)
            } else {
                XCTAssertEqual(underlay.services.map { "\($0.port) \($0.connections)" }, ["9763 4"], name)
                XCTAssertEqual(underlay.attempts.map { "\($0.port) \($0.refused)" }, ["9764 1"], name)
            }
        }
        XCTAssertEqual(names.count, 35)
        XCTAssertEqual(kinds, ["vxlan", "geneve", "gre", "erspan", "ip-in-ip"])
    }

    /// The tunnel a capture of captures/tunnels holds, by its name.
    static func tunnel(ofCapture name: String) -> String? {
        let base = name.hasPrefix("ovs-") ? String(name.dropFirst(4)) : name
        for (prefix, kind) in [("ip6erspan", "erspan"), ("erspan", "erspan"), ("geneve", "geneve"), ("vxlan", "vxlan"),
                               ("ip6gre", "gre"), ("gre", "gre"), ("ipip", "ip-in-ip"), ("sit", "ip-in-ip"), ("ip6ip6", "ip-in-ip")]
        where base.hasPrefix(prefix) { return kind }
        return nil
    }

    /// On every interface at once, each segment is there twice: inside UDP on the underlay
    /// and as it is on a VXLAN device. The two are copies of one packet, counted once.
    func testOnEveryInterfaceTheEncapsulatedCopyCountsOnce() {
        let everything = auditor.audit(paths: [capture("tunnel-vxlan-any.pcap")])
        let overlay = auditor.audit(paths: [capture("tunnel-vxlan-overlay.pcapng")])
        XCTAssertEqual(traffic(everything), traffic(overlay))
        XCTAssertEqual(everything.coverage.tcpSegments, overlay.coverage.tcpSegments)
        XCTAssertEqual(everything.coverage.skipped["duplicate"], overlay.coverage.tcpSegments)
    }

    /// At snapshot length 96 the outer headers leave no room for the inner TCP header: no
    /// connection, every such packet `truncated-in-tunnel`, and a verdict that says nothing
    /// was audited and what snapshot length an underlay needs.
    func testCutAt96NothingIsAuditedAndTheVerdictSaysWhy() throws {
        let result = auditor.audit(paths: [capture("tunnel-vxlan-underlay-s96.pcap")])
        XCTAssertEqual(result.coverage.connections, 0)
        XCTAssertEqual(result.coverage.skipped, ["not-ip": 8, "not-tcp": 7, "truncated-in-tunnel": 730])
        XCTAssertTrue(result.findings.contains { $0.kind == .noTraffic })

        let command = try runDasaudit(["audit", capture("tunnel-vxlan-underlay-s96.pcap")])
        XCTAssertEqual(command.status, 1)
        XCTAssertTrue(command.stdout.contains("NOT COMPLIANT: no TCP traffic was audited"), command.stdout)
        XCTAssertTrue(command.stdout.contains("730 truncated-in-tunnel); the packets cut inside a tunnel need a snapshot "
                                              + "length that holds the outer headers too (tcpdump -s 256)"), command.stdout)
    }

    /// `flows` names each connection's tunnel, and a result's `connections` carry it
    /// through a file and back (`merge`).
    func testEachConnectionNamesItsTunnel() throws {
        let underlay = try runDasaudit(["flows", capture("tunnel-vxlan-underlay.pcap")])
        let records = underlay.stdout.split(separator: "\n").map {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] ?? [:]
        }
        XCTAssertEqual(records.count, 10)
        XCTAssertEqual(Set(records.map { $0["tunnel"] as? String }), ["vxlan"])
        let csv = try runDasaudit(["flows", capture("tunnel-vxlan-underlay.pcap"), "--format", "csv"]).stdout
            .split(separator: "\n")
        XCTAssertTrue(csv.first?.hasSuffix(",tls_version,tunnel") == true, "\(csv.first ?? "")")
        XCTAssertTrue(csv.dropFirst().allSatisfy { $0.hasSuffix(",vxlan") })
        let overlay = try runDasaudit(["flows", capture("tunnel-vxlan-overlay.pcapng"), "--format", "csv"]).stdout
            .split(separator: "\n")
        XCTAssertTrue(overlay.dropFirst().allSatisfy { $0.hasSuffix(",") }, "no tunnel: an empty field")

        let work = NSTemporaryDirectory() + "dasaudit-tunnel-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        _ = try runDasaudit(["audit", capture("tunnel-vxlan-underlay.pcap"), "--connections", "--format", "json",
                             "--output", "\(work)/a.json"])
        let merged = try runDasaudit(["merge", "\(work)/a.json", "--format", "json"])
        let result = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(merged.stdout.utf8)) as? [String: Any], merged.stderr)
        let connections = try XCTUnwrap(result["connections"] as? [[String: Any]])
        XCTAssertEqual(connections.count, 10)
        XCTAssertEqual(Set(connections.map { $0["tunnel"] as? String }), ["vxlan"])
    }

    func testTheCommandLineSaysWhereTheSegmentsCameFrom() throws {
        let text = try runDasaudit(["audit", capture("tunnel-vxlan-underlay.pcap")])
        XCTAssertTrue(text.stdout.contains("719 TCP segments taken out of tunnels (vxlan 719), audited by their inner addresses"),
                      text.stdout)
        let json = try runDasaudit(["audit", capture("tunnel-vxlan-underlay.pcap"), "--format", "json"])
        let result = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let inputs = try XCTUnwrap(result["inputs"] as? [[String: Any]])
        XCTAssertEqual(inputs.first?["tunneled"] as? [String: Int], ["vxlan": 719])
    }
}
