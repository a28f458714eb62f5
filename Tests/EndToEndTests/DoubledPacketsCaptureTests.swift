import Audit
import Foundation
import XCTest

/// Files that hold every packet twice without naming two interfaces (docs/inputs.md, "Files
/// that hold every packet twice"), made with the tools that make them from real captures:
/// `mergecap` of the two ends of one exchange (`captures/both-ends-a.pcap`, `-b.pcap`, each
/// 257 packets), whose default merges the two files' identical interfaces into one, and
/// `editcap -F pcap` of a real two-interface dumpcap capture of a router
/// (`captures/dumpcap-2if.pcapng`, 846 packets, 423 of them copies). The audit does not look
/// for copies there unless told (`--deduplicate`): hashing every packet of every capture
/// costs the reading thread 18.6% more instructions. These pin what each gives, so that
/// the documented limit and its remedies stay true.
final class DoubledPacketsCaptureTests: XCTestCase {
    let bothEnds = ["--offset", "2", "--mode", "cluster", "--cores", "2"]

    func audit(_ path: String, _ options: [String]) throws -> AuditResult {
        let run = try runDasaudit(["audit", path, "--format", "json", "--fail-on", "never"] + options)
        XCTAssertEqual(run.status, 0, run.stderr)
        return try decodedResult(run.stdout)
    }

    /// Per service: packets and bytes.
    func traffic(_ result: AuditResult) -> [String: [UInt64]] {
        Dictionary(uniqueKeysWithValues: result.services.map { ("\($0.address):\($0.port)", [$0.packets, $0.bytes]) })
    }

    /// mergecap's default (`-I all`) gives the two ends' packets one interface: each counted
    /// twice, every service's packets and bytes doubled, nothing said. `--deduplicate`, or
    /// `mergecap -I none` (two interfaces, whose copies are told apart), or `editcap -D` (the
    /// same bytes again) give one end's counts.
    func testTwoEndsMergedIntoOneInterfaceCountTwiceUnlessCopiesAreLookedFor() throws {
        let scratch = try scratchDirectory()
        let ends = [capture("both-ends-a.pcap"), capture("both-ends-b.pcap")]
        let merged = scratch.path("merged.pcapng"), apart = scratch.path("apart.pcapng")
        let mergedPcap = scratch.path("merged.pcap"), deduplicated = scratch.path("deduplicated.pcap")
        try runTool("mergecap", ["-w", merged] + ends)
        try runTool("mergecap", ["-I", "none", "-w", apart] + ends)
        try runTool("mergecap", ["-F", "pcap", "-w", mergedPcap] + ends)
        try runTool("editcap", ["-D", "100", mergedPcap, deduplicated])
        let one = try audit(ends[0], bothEnds)
        XCTAssertEqual(traffic(one)["10.77.0.2:7613"], [99, 185030])

        let doubled = try audit(merged, bothEnds)
        XCTAssertEqual(doubled.coverage.packets, 514)
        XCTAssertEqual(doubled.coverage.connections, 18, "a copy's connection is its original's")
        XCTAssertNil(doubled.coverage.skipped["duplicate"])
        XCTAssertEqual(traffic(doubled), traffic(one).mapValues { $0.map { $0 * 2 } })

        for (path, options) in [(merged, ["--deduplicate"]), (apart, []), (deduplicated, [])] {
            let once = try audit(path, bothEnds + options)
            XCTAssertEqual(traffic(once), traffic(one), "\(path) \(options)")
            XCTAssertEqual(once.coverage.tcpSegments, 257, "\(path) \(options)")
        }
    }

    /// `editcap -F pcap` of a pcapng of two interfaces of a router drops the interface each
    /// packet names: its 423 copies (routed: another TTL and other MAC addresses, so not the
    /// same bytes) counted again. `--deduplicate` finds them; `editcap -D`, which compares
    /// whole frames, does not.
    func testAPcapngOfTwoInterfacesConvertedToPcapCountsItsCopiesUnlessDeduplicated() throws {
        let scratch = try scratchDirectory()
        let converted = scratch.path("2if.pcap"), deduplicated = scratch.path("2if-D.pcap")
        try runTool("editcap", ["-F", "pcap", capture("dumpcap-2if.pcapng"), converted])
        try runTool("editcap", ["-D", "100", converted, deduplicated])
        let named = try audit(capture("dumpcap-2if.pcapng"), ["--offset", "0"])
        XCTAssertEqual(named.coverage.skipped["duplicate"], 423)
        XCTAssertEqual(named.coverage.tcpSegments, 423)

        for path in [converted, deduplicated] {
            let doubled = try audit(path, ["--offset", "0"])
            XCTAssertEqual(doubled.coverage.tcpSegments, 846, path)
            XCTAssertNil(doubled.coverage.skipped["duplicate"], path)
            XCTAssertEqual(doubled.coverage.connections, named.coverage.connections, path)
        }
        let once = try audit(converted, ["--offset", "0", "--deduplicate"])
        XCTAssertEqual(once.coverage.skipped["duplicate"], 423)
        XCTAssertEqual(traffic(once), traffic(named))
    }
}
