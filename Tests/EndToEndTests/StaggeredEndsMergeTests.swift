import Audit
import Foundation
import XCTest

/// `dasaudit merge` of one connection captured at both ends over staggered windows
/// (`captures/staggered-ends-*.pcap`, scripts/recording/record-staggered-ends.sh): the
/// client's host from before the SYN to 3.5 s in (31 packets), the server's from 2 s in to
/// after both FINs (27 packets, no SYN), as tshark reads them.
final class StaggeredEndsMergeTests: XCTestCase {
    /// The JSON result of auditing `file` at `point`: its path, and the result.
    func audit(_ file: String, at point: String) throws -> (path: String, result: AuditResult) {
        let output = temporary(point + ".json")
        let run = try runDasaudit(["audit", capture(file), "--capture-point", point, "--connections", "--fail-on", "never",
                                   "--format", "json", "--output", output])
        XCTAssertEqual(run.status, 0, run.stderr)
        return (output, try decodedResult(try String(contentsOfFile: output, encoding: .utf8)))
    }

    /// The client's sighting gave the connection its orientation (the handshake) and, with
    /// it, its state: still open when the client's capture stopped, so the merge said the
    /// connection was open at the end (`established`, `open_at_end` 1) where the server's
    /// capture saw it closed. An end seen at either point is the connection's end: closed,
    /// opened in the client's window; its counts, the larger sighting's, still a lower bound.
    func testAConnectionClosedAtOneEndIsClosedWhenTheOtherStoppedCapturingFirst() throws {
        let client = try audit("staggered-ends-client-eth.pcap", at: "a"), server = try audit("staggered-ends-server-eth.pcap", at: "b")
        XCTAssertEqual(client.result.services.map(\.states), [["established": 1]])
        XCTAssertEqual(client.result.coverage.openAtEnd, 1)
        XCTAssertEqual(server.result.services.map(\.states), [["midstream": 1]])
        XCTAssertEqual(server.result.connections?.map(\.ending), [.closed])
        let paths = [client.path, server.path]
        for order in [paths, paths.reversed()] {
            let output = temporary("merged.json")
            let run = try runDasaudit(["merge"] + order + ["--fail-on", "never", "--format", "json", "--output", output])
            XCTAssertEqual(run.status, 0, run.stderr)
            let merged = try decodedResult(try String(contentsOfFile: output, encoding: .utf8))
            XCTAssertEqual(merged.services.map(\.states), [["closed": 1]])
            XCTAssertEqual(merged.coverage.openAtEnd, 0)
            XCTAssertEqual(merged.coverage.connectionsCountedLow, 1)
            XCTAssertEqual(merged.services.map(\.packets), [31], "the larger sighting's, a lower bound")
        }
    }
}
