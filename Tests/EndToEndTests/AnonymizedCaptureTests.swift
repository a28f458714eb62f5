import Audit
import Foundation
import Reports
import XCTest

/// A capture whose addresses an anonymizer changed without their checksums
/// (captures/anonymized-bittwiste-veth-s200.pcap: `bittwiste -C` of
/// captures/spark43-cluster-deploy-veth-s200.pcap, 10.30.0.1 -> 198.51.100.7 and
/// 10.30.0.2 -> 198.51.100.9) audits as its original: its first segments show the sums were
/// not computed over its bytes, so none is set aside as damaged (docs/inputs.md,
/// "Anonymized and rewritten captures"). Real damage is still set aside.
final class AnonymizedCaptureTests: XCTestCase {
    private let renamed = ["10.30.0.1": "198.51.100.7", "10.30.0.2": "198.51.100.9"]

    private func audit(_ arguments: [String], stdin: Data? = nil) throws -> AuditResult {
        let run = try runDasaudit(["audit"] + arguments + ["--offset", "2", "--format", "json"], stdin: stdin)
        return try JSONReport.parse(Data(run.stdout.utf8))
    }

    func testAnAnonymizedCaptureAuditsAsItsOriginalUnderItsNewAddresses() throws {
        let original = try audit([capture("spark43-cluster-deploy-veth-s200.pcap")])
        let anonymized = try audit([capture("anonymized-bittwiste-veth-s200.pcap")])

        XCTAssertEqual(anonymized.inputs[0].checksumsNotJudged, WrongChecksums(wrong: 572, judged: 572))
        XCTAssertNil(anonymized.inputs[0].skipped["bad-checksum"], "no segment set aside")
        XCTAssertEqual(anonymized.inputs[0].tcpSegments, 659)
        XCTAssertNil(original.inputs[0].checksumsNotJudged, "its sums are right")

        func rows(_ result: AuditResult, renaming: [String: String]) -> [String] {
            result.services.map { service in
                "\(renaming[service.address] ?? service.address):\(service.port) \(service.classification) "
                    + "\(service.connections) \(service.packets) \(service.bytes) \(service.protocol ?? "-")"
            }.sorted()
        }
        XCTAssertEqual(rows(anonymized, renaming: [:]), rows(original, renaming: renamed))
        XCTAssertEqual(anonymized.services.count, 11)
        XCTAssertEqual(anonymized.attempts.count, original.attempts.count)
        XCTAssertEqual(anonymized.coverage.connections, original.coverage.connections)
        func findings(_ result: AuditResult, renaming: [String: String]) -> [String] {
            result.findings.map { "\($0.severity) \($0.kind) \($0.address.map { renaming[$0] ?? $0 } ?? "-") \($0.port ?? 0)" }.sorted()
        }
        XCTAssertEqual(findings(anonymized, renaming: [:]), findings(original, renaming: renamed))
        XCTAssertFalse(anonymized.findings.contains { $0.kind == .offsetMismatch },
                       "judged, its sums made 198.51.100.9 look offset by 1002")
    }

    func testEveryReportSaysTheChecksumsWereNotJudged() throws {
        let run = try runDasaudit(["audit", capture("anonymized-bittwiste-veth-s200.pcap"), "--offset", "2"])
        XCTAssertTrue(run.stdout.contains("TCP checksums not judged: 572 of the 572 sums judged among its first TCP segments "
                                          + "were wrong, too many for damage on a link"), run.stdout)
        for format in ["markdown", "html"] {
            let report = try runDasaudit(["audit", capture("anonymized-bittwiste-veth-s200.pcap"), "--offset", "2",
                                          "--format", format])
            XCTAssertTrue(report.stdout.contains("Checksums not judged"), format)
        }
    }

    /// Real damage is a small share of a capture's sums, and stays set aside.
    func testCapturesOfRealDamageStillSetItAside() throws {
        for (name, damaged) in [("damaged-packets-veth.pcap", 4 as UInt64), ("damaged-teardown-veth.pcap", 4)] {
            let result = try audit([capture(name)])
            XCTAssertNil(result.inputs[0].checksumsNotJudged, name)
            XCTAssertEqual(result.inputs[0].skipped["bad-checksum"], damaged, name)
        }
    }

    /// Standard input and a FIFO are read once: their sample is taken from the bytes read
    /// ahead of them (`LookAhead`), plain or compressed, and they audit as the file does.
    /// Until December 2026 they were not sampled: 572 segments set aside as damaged, 9
    /// services of 11.
    func testStandardInputAndAFIFOAuditAsTheFileDoes() throws {
        let path = capture("anonymized-bittwiste-veth-s200.pcap")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let file = try audit([path])
        func rows(_ result: AuditResult) -> [String] {
            result.services.map { "\($0.address):\($0.port) \($0.connections) \($0.packets) \($0.protocol ?? "-")" }
        }
        let compressed = temporary("anonymized.pcap.gz")
        _ = try runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", "gzip -c \"$0\" > \"$1\"", path, compressed], environment: [:])
        let gzipped = try Data(contentsOf: URL(fileURLWithPath: compressed))
        let fifo = temporary("anonymized.fifo")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let writer = Thread {
            if let handle = FileHandle(forWritingAtPath: fifo) { handle.write(bytes); try? handle.close() }
        }
        writer.start()
        for (name, result) in [("a pipe", try audit(["-"], stdin: bytes)), ("gzip'd, a pipe", try audit(["-"], stdin: gzipped)),
                               ("a FIFO", try audit([fifo]))] {
            // All 572 when the writer gave its 71,817 bytes within the look-ahead's second,
            // as it does; fewer, all wrong, on a machine that stalled it.
            let sample = try XCTUnwrap(result.inputs[0].checksumsNotJudged, name)
            XCTAssertEqual(sample.wrong, sample.judged, name)
            XCTAssertLessThanOrEqual(sample.judged, 572, name)
            XCTAssertNil(result.inputs[0].skipped["bad-checksum"], name)
            XCTAssertEqual(rows(result), rows(file), name)
            XCTAssertEqual(result.findings.map(\.message), file.findings.map(\.message), name)
        }
    }

    /// A writer that sends its first bytes and then waits (a live `tcpdump -w -` on a quiet
    /// network) is sampled on what came within the second the reading ahead waits: its first
    /// 21 segments here, all 21 sums wrong, enough to tell.
    func testASlowWriterIsSampledOnWhatCameWithinASecond() throws {
        let run = try runProgram(URL(fileURLWithPath: "/bin/sh"), [
            "-c", "(head -c 3000 \"$0\"; sleep 2; tail -c +3001 \"$0\") | \"$1\" audit - --offset 2 --format json",
            capture("anonymized-bittwiste-veth-s200.pcap"), dasauditBinary.path,
        ], environment: ["NO_COLOR": "1"])
        let result = try JSONReport.parse(Data(run.stdout.utf8))
        XCTAssertEqual(result.inputs[0].checksumsNotJudged, WrongChecksums(wrong: 21, judged: 21))
        XCTAssertEqual(result.inputs[0].packets, 659, "every packet read, those after the wait too")
        XCTAssertEqual(result.services.count, 11)
    }
}
