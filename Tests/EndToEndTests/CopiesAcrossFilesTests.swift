import Audit
import CaptureEngine
import Foundation
import Policy
import XCTest

/// Copies of one packet (a forwarded packet captured once per interface it crossed) that a
/// boundary between files separates from their original, on real captures
/// (scripts/recording/record-rotated-copies.sh): a rotated capture on every interface of a
/// host that routes (`tcpdump -i any -C 1`), whose next file can begin with the copy of the
/// packet that ended the file before, and a pcapng whose first section has one interface
/// and whose second has two (`cat`). Each must count as the same packets in one file.
final class CopiesAcrossFilesTests: XCTestCase {
    let auditor = Auditor(policy: Policy())
    let set = ["any.pcap", "any.pcap1", "any.pcap2", "any.pcap3", "any.pcap4"].map { capture("rotated-copies/" + $0) }

    /// What each service's traffic adds up to, in the terms a copy counted again would change.
    private func traffic(_ result: AuditResult) -> [String] {
        result.services.map {
            "\($0.address):\($0.port) \($0.packets) packets \($0.bytes) bytes \($0.payloadBytes) payload "
                + "\($0.connections) connections "
                + $0.states.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
    }

    /// The coverage's counts: packets, segments tracked, set aside, connections.
    private func counts(_ result: AuditResult) -> String {
        let coverage = result.coverage
        return "\(coverage.packets) packets, \(coverage.tcpSegments) segments, \(coverage.skipped), "
            + "\(coverage.connections) connections"
    }

    /// The set's files joined into one (`mergecap -a`: the first file, then the records of
    /// each next one, as tcpdump would have written them without `-C`).
    private func joined(_ paths: [String], in scratch: ScratchDirectory) throws -> String {
        var bytes = try contents(paths[0])
        for path in paths.dropFirst() { bytes += try contents(path).dropFirst(24) }
        return try scratch.file("joined.pcap", bytes)
    }

    /// Three copies begin a file whose original ended the one before: they were counted
    /// again (135 segments against the joined file's 132). Read as one set, in one call, on
    /// one thread or two, the set now audits as the joined file, which is the count of
    /// one interface per path (tshark's: 132 packets on interface 2, the client's link).
    func testARotatedSetAuditsAsItsFilesJoined() throws {
        let joinedPath = try joined(set, in: try scratchDirectory())
        let whole = auditor.audit(paths: [joinedPath])
        XCTAssertEqual(counts(whole), #"264 packets, 132 segments, ["duplicate": 132], 11 connections"#)
        XCTAssertEqual(traffic(whole), ["10.234.0.2:9763 132 packets 24123 bytes 14443 payload 11 connections closed 11"])
        var onePath = auditor
        onePath.captureFilter = "ifindex 2"
        XCTAssertEqual(traffic(onePath.audit(paths: [joinedPath])), traffic(whole), "one interface per path")
        for threads in [1, 2] {
            let asSet = auditor.audit(paths: set, threads: threads)
            XCTAssertEqual(counts(asSet), counts(whole), "\(threads) threads")
            XCTAssertEqual(traffic(asSet), traffic(whole), "\(threads) threads")
            XCTAssertEqual(asSet.inputs.map(\.tcpSegments).reduce(0, +), 132)
        }
        for inputs in [set, [capture("rotated-copies")]] {
            let command = try runDasaudit(["audit", "--format", "json"] + inputs)
            let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(command.stdout.utf8)) as? [String: Any])
            let coverage = try XCTUnwrap(json["coverage"] as? [String: Any])
            XCTAssertEqual(coverage["tcp_segments"] as? Int, 132, "dasaudit audit \(inputs.count) inputs")
            XCTAssertEqual(coverage["skipped"] as? [String: Int], ["duplicate": 132])
        }
        let flows = { (paths: [String]) in self.auditor.connections(paths: paths).connections.map { "\($0)" } }
        XCTAssertEqual(flows(set), flows([joinedPath]), "dasaudit flows")
        XCTAssertEqual(flows(set).count, 11)
    }

    /// dumpcap on both links of a host that routes, writing a ring (`-b packets:100`,
    /// captures/dumpcap-ring/) and, at the same time, one file (dumpcap-2if.pcapng;
    /// scripts/recording/record-dumpcap-ring.sh). dumpcap writes each interface's packets in
    /// turn, up to 0.239 s out of time order, and a file of its ring begins up to 0.19 s
    /// before the one before it ends. Held to a millisecond, the memory of copies started
    /// empty in such a file and the second interface's copy of a connection there was
    /// counted again (41 connections, 529 segments), with 5 warnings that the files overlap
    /// in time. The ring now audits as the one file: tshark's 35 TCP conversations and 846
    /// TCP packets, each forwarded one on both links.
    func testADumpcapRingOfTwoInterfacesAuditsAsItsOneFile() throws {
        let ringDirectory = capture("dumpcap-ring")
        let ring = try FileManager.default.contentsOfDirectory(atPath: ringDirectory).sorted().map { ringDirectory + "/" + $0 }
        XCTAssertEqual(ring.count, 9)
        let whole = auditor.audit(paths: [capture("dumpcap-2if.pcapng")])
        XCTAssertEqual(counts(whole), #"846 packets, 423 segments, ["duplicate": 423], 35 connections"#)
        XCTAssertEqual(whole.inputs.first?.clockStepsBack, 0)
        XCTAssertEqual(try XCTUnwrap(whole.inputs.first?.outOfOrderSeconds), 0.239, accuracy: 0.001)
        for threads in [1, 2] {
            let asSet = auditor.audit(paths: ring, threads: threads)
            XCTAssertEqual(counts(asSet), counts(whole), "\(threads) threads")
            XCTAssertEqual(traffic(asSet), traffic(whole), "\(threads) threads")
        }
        let command = try runDasaudit(["audit", ringDirectory, "--format", "json", "--fail-on", "never"])
        XCTAssertEqual(command.status, 0, command.stderr)
        XCTAssertFalse(command.stderr.contains("overlap in time"), command.stderr)
        XCTAssertEqual(try decodedResult(command.stdout).coverage.connections, 35)
    }

    /// The same files read in another order are not one recording cut in two: each next
    /// file begins before the last one ended, so the memory of copies starts empty in each,
    /// and the three copies at the boundaries count again, as in each file alone.
    func testFilesOutOfTimeOrderKeepNoMemoryOfEachOther() {
        let reversed = auditor.audit(paths: Array(set.reversed()), threads: 1)
        let alone = set.map { auditor.audit(paths: [$0]).coverage.tcpSegments }
        XCTAssertEqual(reversed.coverage.tcpSegments, alone.reduce(0, +))
        XCTAssertEqual(reversed.coverage.tcpSegments, 135)
    }

    /// Two hosts' captures of the same exchange, made at the same time (both-ends-a and -b,
    /// Ethernet), given together with `--deduplicate`: every packet of one is in the other
    /// at nearly the same time, so a memory that went on from one file to the next would
    /// take all of b's packets for copies of a's. They overlap in time, so it does not:
    /// each is audited as it is alone.
    func testTwoCapturesMadeAtTheSameTimeAreNotCopiesOfEachOther() {
        var deduplicating = auditor
        deduplicating.deduplicates = true
        let paths = [capture("both-ends-a.pcap"), capture("both-ends-b.pcap")]
        let together = deduplicating.audit(paths: paths, threads: 1)
        let alone = paths.map { deduplicating.audit(paths: [$0]).coverage.tcpSegments }
        XCTAssertEqual(together.coverage.tcpSegments, alone.reduce(0, +))
        XCTAssertEqual(together.coverage.tcpSegments, 514)
        XCTAssertNil(together.coverage.skipped["duplicate"])
    }

    /// `cat sections-one-interface.pcapng sections-two-interfaces.pcapng`: the first section
    /// names one interface, the second two, each packet of it on both. Copies were looked for
    /// only when the first section named several: the second's 60 copies counted (180
    /// segments, 15 connections: dumpcap writes each interface's packets in batches, so a
    /// copy came after its connection had ended and made another). Now the second section's
    /// interfaces, numbered after the first's, start the memory of copies there: the file
    /// audits as its two pieces given apart, and tshark's count over one interface per path
    /// (interface 0 of each section: 120 packets). From a file, a pipe, or gzip'd alike.
    func testALaterSectionOfSeveralInterfacesHasItsCopiesFound() throws {
        let scratch = try scratchDirectory()
        let pieces = [capture("sections-one-interface.pcapng"), capture("sections-two-interfaces.pcapng")]
        let concatenated = try scratch.file("sections.pcapng", try pieces.map(contents).reduce(Data(), +))
        try runTool("gzip", ["-k", concatenated])
        let apart = auditor.audit(paths: pieces)
        XCTAssertEqual(counts(apart), #"180 packets, 120 segments, ["duplicate": 60], 10 connections"#)
        for path in [concatenated, concatenated + ".gz"] {
            let whole = auditor.audit(paths: [path])
            XCTAssertEqual(counts(whole), counts(apart), path)
            XCTAssertEqual(traffic(whole), traffic(apart), path)
        }
        let piped = try runDasaudit(["audit", "-", "--format", "json"], stdin: try contents(concatenated))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(piped.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((json["coverage"] as? [String: Any])?["skipped"] as? [String: Int], ["duplicate": 60], "a pipe")
    }

    /// A pcapng built from a real capture (das-offset3-lo.pcap): a first section of one
    /// interface with every packet once, then, an hour later, a section of two with every
    /// packet on interface 0 and 1 µs later on 1. Every copy of the second section is found,
    /// the first one too: its original, on the section's interface 0, already counts as an
    /// interface of its own (numbered 1, after the first section's), which starts the
    /// memory before it is remembered.
    func testEveryCopyOfALaterSectionIsFoundFromItsFirstPacket() throws {
        let records = pcapRecords(try contents(capture("das-offset3-lo.pcap")))
        let original = auditor.audit(paths: [capture("das-offset3-lo.pcap")])
        var file = Pcapng(swapped: false)
        file.interface(resolution: 9, offset: nil)
        let times = records.map { UInt64($0.seconds) * 1_000_000_000 + UInt64($0.fraction) * 1_000 }
        for (record, time) in zip(records, times) { file.enhancedPacket(record.bytes, time: time) }
        file.section()
        file.interface(resolution: 9, offset: nil)
        file.interface(resolution: 9, offset: nil)
        for (record, time) in zip(records, times) {
            file.enhancedPacket(record.bytes, time: time + 3_600_000_000_000, interface: 0)
            file.enhancedPacket(record.bytes, time: time + 3_600_000_001_000, interface: 1)
        }
        let result = auditor.audit(paths: [try scratchDirectory().file("sections.pcapng", file.bytes)])
        XCTAssertEqual(result.coverage.packets, 3 * original.coverage.packets)
        XCTAssertEqual(result.coverage.skipped["duplicate"], original.coverage.tcpSegments)
        XCTAssertEqual(result.coverage.tcpSegments, 2 * original.coverage.tcpSegments)
    }

    /// Which inputs one reader reads one after another (`RecordingPiece.runs`): the pieces
    /// of one recording whose copies are looked for (same link type, snapshot length and
    /// interfaces); an Ethernet capture only with `--deduplicate`; standard input never
    /// (it cannot be looked at before it is read). Every other input is read on its own,
    /// on a core of its own when there is one.
    func testOnlyPossiblePiecesOfOneRecordingAreReadByOneReader() {
        let paths = set + ["copies-any-sll2.pcap", "both-ends-a.pcap", "both-ends-b.pcap"].map(capture) + ["-"]
        var reader = ParallelReader(rules: auditor.directionRules)
        XCTAssertEqual(reader.runs(of: paths), [0..<5, 5..<6, 6..<7, 7..<8, 8..<9], "snapshot 128, not 96")
        reader.deduplicates = true
        XCTAssertEqual(reader.runs(of: paths), [0..<5, 5..<6, 6..<8, 8..<9])
    }
}
