import Foundation
import XCTest

/// `dasaudit --version` and the results carry the one version of the VERSION file (read by
/// the VersionStamp build plugin), the commit, and the libpcap the binary runs with.
final class VersionTests: XCTestCase {
    /// The repository's VERSION file, the version's one source.
    private var versionFileContent: String {
        get throws {
            let file = capturesDirectory.deletingLastPathComponent().appendingPathComponent("VERSION")
            return try String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    func testVersionNamesTheReleaseTheCommitAndLibpcap() throws {
        let run = try runDasaudit(["--version"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 2, run.stdout)
        let release = "dasaudit \(try versionFileContent) "
        XCTAssertTrue(lines.first?.hasPrefix(release) == true, "\(lines) does not start with \(release)")
        // A plain `swift build` has no commit; scripts/package.sh embeds the short hash.
        let commit = lines.first.map { String($0.dropFirst(release.count)) } ?? ""
        XCTAssertTrue(commit == "(unknown commit)" || commit.range(of: #"^\(commit [0-9a-f]{7,40}\)$"#,
                                                                   options: .regularExpression) != nil, commit)
        XCTAssertTrue(lines.last?.hasPrefix("libpcap version ") == true, "no libpcap version in \(lines)")
    }

    func testTheResultCarriesTheSameVersion() throws {
        let run = try runDasaudit(["audit", capture("spark-cluster-offset2-lo.pcap"), "--offset", "2",
                                   "--mode", "cluster", "--cores", "2", "--format", "json"])
        XCTAssertEqual(run.status, 1, run.stderr)
        let result = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let tool = try XCTUnwrap(result["tool"] as? [String: Any])
        XCTAssertEqual(tool["version"] as? String, try versionFileContent)
    }
}
