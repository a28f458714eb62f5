import Audit
import CaptureEngine
import Foundation
import Policy
import XCTest

/// Real HTTP through a host that translates addresses as Docker's published ports, a
/// Kubernetes Service and masquerade do, recorded on every interface at once
/// (scripts/recording/record-nat.sh): each connection is in the file as the client
/// addressed it and as it reached the server. The audit counts each connection once, where
/// it reached the server (or, masqueraded, as it left the host): exactly what the
/// container's own interface (3) saw, with the front views counted as `translated` and
/// named in the coverage.
final class TranslatedCopiesCaptureTests: XCTestCase {
    let auditor = Auditor(policy: Policy(offset: 0))

    /// What each service's traffic adds up to, in the terms a second view would double.
    private func traffic(_ result: AuditResult) -> [String] {
        result.services.map {
            "\($0.address):\($0.port) \($0.classification.rawValue) \($0.packets) packets \($0.bytes) bytes "
                + "\($0.payloadBytes) payload \($0.connections) connections "
                + $0.states.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
    }

    let translations: [String: UInt64] = [
        "10.208.0.254:19763 -> 10.207.0.2:9763": 4,
        "10.208.0.254:9763 -> 10.207.0.2:9763": 3,
        "[fd00:208::fe]:19763 -> [fd00:207::2]:9763": 2,
        "10.96.0.10:80 -> 10.207.0.2:9763": 3,
        "client 10.207.0.2 -> 10.208.0.254": 2,
    ]

    func testEachConnectionCountsOnceWhereItReachedTheServer() {
        let everything = auditor.audit(paths: [capture("nat-any-sll2.pcap")])
        let truth = auditor.audit(bundled: "nat-any-sll2.pcap", filter: "ifindex 3")

        XCTAssertEqual(truth.coverage.skipped, [:], "the container's interface holds one view of each connection")
        XCTAssertEqual(traffic(everything), traffic(truth))
        XCTAssertEqual(traffic(everything), [
            "10.207.0.2:9763 expected 197 packets 214419 bytes 200043 payload 12 connections closed 12",
            "10.208.0.1:8080 unexpected 32 packets 35676 bytes 33340 payload 2 connections closed 2",
            "fd00:207::2:9763 expected 32 packets 36326 bytes 33350 payload 2 connections closed 2",
        ])
        XCTAssertEqual(everything.coverage.packets, 783)
        XCTAssertEqual(everything.coverage.tcpSegments, truth.coverage.tcpSegments)
        XCTAssertEqual(everything.coverage.skipped, ["duplicate": 295, "translated": 227])
        XCTAssertEqual(everything.coverage.translated, translations)
        XCTAssertEqual(everything.inputs.first?.translated, translations)
        XCTAssertEqual(everything.coverage.connections, 16)
        XCTAssertFalse(everything.findings.contains { [80, 19763].contains($0.port) },
                       "the Service's port 80 and the published 19763 are fronts, not services")
    }

    /// Before this, the front views were services of their own: an unexpected port 80 on
    /// the ClusterIP, 19763 on the host, and the masqueraded fetches counted twice.
    func testEachFrontViewIsNamedWithTheServiceItLeadsTo() {
        let frontSide = auditor.audit(bundled: "nat-any-sll2.pcap", filter: "ifindex 4 or ifindex 5")
        let fronts = Set(frontSide.services.map { "\($0.address):\($0.port)" })
        XCTAssertEqual(fronts, ["10.96.0.10:80", "10.208.0.254:19763", "10.208.0.254:9763", "fd00:208::fe:19763",
                                "10.207.0.2:9763", "10.208.0.1:8080"])
        let named = Set(translations.keys.compactMap { $0.components(separatedBy: " -> ").first }
            .map { $0.replacingOccurrences(of: "[", with: "").replacingOccurrences(of: "]", with: "") })
        for front in ["10.96.0.10:80", "10.208.0.254:19763", "10.208.0.254:9763", "fd00:208::fe:19763"] {
            XCTAssertTrue(named.contains(front), front)
        }
    }

    /// SLL v1 names no interface, but it says whether a packet was received or sent, which is
    /// all a translation needs: the same traffic, 4 bytes less a packet.
    func testTheOlderCookedHeaderFindsTheSameTranslations() {
        let older = auditor.audit(paths: [capture("nat-any-sll.pcap")])
        let newer = auditor.audit(paths: [capture("nat-any-sll2.pcap")])
        XCTAssertEqual(older.services.map(\.packets), newer.services.map(\.packets))
        XCTAssertEqual(older.services.map(\.bytes), newer.services.map { $0.bytes - 4 * $0.packets })
        XCTAssertEqual(older.coverage.skipped, newer.coverage.skipped)
        XCTAssertEqual(older.coverage.translated, translations)
    }

    /// A Kubernetes NodePort, recorded as kube-proxy serves one (a second run of the script):
    /// DNAT and masquerade, so both endpoints change, and the answers are translated back
    /// one side at a time, with bridge netfilter capturing them halfway. Each connection
    /// counts once, as the server's link saw it, from the node's address.
    func testANodePortTranslatingBothEndpointsCountsEachConnectionOnce() {
        let everything = auditor.audit(paths: [capture("nat-nodeport-sll2.pcap")])
        let truth = auditor.audit(bundled: "nat-nodeport-sll2.pcap", filter: "ifindex 3")
        XCTAssertEqual(traffic(everything), traffic(truth))
        XCTAssertEqual(traffic(everything),
                       ["10.207.0.2:9763 expected 49 packets 53595 bytes 50019 payload 3 connections closed 3"])
        XCTAssertEqual(everything.services.first?.clients, 1, "the node's address, as the server saw it")
        XCTAssertEqual(everything.coverage.packets, 147)
        XCTAssertEqual(everything.coverage.skipped, ["duplicate": 27, "translated": 71])
        XCTAssertEqual(everything.coverage.translated, ["10.208.0.254:30763 -> 10.207.0.2:9763": 3])
        XCTAssertFalse(everything.findings.contains { $0.port == 30763 }, "the NodePort is a front, not a service")
    }

    func testTheCommandLineSaysWhatWasTranslated() throws {
        let text = try runDasaudit(["audit", capture("nat-any-sll2.pcap"), "--offset", "0"])
        XCTAssertTrue(text.stdout.contains(
            "14 connections captured again after address translation (NAT), audited once, as they reached the server "
                + "or left the host: 10.208.0.254:19763 -> 10.207.0.2:9763 (4), 10.208.0.254:9763 -> 10.207.0.2:9763 (3), "
                + "10.96.0.10:80 -> 10.207.0.2:9763 (3), [fd00:208::fe]:19763 -> [fd00:207::2]:9763 (2), "
                + "client 10.207.0.2 -> 10.208.0.254 (2)"), text.stdout)

        let flows = try runDasaudit(["flows", capture("nat-any-sll2.pcap"), "--format", "csv"]).stdout
            .split(separator: "\n").dropFirst()
        XCTAssertEqual(flows.count, 16)
        XCTAssertFalse(flows.contains { $0.contains("10.96.0.10") || $0.contains(",19763,") }, "no front view listed")

        let work = NSTemporaryDirectory() + "dasaudit-nat-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        for (name, file) in [("a", "nat-any-sll2.pcap"), ("b", "nat-any-sll.pcap")] {
            _ = try runDasaudit(["audit", capture(file), "--connections", "--format", "json", "--output", "\(work)/\(name).json"])
        }
        // The two inputs' translations are summed, as their other coverage counts are.
        let merged = try runDasaudit(["merge", "\(work)/a.json", "\(work)/b.json", "--format", "json"])
        let result = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(merged.stdout.utf8)) as? [String: Any], merged.stderr)
        let coverage = try XCTUnwrap(result["coverage"] as? [String: Any])
        XCTAssertEqual(coverage["translated"] as? [String: Int], translations.mapValues { Int($0) * 2 })
    }
}
