import Audit
import Flows
import Foundation
import Policy
import Reports

/// Every report of every bundled capture, made the same way on any machine: audited at the
/// offset its name gives (0 otherwise), cluster mode, 2 cores, every connection listed,
/// with the repository's path and the tool's version taken out (they differ per checkout
/// and per commit), so that a report's bytes depend on the code that writes it alone.
enum BundledCaptureReports {
    /// The bundled captures, by name.
    static var captureNames: [String] {
        let directory = repositoryRoot.appendingPathComponent("captures")
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted()
    }

    /// The offset in a capture's name (`das-offset3-lo.pcap`: 3), else 0.
    static func offset(of name: String) -> Int {
        guard let range = name.range(of: "offset") else { return 0 }
        return Int(name[range.upperBound...].prefix(while: \.isNumber)) ?? 0
    }

    /// The result of `name`, paths and version made machine-independent.
    static func result(of name: String) throws -> AuditResult {
        let path = repositoryRoot.appendingPathComponent("captures/\(name)").path
        let offset = offset(of: name)
        var result = Auditor(policy: Policy(offset: offset, mode: .cluster, coresPerNode: 2), auditTime: testAuditTime)
            .audit(paths: [path], threads: 1, connections: true)
        let arguments = ["audit", path, "--offset", "\(offset)", "--connections"]
        result.evidence = try Evidence(of: result, arguments: arguments, auditedAt: testAuditTime)
        let portable = "captures/\(name)"
        result.tool.version = "0.0.0-test"
        result.inputs[0].path = portable
        result.evidence?.inputs[0].path = portable
        let commandLine = result.evidence!.commandLine
        result.evidence?.commandLine = commandLine.map { $0 == path ? portable : $0 }
        // Findings about the input itself (packets-dropped) name it too.
        for index in result.findings.indices {
            result.findings[index].message = result.findings[index].message.replacingOccurrences(of: path, with: portable)
        }
        return result
    }

    /// The connections of `name` as `dasaudit flows` lists them, under the same policy.
    static func connections(of name: String) -> [Connection] {
        let path = repositoryRoot.appendingPathComponent("captures/\(name)").path
        return Auditor(policy: Policy(offset: offset(of: name), mode: .cluster, coresPerNode: 2)).connections(paths: [path]).connections
    }

    /// The reports compared: every format (text with and without colour).
    static let variants: [(name: String, format: ReportFormat, color: Bool)] =
        ReportFormat.allCases.map { ($0.rawValue, $0, false) } + [("text-color", .text, true)]

    /// A fingerprint of `text`'s UTF-8: its length and 64-bit FNV-1a (enough to tell two
    /// reports apart; nobody crafts these to collide).
    static func fingerprint(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return "\(text.utf8.count):" + String(hash, radix: 16)
    }
}
