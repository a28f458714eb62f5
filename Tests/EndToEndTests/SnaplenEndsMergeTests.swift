import Audit
import Foundation
import XCTest

/// `dasaudit merge` of one exchange captured at both ends with different snapshot lengths
/// (`captures/snaplen-ends-*.pcap`, scripts/recording/record-snaplen-ends.sh): the client's
/// host with `tcpdump -i any -s 64` (headers only), the server's in full. tshark on the
/// server's capture: 3 connections, to 9443 (a TLS 1.0 server hello, version 0x0301), 7611
/// and 31337 (an HTTP GET and its answer each).
final class SnaplenEndsMergeTests: XCTestCase {
    func audit(_ file: String, at point: String) throws -> String {
        let output = temporary(point + ".json")
        let run = try runDasaudit(["audit", capture(file), "--capture-point", point, "--connections", "--fail-on", "never",
                                   "--format", "json", "--output", output])
        XCTAssertEqual(run.status, 0, run.stderr)
        return output
    }

    func result(at path: String) throws -> AuditResult { try decodedResult(try String(contentsOfFile: path, encoding: .utf8)) }

    /// Every finding above low (not the unused openings) as "severity kind address:port",
    /// and every service's protocols and TLS versions.
    func verdict(_ result: AuditResult) -> [String] {
        result.findings.filter { $0.severity > .low }
            .map { "\($0.severity) \($0.kind.rawValue) \($0.address ?? "-"):\($0.port.map(String.init) ?? "-")" }
            + result.services.map { "\($0.address):\($0.port) \(($0.protocols ?? [:]).sorted { $0.key < $1.key }) \($0.tlsVersions ?? [])" }
    }

    /// The client's headers-only sighting of each connection led the merge (the earlier of
    /// two equal sightings), and what the connection spoke was taken from it alone: the
    /// merge said every protocol `unknown` and lost the server's own findings, the HTTP on
    /// the thrift port (high), the TLS 1.0 (medium) and the web server's hint. What one end
    /// captured was spoken: the merge keeps the server's view, whatever the order.
    func testAHeadersOnlyEndDoesNotEraseWhatTheOtherEndSawSpoken() throws {
        let client = try audit("snaplen-ends-client-sll2.pcap", at: "a"), server = try audit("snaplen-ends-server-eth.pcap", at: "b")
        let serverAlone = try result(at: server)
        XCTAssertEqual(verdict(serverAlone), [
            "high protocol-mismatch 10.79.0.2:7611", "high unexpected-port 10.79.0.2:31337", "medium deprecated-tls 10.79.0.2:9443",
            "10.79.0.2:7611 [(key: \"http\", value: 1)] []", "10.79.0.2:9443 [(key: \"tls\", value: 1)] [\"1.0\"]",
            "10.79.0.2:31337 [(key: \"http\", value: 1)] []",
        ])
        XCTAssertEqual(try result(at: client).services.map { $0.protocols ?? [:] }, Array(repeating: ["unknown": 1], count: 3),
                       "64 bytes at -i any keep no payload byte")
        for order in [[client, server], [server, client]] {
            let output = temporary("merged.json")
            let run = try runDasaudit(["merge"] + order + ["--fail-on", "never", "--format", "json", "--output", output])
            XCTAssertEqual(run.status, 0, run.stderr)
            let merged = try result(at: output)
            XCTAssertEqual(merged.coverage.connections, 3)
            XCTAssertEqual(verdict(merged), verdict(serverAlone))
            XCTAssertEqual(merged.services.first { $0.port == 31337 }?.hint, serverAlone.services.first { $0.port == 31337 }?.hint)
        }
    }
}
