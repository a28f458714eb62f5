import Audit
@testable import CaptureEngine
import Flows
import Foundation
import PcapKit
import Policy
import TrafficGenerator
import Wire
import XCTest

/// Several inputs read at once (`ParallelReader`, `dasaudit audit A B ...`) give the result
/// of reading them one after another into one connection table.
final class ParallelReadingTests: XCTestCase {
    let auditor = Auditor(policy: Policy(offset: 2, mode: .cluster, coresPerNode: 2))

    /// Splits `capture` into pieces of `packets` packets with editcap, in a fresh directory.
    func split(_ capture: String, packets: Int) throws -> [String] {
        guard let editcap = ["/usr/bin/editcap", "/usr/local/bin/editcap"].first(where: FileManager.default.isExecutableFile)
        else { throw MissingTool(name: "editcap (wireshark-common; scripts/setup.sh installs it)") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dasaudit-split-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: editcap)
        process.arguments = ["-c", "\(packets)", capture, directory.appendingPathComponent("part.pcap").path]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            .map { directory.appendingPathComponent($0).path }
    }

    func json(_ result: AuditResult) throws -> String {
        String(decoding: try ResultCoding.encoder().encode(result), as: UTF8.self)
    }

    /// The reference: one table, the inputs read in order, nothing evicted.
    func sequential(_ paths: [String]) throws -> String {
        var reader = CaptureReader()
        for path in paths { reader.read(path: path) }
        return try json(auditor.audit(reader.table.finish(rules: auditor.directionRules), inputs: reader.inputs))
    }

    func assertParallelEqualsSequential(_ paths: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertGreaterThan(paths.count, 1, file: file, line: line)
        let expected = try sequential(paths)
        var evicting = CaptureReader(rules: auditor.directionRules)
        for path in paths { evicting.read(path: path) }
        // Folded as the audit folds it: the connects the capture's end cut told apart.
        var table = evicting.table
        let folded = table.takeStatistics(cuttingAttemptsAt: AttemptsCutByEnd.ends(of: evicting.inputs))
        XCTAssertEqual(try json(auditor.audit(folded, inputs: evicting.inputs)), expected,
                       "one evicting table", file: file, line: line)
        for threads in [1, 2, paths.count] {
            XCTAssertEqual(try json(auditor.audit(paths: paths, threads: threads)), expected,
                           "\(threads) threads", file: file, line: line)
        }
    }

    /// A capture through a host that translates addresses, cut into pieces of 60 packets:
    /// a translated connection's front view goes on past the cut that holds its request.
    /// Read in order, the next piece's memory starts with the fronts; read at once, the
    /// merge takes the fronts' continuations out of the later tables. Either way, what the
    /// whole file gives.
    func testTranslatedConnectionsCutIntoPiecesCountAsInTheWholeFile() throws {
        let whole = capture("nat-any-sll2.pcap")
        let pieces = try split(whole, packets: 60)
        XCTAssertEqual(pieces.count, 14)
        try assertParallelEqualsSequential(pieces)
        let one = auditor.audit(paths: [whole])
        for result in [auditor.audit(paths: pieces, threads: 1), auditor.audit(paths: pieces, threads: 2)] {
            XCTAssertEqual(result.services.map { "\($0.address):\($0.port) \($0.connections) \($0.packets) \($0.payloadBytes)" },
                           one.services.map { "\($0.address):\($0.port) \($0.connections) \($0.packets) \($0.payloadBytes)" })
            XCTAssertEqual(result.coverage.translated, one.coverage.translated)
            XCTAssertEqual(result.coverage.skipped, one.coverage.skipped)
            XCTAssertEqual(result.coverage.tcpSegments, one.coverage.tcpSegments)
        }
    }

    /// Two files of a real rotated capture (`tcpdump -C`, `captures/rotated/`): the second
    /// begins at one connection's last ACK and between three others' two FINs, and each of
    /// those 4-tuples is used again in it. Read apart and merged, on one thread or two, they
    /// count the 9 connections tshark counts in the two files put together (`mergecap`),
    /// not 5; the second file alone, the 8 tshark counts in it, not 4.
    func testARotatedCaptureCutBeforeConnectionsEndedCountsTheirReusedFourTuplesApart() throws {
        let files = ["ab-lo.pcap5", "ab-lo.pcap6"].map { capture("rotated/\($0)") }
        try assertParallelEqualsSequential(files)
        for threads in [1, 2] {
            XCTAssertEqual(auditor.audit(paths: files, threads: threads).coverage.connections, 9, "\(threads) threads")
        }
        XCTAssertEqual(auditor.audit(paths: [files[1]]).coverage.connections, 8)
    }

    func testTheSparkCaptureInPiecesReadAtOnceEqualsReadInOrder() throws {
        // 2,050 packets in pieces of 300: many connections span a cut.
        try assertParallelEqualsSequential(try split(capture("spark-cluster-offset2-lo.pcap"), packets: 300))
    }

    func testTheDASClusterCaptureInPiecesReadAtOnceEqualsReadInOrder() throws {
        try assertParallelEqualsSequential(try split(capture("das-cluster-offset4-lo.pcap"), packets: 97))
    }

    /// A synthetic cluster (the generator's `cluster` shape) of 120,000 packets at snaplen
    /// 96, 400 s long: long enough for connections to be evicted while reading.
    func syntheticCluster() throws -> String {
        var shape = TrafficPreset.cluster.shape(packets: 120_000)
        shape.snaplen = 96
        shape.rate = 300
        return try generated(shape)
    }

    /// A capture of `shape` (at snaplen 96) in a directory removed after the test.
    func generated(_ shape: TrafficShape) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dasaudit-gen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        let pcap = directory.appendingPathComponent("generated.pcap").path
        let writer = try CaptureWriter(path: pcap, linkType: 1, snapshotLength: 96)
        _ = try TrafficGenerator.generate(shape, into: writer)
        try writer.finish()
        return pcap
    }

    /// The synthetic cluster cut into four pieces.
    func testASyntheticClusterInPiecesReadAtOnceEqualsReadInOrder() throws {
        let pcap = try syntheticCluster()
        // Ended connections are evicted 60 s after their last packet.
        var reader = CaptureReader(rules: auditor.directionRules)
        reader.read(path: pcap)
        XCTAssertGreaterThan(reader.table.evictedCount, reader.table.count / 2)
        try assertParallelEqualsSequential(try split(pcap, packets: 30_000))
    }

    /// Tracking on a second thread (`CaptureReader.pipelined`, one input with a core to
    /// spare) gives what tracking on the reading thread gives, whichever thread
    /// `ReaderShare` names: the audit and the list of connections, for every bundled
    /// capture and the synthetic cluster.
    func testThePipelinedReaderEqualsThePlainOne() throws {
        let captures = try FileManager.default.contentsOfDirectory(atPath: capturesDirectory.path)
            .filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted().map(capture)
        XCTAssertGreaterThan(captures.count, 5)
        for path in captures + [try syntheticCluster()] {
            var plain = CaptureReader(rules: auditor.directionRules, keepingConnections: true)
            plain.tracksInBatches = false
            plain.read(path: path)
            let expected = try json(auditor.audit(plain.table.statistics(), inputs: plain.inputs))
            for share in [ReaderShare.trackingThreadTakesAll, .readerKeepsAll] {
                var pipelined = CaptureReader(rules: auditor.directionRules, keepingConnections: true)
                pipelined.pipelined = true
                pipelined.readerShare = share
                pipelined.read(path: path)
                let name = "\(URL(fileURLWithPath: path).lastPathComponent), reader's share \(share)"
                XCTAssertEqual(try json(auditor.audit(pipelined.table.statistics(), inputs: pipelined.inputs)), expected, name)
                XCTAssertEqual("\(pipelined.table.connections())", "\(plain.table.connections())", name)
                XCTAssertEqual(pipelined.table.count > 0, !capturesWithoutTCP.contains(URL(fileURLWithPath: path).lastPathComponent), name)
            }
        }
    }

    /// The end stage on two threads (the clients sorted in two halves, the scans beside the
    /// classification, the findings beside the summaries) gives what it gives on one: for
    /// every bundled capture (the recorded scans among them) and thousands of services.
    func testTheEndStageOnTwoThreadsEqualsItOnOne() throws {
        let captures = try FileManager.default.contentsOfDirectory(atPath: capturesDirectory.path)
            .filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted().map(capture)
        var services = TrafficPreset.services.shape(packets: 100_000)
        services.snaplen = 96
        let manyServices = try generated(services)
        for path in captures + [manyServices] {
            var reader = CaptureReader(rules: auditor.directionRules)
            reader.read(path: path)
            let name = URL(fileURLWithPath: path).lastPathComponent
            let oneThread = auditor.audit(reader.table.statistics(), inputs: reader.inputs, threads: 1)
            let twoThreads = auditor.audit(reader.table.statistics(), inputs: reader.inputs, threads: 2)
            XCTAssertEqual(try json(twoThreads), try json(oneThread), name)
            // A scan of closed ports only (a server's side of it) judged its probes: in the scan.
            XCTAssertEqual(oneThread.services.isEmpty && oneThread.attempts.isEmpty && (oneThread.scans ?? []).isEmpty,
                           capturesWithoutTCP.contains(name), name)
            if path == manyServices {
                XCTAssertGreaterThan(oneThread.services.count, 1_000)
                XCTAssertGreaterThan(oneThread.findings.count, 1_000)
            }
        }
    }

    /// With more connections open than the cache holds, the tracking thread adds its
    /// batches with prefetching (`FlowTable.add(_:samples:)`), and so does a reading thread
    /// that tracks its own (`SegmentBatch`): the result is still what adding each segment
    /// as it comes gives.
    func testPrefetchedBatchesOnEitherThreadEqualTheOneByOneReader() throws {
        var shape = TrafficPreset.short.shape(packets: 200_000)
        // 40,000 open at once: the table passes FlowTable.prefetchingFrom (16,384).
        shape.connectionsInFlight = 40_000
        shape.snaplen = 96
        shape.rate = 100_000
        let pcap = try generated(shape)
        var plain = CaptureReader(rules: auditor.directionRules, keepingConnections: true)
        plain.tracksInBatches = false
        plain.read(path: pcap)
        let expected = try json(auditor.audit(plain.table.statistics(), inputs: plain.inputs))
        XCTAssertGreaterThan(plain.table.count, 40_000)
        var pipelined = CaptureReader(rules: auditor.directionRules, keepingConnections: true)
        pipelined.pipelined = true
        pipelined.readerShare = .trackingThreadTakesAll
        let batched = CaptureReader(rules: auditor.directionRules, keepingConnections: true)
        for (name, reader) in [("the tracking thread", pipelined), ("the reading thread", batched)] {
            var reader = reader
            reader.read(path: pcap)
            XCTAssertEqual(try json(auditor.audit(reader.table.statistics(), inputs: reader.inputs)), expected, name)
            XCTAssertEqual("\(reader.table.connections())", "\(plain.table.connections())", name)
        }
    }

    /// On the command line: `--threads 1` and the default give the same result.
    func testTheCommandLineGivesTheSameResultWithOneThreadOrMany() throws {
        let parts = try split(capture("spark-cluster-offset2-lo.pcap"), packets: 500)
        let arguments = ["audit"] + parts + ["--offset", "2", "--mode", "cluster", "--cores", "2", "--format", "json"]
        let one = try runDasaudit(arguments + ["--threads", "1"])
        let many = try runDasaudit(arguments + ["--threads", "4"])
        XCTAssertEqual(one.status, many.status)
        func withoutEvidence(_ text: String) throws -> String {
            var result = try ResultCoding.decoder().decode(AuditResult.self, from: Data(text.utf8))
            result.evidence = nil
            return try json(result)
        }
        XCTAssertEqual(try withoutEvidence(one.stdout), try withoutEvidence(many.stdout))
    }
}

/// A tool the tests need and scripts/setup.sh installs: its absence fails the test
/// rather than skipping it, so a missing install step cannot pass unnoticed.
struct MissingTool: Error, CustomStringConvertible {
    var name: String
    var description: String { "\(name) is not installed" }
}
