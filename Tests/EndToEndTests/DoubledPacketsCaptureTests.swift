import Audit
import Foundation
import XCTest

/// Files that hold every packet twice without naming two interfaces (docs/inputs.md, "Files
/// that hold every packet twice"), made with the tools that make them from real captures:
/// `mergecap` of the two ends of one exchange (`captures/both-ends-a.pcap`, `-b.pcap`, each
/// 257 packets), whose default merges the two files' identical interfaces into one, and
/// `editcap -F pcap` of a real two-interface dumpcap capture of a router
/// (`captures/dumpcap-2if.pcapng`, 846 packets, 423 of them copies). The audit reads a
/// sample of each file's first TCP segments for copies (`InputSample`): these hold them, so
/// their copies are looked for over the whole file, counted once and said in the coverage.
/// Captures of real retransmissions, which repeat a segment's numbers, hold too few for it.
final class DoubledPacketsCaptureTests: XCTestCase {
    let bothEnds = ["--offset", "2", "--mode", "cluster", "--cores", "2"]

    func report(_ path: String, _ options: [String], format: String) throws -> String {
        let run = try runDasaudit(["audit", path, "--format", format, "--fail-on", "never"] + options)
        XCTAssertEqual(run.status, 0, run.stderr)
        return run.stdout
    }

    func audit(_ path: String, _ options: [String]) throws -> AuditResult {
        try decodedResult(report(path, options, format: "json"))
    }

    /// Per service: packets and bytes.
    func traffic(_ result: AuditResult) -> [String: [UInt64]] {
        Dictionary(uniqueKeysWithValues: result.services.map { ("\($0.address):\($0.port)", [$0.packets, $0.bytes]) })
    }

    /// mergecap's default (`-I all`) gives the two ends' packets one interface, in a pcapng
    /// or a pcap: each packet is in the file twice. The sample finds the copies, so the audit
    /// counts what one end captured, drops the 257 copies and says so; `--deduplicate`
    /// counts the same without the sample having to say it.
    func testTwoEndsMergedIntoOneInterfaceAreCountedOnceAndSaid() throws {
        let scratch = try scratchDirectory()
        let ends = [capture("both-ends-a.pcap"), capture("both-ends-b.pcap")]
        let merged = scratch.path("merged.pcapng"), mergedPcap = scratch.path("merged.pcap")
        try runTool("mergecap", ["-w", merged] + ends)
        try runTool("mergecap", ["-F", "pcap", "-w", mergedPcap] + ends)
        let one: AuditResult = try audit(ends[0], bothEnds)
        XCTAssertEqual(traffic(one)["10.77.0.2:7613"], [99, 185030])
        XCTAssertNil(one.inputs[0].duplicatesFoundBySample, "one end holds no copies")

        for path in [merged, mergedPcap] {
            let once: AuditResult = try audit(path, bothEnds)
            XCTAssertEqual(once.coverage.packets, 514, path)
            XCTAssertEqual(once.coverage.tcpSegments, 257, path)
            XCTAssertEqual(once.coverage.skipped["duplicate"], 257, path)
            XCTAssertEqual(once.inputs[0].duplicatesFoundBySample, 257, path)
            XCTAssertEqual(once.coverage.connections, 18, path)
            XCTAssertEqual(traffic(once), traffic(one), path)
            // Piped in, read once: sampled from the bytes read ahead of it (`LookAhead`).
            let piped = try runDasaudit(["audit", "-", "--format", "json"] + bothEnds,
                                        stdin: try Data(contentsOf: URL(fileURLWithPath: path)))
            let pipedResult: AuditResult = try decodedResult(piped.stdout)
            XCTAssertEqual(pipedResult.inputs[0].duplicatesFoundBySample, 257, "\(path), piped")
            XCTAssertEqual(traffic(pipedResult), traffic(one), "\(path), piped")
        }

        let asked: AuditResult = try audit(merged, bothEnds + ["--deduplicate"])
        XCTAssertEqual(traffic(asked), traffic(one))
        XCTAssertEqual(asked.coverage.skipped["duplicate"], 257)
        XCTAssertNil(asked.inputs[0].duplicatesFoundBySample, "looked for because asked, not found by the sample")

        // The remedies before the audit: two interfaces kept apart, whose copies are told by
        // interface; the same bytes again dropped by editcap. Nothing for the sample to find.
        let apart = scratch.path("apart.pcapng"), deduplicated = scratch.path("deduplicated.pcap")
        try runTool("mergecap", ["-I", "none", "-w", apart] + ends)
        try runTool("editcap", ["-D", "100", mergedPcap, deduplicated])
        for path in [apart, deduplicated] {
            let once: AuditResult = try audit(path, bothEnds)
            XCTAssertEqual(traffic(once), traffic(one), path)
            XCTAssertEqual(once.coverage.tcpSegments, 257, path)
            XCTAssertNil(once.inputs[0].duplicatesFoundBySample, path)
        }

        let said = "257 copies dropped in 1 input that holds every packet twice without naming two interfaces, "
            + "found by its first TCP segments (looked for as with --deduplicate)"
        XCTAssertTrue(try report(merged, bothEnds, format: "text").contains("; \(said)"))
        XCTAssertTrue(try report(merged, bothEnds, format: "markdown")
            .contains("- **Copies found without --deduplicate**: \(said)\n"))
        XCTAssertTrue(try report(merged, bothEnds, format: "html")
            .contains("Copies found without --deduplicate"))
        XCTAssertFalse(try report(ends[0], bothEnds, format: "text").contains("found by its first TCP segments"))
    }

    /// Given with one end's own file, only the merged input holds copies: the coverage says
    /// which share of the inputs did, and the one end's file keeps its counts.
    func testOnlyTheInputThatHoldsCopiesIsDeduplicated() throws {
        let scratch = try scratchDirectory()
        let ends = [capture("both-ends-a.pcap"), capture("both-ends-b.pcap")]
        let merged = scratch.path("merged.pcap")
        try runTool("mergecap", ["-F", "pcap", "-w", merged] + ends)
        let result: AuditResult = try audit(merged, [capture("retransmissions-veth.pcap")] + bothEnds)
        XCTAssertEqual(result.inputs.map(\.duplicatesFoundBySample), [257, nil])
        XCTAssertEqual(result.inputs[1].skipped["duplicate"], nil)
        let text = try report(merged, [capture("retransmissions-veth.pcap")] + bothEnds, format: "text")
        XCTAssertTrue(text.contains("257 copies dropped in 1 of 2 inputs that holds every packet twice"), text)
    }

    /// `editcap -F pcap` of a pcapng of two interfaces of a router drops the interface each
    /// packet names: its 423 copies (routed: another TTL and other MAC addresses, so not the
    /// same bytes, which `editcap -D` compares) are found by the sample and counted once, as
    /// the pcapng itself counts them.
    func testAPcapngOfTwoInterfacesConvertedToPcapCountsItsCopiesOnce() throws {
        let scratch = try scratchDirectory()
        let converted = scratch.path("2if.pcap"), deduplicated = scratch.path("2if-D.pcap")
        try runTool("editcap", ["-F", "pcap", capture("dumpcap-2if.pcapng"), converted])
        try runTool("editcap", ["-D", "100", converted, deduplicated])
        let named: AuditResult = try audit(capture("dumpcap-2if.pcapng"), ["--offset", "0"])
        XCTAssertEqual(named.coverage.skipped["duplicate"], 423)
        XCTAssertEqual(named.coverage.tcpSegments, 423)
        XCTAssertNil(named.inputs[0].duplicatesFoundBySample, "the pcapng names its interfaces: no sample needed")

        for path in [converted, deduplicated] {
            let once: AuditResult = try audit(path, ["--offset", "0"])
            XCTAssertEqual(once.coverage.tcpSegments, 423, path)
            XCTAssertEqual(once.coverage.skipped["duplicate"], 423, path)
            XCTAssertEqual(once.inputs[0].duplicatesFoundBySample, 423, path)
            XCTAssertEqual(once.coverage.connections, named.coverage.connections, path)
            XCTAssertEqual(traffic(once), traffic(named), path)
        }
    }

    /// Real retransmissions repeat a segment's numbers, and a few sent within the millisecond
    /// over IPv6 are taken for copies by `--deduplicate` (2 on retransmissions-veth); too few
    /// for the sample, so these captures are counted as they always were, nothing dropped.
    func testCapturesOfRealRetransmissionsAreLeftUnchanged() throws {
        let asked: AuditResult = try audit(capture("retransmissions-veth.pcap"), ["--offset", "0", "--deduplicate"])
        XCTAssertEqual(asked.coverage.skipped["duplicate"], 2, "what the sample sees there")
        for name in ["retransmissions-veth.pcap", "retransmitted-first-veth-s96.pcap",
                     "retransmitted-first-lost-veth-s96.pcap", "first-segments-lost-veth.pcap", "tls-reordered-tun.pcap"] {
            let result: AuditResult = try audit(capture(name), ["--offset", "0"])
            XCTAssertNil(result.coverage.skipped["duplicate"], name)
            XCTAssertNil(result.inputs[0].duplicatesFoundBySample, name)
            XCTAssertEqual(result.coverage.tcpSegments + result.coverage.skipped.values.reduce(0, +),
                           result.coverage.packets, name)
        }
    }
}
