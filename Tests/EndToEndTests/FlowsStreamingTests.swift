import Audit
import CaptureEngine
import Flows
import Foundation
import Policy
import Reports
import XCTest

/// `dasaudit flows` writes each connection once it has left the connection table (ended
/// and quiet for the linger, refused, or idle for an hour), round after round of the
/// table's sweeps, instead of holding every connection to the end: memory then grows with
/// the connections open at once, as the audit's does, not with all of them.
final class FlowsStreamingTests: XCTestCase {
    /// 20 s of generated traffic, 1,000 packets a second: short connections end all along.
    func generated() throws -> (path: String, scratch: ScratchDirectory) {
        let scratch = try ScratchDirectory()
        let path = scratch.path("twenty-seconds.pcap")
        let generator = dasauditBinary.deletingLastPathComponent().appendingPathComponent("dasaudit-gen")
        let run = try runProgram(generator, ["--preset", "short", "--packets", "20000", "--rate", "1000", "--snaplen", "96", path],
                                 environment: ProcessInfo.processInfo.environment)
        XCTAssertEqual(run.status, 0, run.stderr)
        return (path, scratch)
    }

    /// Fed through a pipe, the first 15 s of the capture already bring records out, while
    /// the rest has not been written; the whole listing then equals the file's, line for line.
    func testRecordsComeOutWhileTheCaptureIsStillBeingRead() throws {
        let (path, scratch) = try generated()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let cut = try XCTUnwrap(offsetOfFirstRecord(in: bytes, atOrAfterSeconds: 15), "the capture lasts 20 s")
        let process = Process()
        process.executableURL = dasauditBinary
        process.arguments = ["flows", "-"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let received = LockedData()
        let reader = Thread {
            while case let chunk = output.fileHandleForReading.availableData, !chunk.isEmpty { received.append(chunk) }
            received.end()
        }
        reader.start()
        input.fileHandleForWriting.write(bytes.prefix(cut))
        let deadline = Date().addingTimeInterval(20)
        while received.lineCount == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let linesBeforeTheEnd = received.lineCount
        input.fileHandleForWriting.write(bytes.suffix(from: cut))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        let readDeadline = Date().addingTimeInterval(60)
        while !received.ended && Date() < readDeadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertTrue(received.ended, "the listing's pipe reached its end")
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertGreaterThan(linesBeforeTheEnd, 0, "nothing was written before the input ended")
        let fromFile = try runDasaudit(["flows", path])
        XCTAssertEqual(fromFile.status, 0, fromFile.stderr)
        let fromPipe = received.text
        XCTAssertLessThan(linesBeforeTheEnd, fromFile.stdout.split(separator: "\n").count)
        XCTAssertEqual(fromPipe, fromFile.stdout, "a pipe and the file list the same records in the same order")
        withExtendedLifetime(scratch) {}
    }

    /// The listing is the table's rounds in turn, each in the order of first packets, the
    /// connections still open last; together they are every connection, as the collected
    /// listing has them.
    func testTheListingIsTheTablesRoundsEachInTheOrderOfFirstPackets() throws {
        let (path, scratch) = try generated()
        let auditor = Auditor(policy: Policy())
        var rounds: [[Connection]] = []
        _ = auditor.connections(paths: [path]) { rounds.append($0) }
        XCTAssertGreaterThan(rounds.count, 2, "connections left in rounds before the end")
        for round in rounds {
            XCTAssertEqual(round.map(\.firstSeen), round.sorted(by: Connection.beganBefore).map(\.firstSeen))
        }
        let listed = try runDasaudit(["flows", path])
        XCTAssertEqual(listed.stdout, ConnectionExport.render(rounds.flatMap { $0 }, as: .ndjson))
        let collected = auditor.connections(paths: [path]).connections
        XCTAssertEqual(collected.count, rounds.map(\.count).reduce(0, +))
        XCTAssertEqual(ConnectionExport.render(collected, as: .ndjson),
                       ConnectionExport.render(rounds.flatMap { $0 }.sorted(by: Connection.beganBefore), as: .ndjson))
        withExtendedLifetime(scratch) {}
    }

    /// A SYN flood: 300,000 connects nobody answers in 6 s, each SYN sent again 3 ms later,
    /// more than the 262,144 the table holds at once. The listing stays within the cap's
    /// memory (316 MB before the cap, debug build; about 90 MB now), lists every packet
    /// once, each connect in one record, and warns how many were written before they ended.
    func testASynFloodIsListedWithinTheTablesCap() throws {
        let scratch = try ScratchDirectory()
        let capture = scratch.path("flood.pcap")
        let generator = dasauditBinary.deletingLastPathComponent().appendingPathComponent("dasaudit-gen")
        let generated = try runProgram(generator, ["--preset", "short", "--unanswered-share", "1", "--packets", "600000",
                                                   "--rate", "100000", "--snaplen", "96", capture],
                                       environment: ProcessInfo.processInfo.environment)
        XCTAssertEqual(generated.status, 0, generated.stderr)
        // The listing read as it is written (300,000 records would be 140 MB on disk), and
        // the peak resident memory of the listing alone: python3's only child is it.
        let measure = """
            import json, resource, subprocess, sys
            listing = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE)
            records = packets = 0
            tuples, states = set(), set()
            for line in listing.stdout:
                record = json.loads(line)
                records += 1
                packets += record["packets"]
                tuples.add((record["client"], record["client_port"], record["server"], record["server_port"]))
                states.add(record["state"])
            status = listing.wait()
            print(json.dumps({"records": records, "packets": packets, "tuples": len(tuples), "states": sorted(states),
                              "peak_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
            sys.exit(status)
            """
        let run = try runProcess("/usr/bin/env", ["python3", "-c", measure, dasauditBinary.path, "flows", capture])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("more than 262144 connections were open at once"), run.stderr)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], run.stdout)
        let peakKB = try XCTUnwrap(summary["peak_kb"] as? Int), records = try XCTUnwrap(summary["records"] as? Int)
        XCTAssertLessThan(peakKB, 150_000, "peak resident memory in KB")
        XCTAssertEqual(summary["states"] as? [String], ["attempted"])
        XCTAssertEqual(summary["packets"] as? Int, 600_000, "every packet listed once")
        XCTAssertEqual(summary["tuples"] as? Int, records, "each connect in one record")
        XCTAssertGreaterThan(records, 262_144)
    }

    /// Where the first record at or after `seconds` of capture time begins in a classic
    /// little-endian pcap (what dasaudit-gen writes).
    private func offsetOfFirstRecord(in bytes: Data, atOrAfterSeconds seconds: UInt32) -> Int? {
        let data = [UInt8](bytes)
        func word(_ at: Int) -> UInt32 {
            UInt32(data[at]) | UInt32(data[at + 1]) << 8 | UInt32(data[at + 2]) << 16 | UInt32(data[at + 3]) << 24
        }
        XCTAssertTrue([0xA1B2_C3D4, 0xA1B2_3C4D].contains(word(0)), "a little-endian pcap, micro- or nanoseconds")
        var offset = 24
        let start = word(offset)
        while offset + 16 <= data.count {
            if word(offset) >= start + seconds { return offset }
            offset += 16 + Int(word(offset + 8))
        }
        return nil
    }
}

/// Bytes gathered from a pipe on another thread.
private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ chunk: Data) { lock.withLock { data.append(chunk) } }
    var lineCount: Int { lock.withLock { data.filter { $0 == UInt8(ascii: "\n") }.count } }
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }

    private var reachedTheEnd = false

    /// The pipe's end was read: every byte is in.
    func end() { lock.withLock { reachedTheEnd = true } }
    var ended: Bool { lock.withLock { reachedTheEnd } }
}
