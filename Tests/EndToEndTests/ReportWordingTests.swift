import Foundation
import XCTest

/// Words a report got wrong at the edges, on real captures: an empty list printed as
/// "groups )" and "every expected port carried traffic" when none was expected, "no
/// connection's protocol unknown" when there was no connection at all, and "1 hosts".
final class ReportWordingTests: XCTestCase {
    /// `expect: []`: a service of a catalog group the policy does not expect says that the
    /// policy expects no group, not "groups )".
    func testAPolicyThatExpectsNoGroupSaysSo() throws {
        let policy = temporary("noexpect.yaml")
        try "offset: 2\nexpect: []\n".write(toFile: policy, atomically: true, encoding: .utf8)
        let run = try runDasaudit(["audit", capture("spark-cluster-offset2-lo.pcap"), "--policy", policy])
        XCTAssertTrue(run.stdout.contains("which this policy does not expect (Spark mode local, no catalog group); it served"),
                      run.stdout)
        XCTAssertFalse(run.stdout.contains("groups )"), run.stdout)
        // Nor does it say every expected port carried traffic: none was expected.
        XCTAssertTrue(run.stdout.contains("Unused openings (0)\n  none: the policy expects no catalog port\n"), run.stdout)
    }

    /// A `-s 40` capture cuts every TCP header: no connection was read, so none had a
    /// protocol to tell, known or not.
    func testASnapshotTooShortForAnyConnectionSaysThereWasNoneToTell() throws {
        let run = try runDasaudit(["audit", capture("http-cut-s40-lo.pcap")])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stdout.contains("48 packets, 0 TCP, 0 connections;"), run.stdout)
        XCTAssertTrue(run.stdout.contains("snapshot length 40 bytes, below the 192 that keep the payload bytes protocols are "
            + "recognized by: payloads cut, no connection to tell"), run.stdout)
        XCTAssertFalse(run.stdout.contains("no connection's protocol unknown"), run.stdout)
    }

    func testInferCountsOneHostInTheSingular() throws {
        let run = try runDasaudit(["infer", capture("protocols-lo.pcap"), "-o", temporary("draft.yaml")])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains(", 1 host\n") || run.stderr.contains(", 1 host;"), run.stderr)
        XCTAssertFalse(run.stderr.contains("1 hosts"), run.stderr)
    }
}
