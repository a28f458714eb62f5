import Crypto
import Foundation

extension ResultMerger {
    /// Refuses results that would count the same evidence twice: two results that are the
    /// same (the same file given twice under two names, or a copy), or two results of the
    /// same capture file (the same SHA-256 in their evidence). Their connections would
    /// still be counted once (entries of different results that overlap merge), but their
    /// inputs, packets and segments would be summed twice, and the evidence would list one
    /// capture as two. A merged result and one of its sources may be merged again: the
    /// merged result's evidence holds the source's result file, not its capture.
    public static func refuseRepeats(in results: [AuditResult], names: [String]) throws {
        // Results are compared whole only when their small sections (inputs, coverage,
        // summary, evidence) are equal: encoding every connection of every result took
        // seconds for large results that differ anyway.
        var seenResults: [String: [Int]] = [:]
        var seenCaptures: [String: (result: Int, path: String)] = [:]
        let encoder = ResultCoding.encoder(canonical: true)
        for (index, result) in results.enumerated() {
            var outline = result
            outline.connections = nil
            outline.services = []
            let digest = SHA256.hash(data: try encoder.encode(outline)).hexDigest
            for earlier in seenResults[digest] ?? [] where try encoder.encode(results[earlier]) == encoder.encode(result) {
                throw MergeError(description: "\(names[index]) is the same result as \(names[earlier]): give each result once")
            }
            seenResults[digest, default: []].append(index)
            for input in result.evidence?.inputs ?? [] {
                guard let sha256 = input.sha256 else { continue }
                if let first = seenCaptures[sha256], first.result != index {
                    throw MergeError(description: "\(names[index]) and \(names[first.result]) both audited the same capture "
                        + "(\(input.path) and \(first.path), SHA-256 \(sha256)): merge one result per capture")
                }
                seenCaptures[sha256] = (index, input.path)
            }
        }
    }
}
