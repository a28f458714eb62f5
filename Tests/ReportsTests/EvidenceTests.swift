import Audit
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
        let canonical = try JSONSerialization.data(withJSONObject: written["policy"]!, options: [.sortedKeys, .withoutEscapingSlashes])
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
}
