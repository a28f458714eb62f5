import Foundation
import XCTest

/// Audit is the rules alone (connections x policy -> services and findings): it reads no
/// capture and starts no thread; the capture engine (`CaptureEngine`) does both. This test
/// keeps it so: a source file of Audit that imports libpcap's wrapper, Dispatch or Glibc,
/// or starts a thread, fails it, naming the file and the line.
final class AuditPurityTests: XCTestCase {
    static let auditSources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/Audit")

    /// What Audit must not say, each with why.
    static let forbidden: [(pattern: String, why: String)] = [
        (#"^\s*(@testable\s+)?import\s+(PcapKit|CPcap|CaptureEngine)\b"#, "reads captures: that is CaptureEngine's job"),
        (#"^\s*import\s+(Dispatch|Glibc|Darwin|Musl)\b"#, "threads and syscalls belong in CaptureEngine"),
        (#"\b(Thread|DispatchQueue|DispatchSemaphore|DispatchSource|OperationQueue|NSLock)\b"#, "starts or coordinates threads"),
        (#"\bpthread_\w+|\bTask\s*(\.detached\s*)?\{"#, "starts a thread or a task"),
    ]

    func testAuditImportsNoCaptureLibraryNoDispatchNoGlibcAndStartsNoThread() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.auditSources.path)
            .filter { $0.hasSuffix(".swift") }.sorted()
        XCTAssertGreaterThan(files.count, 20, "Audit's sources not found at \(Self.auditSources.path)")
        let rules = try Self.forbidden.map { (try NSRegularExpression(pattern: $0.pattern, options: .anchorsMatchLines), $0.why) }
        var offences: [String] = []
        for file in files {
            let text = try String(contentsOf: Self.auditSources.appendingPathComponent(file), encoding: .utf8)
            for (number, line) in text.components(separatedBy: "\n").enumerated() {
                let code = line.components(separatedBy: "//").first ?? line  // comments may name them
                for (rule, why) in rules
                where rule.firstMatch(in: code, range: NSRange(code.startIndex..., in: code)) != nil {
                    offences.append("Sources/Audit/\(file):\(number + 1): \(why): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        XCTAssertEqual(offences, [], offences.joined(separator: "\n"))
    }
}
