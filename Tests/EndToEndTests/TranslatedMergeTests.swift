import Audit
import Foundation
import XCTest

/// `dasaudit merge` across an address translation, on real captures made at three points
/// at once (captures/nat-merge-*.pcap, scripts/recording/record-nat-merge.sh): the host
/// that publishes container c's port 9763 as 19763, runs a Service (10.96.0.10:80) in front
/// of containers c and d and masquerades their connections out (`tcpdump -i any`); the
/// outside host b, which fetches through the published port and the Service and serves the
/// containers' fetches (`-i any`); and container c's own interface (`-i eth0`). The host
/// alone sees all 10 connections once (tshark: 10 on the servers' interfaces). Merged, each
/// end's sighting at the front or before masquerade is the connection the host audited: 10,
/// with the same services, and no published port or Service address audited as a service.
final class TranslatedMergeTests: XCTestCase {
    let policy = ["--offset", "0"]

    func audit(_ capture: String, point: String) throws -> String {
        let output = temporary(point + ".json")
        let run = try runDasaudit(["audit", capturesDirectory.appendingPathComponent(capture).path, "--capture-point", point,
                                   "--connections", "--fail-on", "never", "--format", "json", "--output", output] + policy)
        XCTAssertEqual(run.status, 0, run.stderr)
        return output
    }

    func result(_ text: String) throws -> AuditResult { try decodedResult(text) }

    /// Per service, every count; and the connections, the findings above info and the
    /// translations named.
    func counts(_ result: AuditResult) -> [String] {
        serviceCounts(result) + ["connections \(result.coverage.connections)",
             "findings \(result.findings.filter { $0.severity > .info && $0.kind != .unusedOpening }.map { "\($0.kind.rawValue) \($0.address ?? "-"):\($0.port.map(String.init) ?? "-")" })",
             "translated \((result.coverage.translated ?? [:]).sorted { $0.key < $1.key })"]
    }

    func testEveryCombinationOfTheThreePointsCountsEachConnectionOnceWhereItReachedTheServer() throws {
        let host = try audit("nat-merge-host-sll2.pcap", point: "host")
        let client = try audit("nat-merge-client-sll2.pcap", point: "b")
        let container = try audit("nat-merge-container-eth.pcap", point: "c")
        let alone = try result(try String(contentsOfFile: host))
        // Packets and payload as tshark counts them on the servers' interfaces of the host
        // (c's port 4 and d's 5; the masqueraded fetches on b's link, 3).
        XCTAssertEqual(counts(alone), [
            "10.227.0.2:9763 expected conns 6 packets 72 bytes 31565 payload 26285 clients 1 [(key: \"closed\", value: 6)] [(key: \"handshake\", value: 6)]",
            "10.227.0.3:9763 expected conns 2 packets 24 bytes 10512 payload 8752 clients 1 [(key: \"closed\", value: 2)] [(key: \"handshake\", value: 2)]",
            "10.228.0.1:9763 expected conns 2 packets 24 bytes 10522 payload 8762 clients 1 [(key: \"closed\", value: 2)] [(key: \"handshake\", value: 2)]",
            "connections 10", "findings []",
            "translated [(key: \"10.228.0.254:19763 -> 10.227.0.2:9763\", value: 3), (key: \"10.96.0.10:80 -> 10.227.0.2:9763\", "
                + "value: 2), (key: \"10.96.0.10:80 -> 10.227.0.3:9763\", value: 2), (key: \"client 10.227.0.2 -> 10.228.0.254\", value: 2)]",
        ])
        for sources in [[host, client], [host, container], [host, client, container], [container, client, host]] {
            let run = try runDasaudit(["merge"] + sources + policy + ["--format", "json"])
            XCTAssertEqual(run.status, 0, run.stderr)
            // Before: 17 with b (the published port 19763 and the Service's 80 audited as
            // unexpected services, high), 12 with c (its masqueraded fetches), 19 with both.
            XCTAssertEqual(counts(try result(run.stdout)), counts(alone), "\(sources.map { URL(fileURLWithPath: $0).lastPathComponent })")
        }
        // A merged result merged again gives the same bytes as one merge of all three.
        let first = try runDasaudit(["merge", client, container] + policy + ["--format", "json"])
        let partial = temporary("partial.json")
        try first.stdout.write(toFile: partial, atomically: true, encoding: .utf8)
        let time = ["DASAUDIT_AUDIT_TIME": "2026-12-05T18:00:00Z"]
        let tree = try result(try runDasaudit(["merge", host, partial] + policy + ["--format", "json"], environment: time).stdout)
        let flat = try result(try runDasaudit(["merge", host, client, container] + policy + ["--format", "json"], environment: time).stdout)
        XCTAssertEqual(counts(tree), counts(alone))
        XCTAssertEqual(tree.connections?.count, 10 + 10 + 8, "every sighting as captured: the host's 10, b's 10, c's 8")
        XCTAssertEqual(try canonical(tree), try canonical(flat))
    }

    /// The result's JSON without the command line, which records how each merge was asked for.
    func canonical(_ result: AuditResult) throws -> Data {
        var result = result
        result.evidence?.commandLine = []
        return try ResultCoding.encoder(canonical: true).encode(result)
    }
}
