import Audit
import Foundation

/// Writes an `AuditResult` as the JSON report while it is produced, in memory that does not
/// grow with the result: the same bytes as `ResultCoding.encoder()` encoding the whole
/// result, which needs the result's JSON several times over in memory and runs at about
/// 20 MB/s.
///
/// The result has two kinds of parts. Its lists of services, attempts, unresolved
/// connections, scans, unused openings, findings and connections grow with the traffic;
/// they are written element by element by hand-written code (`JSONResultLists`). The rest
/// (tool, inputs, policy, coverage, summary, evidence) is bounded and is encoded by
/// JSONEncoder itself, so a field added to those parts is written without a change here:
/// the result is encoded once with its lists emptied (the skeleton, a few kilobytes), and
/// each empty list in it is replaced by the streamed one.
enum JSONResultWriter {
    /// One list of the result written element by element: its key, and how to write it
    /// (nil: the list is absent, written as the skeleton has it, `null`).
    private struct StreamedList {
        var key: String
        var write: ((inout JSONStreamWriter) -> Void)?
    }

    /// Writes `result` to `sink`, a newline after the closing brace as `JSONReport` ends it.
    static func write(_ result: AuditResult, to sink: ByteSink) throws {
        var skeleton = result
        skeleton.services = []
        skeleton.attempts = []
        skeleton.unresolved = []
        skeleton.unusedOpenings = []
        skeleton.findings = []
        skeleton.scans = result.scans.map { _ in [] }
        skeleton.connections = result.connections.map { _ in [] }
        let lists = [
            StreamedList(key: "services") { $0.list(result.services) { $0.service($1) } },
            StreamedList(key: "attempts") { $0.list(result.attempts) { $0.attempt($1) } },
            StreamedList(key: "unresolved") { $0.list(result.unresolved) { $0.unresolved($1) } },
            StreamedList(key: "unused_openings") { $0.list(result.unusedOpenings) { $0.unusedOpening($1) } },
            StreamedList(key: "findings") { $0.list(result.findings) { $0.finding($1) } },
            StreamedList(key: "scans", write: result.scans.map { scans in { $0.list(scans) { $0.scan($1) } } }),
            StreamedList(key: "connections", write: result.connections.map { entries in { $0.list(entries) { $0.connection($1) } } }),
        ]
        let json = JSONInvisibles.escaped(try ResultCoding.encoder().encode(skeleton))
        json.withUnsafeBytes { bytes in
            // Each list's place in the skeleton: a top-level member holding an empty array.
            var places: [(range: Range<Int>, write: (inout JSONStreamWriter) -> Void)] = []
            for list in lists {
                guard let write = list.write else { continue }
                let member = Array("\n  \"\(list.key)\" : ".utf8), empty = Array("[\n\n  ]".utf8)
                guard let start = firstRange(of: member + empty, in: bytes) else {
                    preconditionFailure("the result's JSON has no top-level empty list \(list.key)")
                }
                places.append((start + member.count ..< start + member.count + empty.count, write))
            }
            var written = 0
            for place in places.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
                sink.write(UnsafeRawBufferPointer(rebasing: bytes[written..<place.range.lowerBound]))
                var writer = JSONStreamWriter(sink: sink, depth: 1)
                place.write(&writer)
                written = place.range.upperBound
            }
            sink.write(UnsafeRawBufferPointer(rebasing: bytes[written...]))
        }
        sink.write(byte: UInt8(ascii: "\n"))
    }

    /// Where `pattern` first occurs in `bytes`.
    private static func firstRange(of pattern: [UInt8], in bytes: UnsafeRawBufferPointer) -> Int? {
        guard pattern.count <= bytes.count else { return nil }
        return (0...(bytes.count - pattern.count)).first { start in
            bytes[start] == pattern[0] && pattern.indices.allSatisfy { bytes[start + $0] == pattern[$0] }
        }
    }
}
