import Audit
import CaptureEngine
import Foundation
import Policy
@testable import Reports
import XCTest

final class EvidenceTests: XCTestCase {
    private func temporaryFile(_ data: Data) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-\(UUID().uuidString).pcap")
        try data.write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    func testAnInputIsHashedLikeSha256sum() throws {
        let abc = Evidence.InputEvidence(hashing: try temporaryFile(Data("abc".utf8)))
        XCTAssertEqual(abc.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") // FIPS 180-2 vector
        XCTAssertEqual(abc.sizeBytes, 3)
        XCTAssertNil(abc.note)
        // Larger than one read, and not a multiple of it.
        var generator = SystemRandomNumberGenerator()
        let big = Data((0..<(2 << 20) + 12345).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let evidence = Evidence.InputEvidence(hashing: try temporaryFile(big))
        XCTAssertEqual(evidence.sha256, try sha256sum(big))
        XCTAssertEqual(evidence.sizeBytes, UInt64(big.count))
    }

    func testStandardInputAndUnreadableFilesHaveNoHashAndSayWhy() {
        let stdin = Evidence.InputEvidence(hashing: "-")
        XCTAssertNil(stdin.sha256)
        XCTAssertTrue(stdin.note?.contains("standard input") == true)
        let missing = Evidence.InputEvidence(hashing: "/nonexistent/capture.pcap")
        XCTAssertNil(missing.sha256)
        XCTAssertNil(missing.sizeBytes)
        XCTAssertTrue(missing.note?.contains("/nonexistent/capture.pcap") == true, missing.note ?? "")
    }

    func testThePolicyDigestIsTheSHA256OfTheCanonicalPolicyJSON() throws {
        let result = try auditedCapture()
        // Canonical as any JSON tool makes it: keys sorted, no whitespace, slashes unescaped.
        let written = try JSONSerialization.jsonObject(with: Data(try JSONReport.render(result).utf8)) as! [String: Any]
        // `ignored_keys` null: the installation's unread keys are no part of the policy.
        var policy = written["policy"] as! [String: Any]
        XCTAssertNotNil(policy["ignored_keys"] as? [Any])
        policy["ignored_keys"] = NSNull()
        let canonical = try JSONSerialization.data(withJSONObject: policy, options: [.sortedKeys, .withoutEscapingSlashes])
        XCTAssertEqual(result.evidence?.policySha256, try sha256sum(canonical))
    }

    func testThePolicyDigestFollowsThePolicyAndOnlyIt() throws {
        let medium = try auditedCapture().evidence!.policySha256
        XCTAssertEqual(try auditedCapture().evidence!.policySha256, medium)
        XCTAssertNotEqual(try auditedCapture(failOn: .high).evidence!.policySha256, medium)
        XCTAssertNotEqual(try auditedCapture(cores: 3).evidence!.policySha256, medium)
    }

    func testEvidenceNamesTheToolAndKeepsTheInputsInOrder() throws {
        let result = try auditedCapture()
        let evidence = try XCTUnwrap(result.evidence)
        XCTAssertEqual(evidence.commandLine.first, "dasaudit")
        XCTAssertEqual(evidence.commandLine[1], "audit")
        XCTAssertEqual(evidence.inputs.map(\.path), result.inputs.map(\.path))
        let capture = try Data(contentsOf: URL(fileURLWithPath: result.inputs[0].path))
        XCTAssertEqual(evidence.inputs[0].sha256, try sha256sum(capture))
        XCTAssertEqual(evidence.inputs[0].sizeBytes, UInt64(capture.count))
    }

    func testTheCommandLineIsShownAsAShellWouldTakeIt() {
        let evidence = Evidence(commandLine: ["dasaudit", "audit", "my capture.pcap", "it's", "--offset", "2", "a=b,c/d"],
                                policySha256: "", inputs: [])
        XCTAssertEqual(evidence.commandLineText, "dasaudit audit 'my capture.pcap' 'it'\\''s' --offset 2 a=b,c/d")
    }

    // MARK: - Hashing alongside the audit (InputHashing)

    /// Random bytes spanning two of `FileDigest`'s 16 MiB windows and ending mid-chunk.
    private func largeFile() throws -> (path: String, data: Data) {
        var generator = SystemRandomNumberGenerator()
        var data = Data(count: (17 << 20) + 4321)
        data.withUnsafeMutableBytes { bytes in
            for index in stride(from: 0, to: bytes.count - 7, by: 8) {
                bytes.storeBytes(of: generator.next(), toByteOffset: index, as: UInt64.self)
            }
        }
        return (try temporaryFile(data), data)
    }

    func testAFileHashedByTheReaderInStepsIsHashedLikeSha256sum() throws {
        let (path, data) = try largeFile()
        let hashing = InputHashing(paths: [path])
        // The reader keeps level with its reading now and then, out of order and past the end.
        for position in [0, 300_000, 100, 9 << 20, 16 << 20, (16 << 20) + 1, Int(data.count) + 999] {
            hashing.keepUp(with: path, at: Int64(position))
        }
        let evidence = try XCTUnwrap(hashing.wait()[path])
        XCTAssertEqual(evidence.sha256, try sha256sum(data))
        XCTAssertEqual(evidence.sizeBytes, UInt64(data.count))
        XCTAssertNil(evidence.note)
    }

    func testFilesSharedOutAmongThreadsAreEachHashedOnce() throws {
        let first = try largeFile()
        let second = try temporaryFile(Data("abc".utf8))
        let empty = try temporaryFile(Data())
        let hashing = InputHashing(paths: [first.path, second, first.path, empty, "-", "/nonexistent/capture.pcap"])
        hashing.startBackgroundThreads(3)
        // Two readers keeping level with the same file at once, beside the background threads.
        DispatchQueue.concurrentPerform(iterations: 2) { reader in
            for step in 1...40 { hashing.keepUp(with: first.path, at: Int64(step * (reader + 1) * 300_000)) }
        }
        let hashed = hashing.wait()
        XCTAssertEqual(Set(hashed.keys), [first.path, second, empty], "only regular files are hashed here")
        XCTAssertEqual(hashed[first.path]?.sha256, try sha256sum(first.data))
        XCTAssertEqual(hashed[second]?.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(hashed[empty]?.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(hashed[empty]?.sizeBytes, 0)
    }

    func testAnAuditOnOneThreadOrManyHashesEveryInput() throws {
        let spark = repositoryRoot.appendingPathComponent("captures/spark-cluster-offset2-lo.pcap").path
        let das = repositoryRoot.appendingPathComponent("captures/das-offset3-lo.pcap").path
        let auditor = Auditor(policy: Policy(offset: 2, mode: .cluster, coresPerNode: 2))
        for threads in [1, 2, 3, 4] {
            let hashing = InputHashing(paths: [spark, das])
            _ = auditor.audit(paths: [spark, das], threads: threads, hashing: hashing)
            let hashed = hashing.wait()
            for path in [spark, das] {
                XCTAssertEqual(hashed[path]?.sha256, try sha256sum(try Data(contentsOf: URL(fileURLWithPath: path))),
                               "\(path), \(threads) threads")
            }
        }
    }

    func testAFileCutShortWhileHashedHasNoHashAndSaysWhy() throws {
        let (path, data) = try largeFile()
        let hashing = InputHashing(paths: [path])
        hashing.keepUp(with: path, at: 5 << 20)
        XCTAssertEqual(truncate(path, 3 << 20), 0)
        let evidence = try XCTUnwrap(hashing.wait()[path])
        XCTAssertNil(evidence.sha256)
        XCTAssertNil(evidence.sizeBytes)
        XCTAssertTrue(evidence.note?.contains("cut short while it was hashed (\(data.count) bytes, then \(3 << 20))") == true,
                      evidence.note ?? "no note")
    }
}
