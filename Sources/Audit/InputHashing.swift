import Foundation

/// Hashes the evidence of input files (`Evidence.InputEvidence`) on a thread of its own,
/// started before the audit reads them, so that the SHA-256 of a large capture overlaps
/// the packet loop instead of following it: on this kind of machine SHA-256 runs at about
/// the speed libpcap reads, so hashing after the audit would add most of the floor's time
/// again. The files are read twice (the second read comes from the page cache).
public final class InputHashing: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var hashed: [String: Evidence.InputEvidence] = [:]

    /// Starts hashing `paths` in order ("-" is skipped: standard input cannot be read twice).
    public init(paths: [String]) {
        let files = paths.filter { $0 != "-" }
        Thread.detachNewThread { [self] in
            var result: [String: Evidence.InputEvidence] = [:]
            for path in files where result[path] == nil { result[path] = Evidence.InputEvidence(hashing: path) }
            hashed = result
            done.signal()
        }
    }

    /// The evidence of each path, once all are hashed.
    public func wait() -> [String: Evidence.InputEvidence] {
        done.wait()
        done.signal()
        return hashed
    }
}
