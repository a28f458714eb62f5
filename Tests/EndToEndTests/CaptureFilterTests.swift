import Audit
@testable import dasaudit
import Foundation
import XCTest

/// `--filter BPF` on `audit` and `flows`: libpcap filters the capture files as it does a
/// live device, the evidence records the filter, and a bad filter stops the run before
/// any input is read.
final class CaptureFilterTests: XCTestCase {
    let spark = capture("spark-cluster-offset2-lo.pcap")

    func testAnAuditThroughAFilterSeesOnlyWhatItMatches() throws {
        let run = try runDasaudit(["audit", spark, "--offset", "2", "--mode", "cluster", "--cores", "2",
                                   "--filter", "tcp port 7079", "--format", "json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let result = try ResultCoding.decoder().decode(AuditResult.self, from: Data(run.stdout.utf8))
        XCTAssertEqual(result.services.map { "\($0.address):\($0.port)" }, ["127.0.0.1:7079"])
        XCTAssertEqual(result.services.first?.catalogKey, "spark.master.port")
        XCTAssertEqual(result.coverage.packets, 106, "only the packets of the two master connections")
        XCTAssertEqual(result.evidence?.captureFilter, "tcp port 7079")
        let unfiltered = try runDasaudit(["audit", spark, "--offset", "2", "--format", "json"])
        let whole = try ResultCoding.decoder().decode(AuditResult.self, from: Data(unfiltered.stdout.utf8))
        XCTAssertNil(whole.evidence?.captureFilter)
    }

    /// `captures/ipv6-options-veth.pcap`: an IPv6 client that sends hop-by-hop or
    /// destination options before TCP. `--filter 'tcp port 9763'` keeps only the server's
    /// side of those three connections (BPF's `tcp` does not look past the header), and the
    /// one-way note names the filter and the way out before it suspects the capture point;
    /// the way out keeps every packet. Before, the note blamed a SPAN port alone.
    func testAFilterThatDropsOneSideBehindAnIPv6ExtensionHeaderIsNamed() throws {
        let options = capture("ipv6-options-veth.pcap")
        func audit(_ filter: [String]) throws -> (AuditResult, String) {
            let json = try runDasaudit(["audit", options, "--offset", "0", "--format", "json"] + filter)
            let text = try runDasaudit(["audit", options, "--offset", "0", "--no-color"] + filter)
            return (try ResultCoding.decoder().decode(AuditResult.self, from: Data(json.stdout.utf8)), text.stdout)
        }
        let (whole, wholeText) = try audit([])
        XCTAssertEqual(whole.coverage.connections, 4)
        XCTAssertEqual(whole.coverage.connectionsSeenOneWay ?? 0, 0)
        XCTAssertFalse(wholeText.contains("one direction"), wholeText)
        let (filtered, filteredText) = try audit(["--filter", "tcp port 9763"])
        XCTAssertEqual(filtered.coverage.connections, 4)
        XCTAssertEqual(filtered.coverage.connectionsSeenOneWay, 3, "the three with options lost their client's side")
        XCTAssertTrue(filteredText.contains("3 connections seen in one direction only: the --filter may be why (BPF's tcp and "
            + "port do not look past an IPv6 extension header"), filteredText)
        XCTAssertTrue(filteredText.contains("add 'or ip6 protochain 6' to the filter"), filteredText)
        let (wayOut, wayOutText) = try audit(["--filter", "tcp port 9763 or ip6 protochain 6"])
        XCTAssertEqual(wayOut.coverage.connectionsSeenOneWay ?? 0, 0, wayOutText)
        XCTAssertEqual(wayOut.coverage.tcpSegments, whole.coverage.tcpSegments)
        XCTAssertEqual(wayOut.services.map(\.bytes), whole.services.map(\.bytes))
    }

    func testFlowsThroughAFilter() throws {
        let run = try runDasaudit(["flows", spark, "--filter", "host 127.0.0.4", "--format", "csv"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let rows = run.stdout.split(separator: "\n").dropFirst()
        XCTAssertEqual(rows.count, 2, run.stdout)
        XCTAssertTrue(rows.allSatisfy { $0.contains("127.0.0.4,31337") }, run.stdout)
    }

    func testABadFilterIsAUsageErrorBeforeAnyInputIsRead() throws {
        for command in ["audit", "flows"] {
            let run = try runDasaudit([command, "/nonexistent/capture.pcap", "--filter", "tcp prot 7079"])
            XCTAssertEqual(run.status, 2, command)
            XCTAssertEqual(run.stdout, "", command)
            XCTAssertTrue(run.stderr.contains("bad capture filter 'tcp prot 7079': can't parse filter expression: syntax error"),
                          run.stderr)
            XCTAssertFalse(run.stderr.contains("nonexistent"), "no input was opened: \(run.stderr)")
        }
    }

    /// A filter longer than the 16 KiB a command-line argument is recorded with is kept
    /// whole in `capture_filter`, and its result reads back. One longer than a result holds
    /// (which only systems other than Linux pass) is refused by every command that takes a
    /// filter, before libpcap compiles it, without repeating it. (Padded with spaces: libpcap
    /// takes minutes to optimize a filter of a thousand terms.)
    func testALongFilterReadsBackAndOneLongerThanAResultHoldsIsRefused() throws {
        let filter = "tcp port 7079" + String(repeating: " ", count: 20_000) + "or host 10.1.0.1"
        XCTAssertGreaterThan(filter.utf8.count, Evidence.longestArgument)
        let scratch = try scratchDirectory()
        let output = scratch.path("long-filter.json")
        let audited = try runDasaudit(["audit", spark, "--offset", "2", "--filter", filter, "--format", "json",
                                       "--output", output])
        XCTAssertNotEqual(audited.status, 2, audited.stderr)
        let result = try AuditResult.decode(from: try Data(contentsOf: URL(fileURLWithPath: output)))
        XCTAssertEqual(result.evidence?.captureFilter, filter)
        let rendered = try runDasaudit(["render", output, "--format", "markdown"])
        XCTAssertNotEqual(rendered.status, 2, rendered.stderr)

        let tooLong = filter + String(repeating: " ", count: Evidence.longestCaptureFilter)
        for arguments in [["audit", "a.pcap"], ["flows", "a.pcap"], ["infer", "a.pcap"], ["live", "-i", "lo"]] {
            XCTAssertThrowsError(try Dasaudit.parseAsRoot(arguments + ["--filter", tooLong]), arguments[0]) { error in
                let message = Dasaudit.message(for: error)
                XCTAssertTrue(message.contains("the capture filter is \(tooLong.utf8.count) bytes long; dasaudit takes at most "
                    + "131072 bytes (128 KiB)"), message)
                XCTAssertLessThan(message.utf8.count, 300, "the filter is not repeated")
                XCTAssertEqual(Dasaudit.exitCode(for: error), .validationFailure, "a usage error: exit 2 (`runMain`)")
            }
        }
    }

    /// A filter that compiles, but not for one input's link type: that input is reported
    /// and the others are still read.
    func testAFilterThatDoesNotFitAnInputsLinkTypeNamesThatInput() throws {
        let sll2 = capture("das-offset3-any.pcap")
        let run = try runDasaudit(["flows", sll2, spark, "--filter", "port 31337 or vlan", "--format", "csv"])
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.stderr, "dasaudit: error: \(sll2): the capture filter 'port 31337 or vlan' does not apply to "
            + "its link type LINUX_SLL2: no VLAN support for Linux cooked v2\n")
        XCTAssertEqual(run.stdout.split(separator: "\n").count, 3, "the header and the two connections of the other input")
    }
}
