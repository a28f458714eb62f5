import Audit
import PcapKit
import Foundation
import PathBytes

/// Hashes the evidence of input files (`Evidence.InputEvidence`) alongside the audit that
/// reads them, so that the SHA-256 of a large capture overlaps the packet loop instead of
/// following it: with the CPU's SHA instructions, SHA-256 runs at nearly the speed at
/// which libpcap reads, so hashing after the audit would add most of the floor's time
/// again (figures: docs/performance.md).
///
/// The hash of a file is one serial chain, advanced a chunk at a time by whichever thread
/// has the time (`FileDigest`):
/// - a reading thread that tracks its own connections keeps its file's hash level with
///   its reading (`keepUp`), so inputs read at once on all cores are hashed on all cores,
///   and an audit on one thread (`--threads 1`) runs on one core, start to end;
/// - background threads (`startBackgroundThreads`) hash beside a pipelined reader's two
///   threads, and on idle cores, at the audit's own priority: the hash is as much the
///   audit's work as the reading. At the lowest priority (nice 19, until December 2026)
///   it only got what the two pipeline threads left, and the rest of it ran alone after
///   the packet loop, one core idle: 0.25-0.6 s of the cluster shape's 1.2 s
///   (docs/performance-log.md, "The evidence hash at the audit's priority");
/// - `wait` finishes what is left on the calling thread.
public final class InputHashing: Sendable {
    private let digests: [FileDigest]
    /// Keyed by the path's bytes: `String` keys are equal under canonical equivalence, so
    /// `caf\u{E9}.pcap` and `cafe\u{301}.pcap`, two files, would share one digest.
    private let byPath: [[UInt8]: FileDigest]

    /// Prepares to hash the regular files among `paths`, in order. Anything else (standard
    /// input, a FIFO, `<(...)`, a device) is never opened here: it is read once, by the
    /// audit, and `Evidence` says why it has no hash.
    public init(paths: [String]) {
        let files = paths.filter { path in
            var status = stat()
            return path != "-" && stat(path.fileSystemPath, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
        }
        var seen = Set<[UInt8]>()
        digests = files.filter { seen.insert(Array($0.utf8)).inserted }.map(FileDigest.init)
        byPath = Dictionary(uniqueKeysWithValues: digests.map { (Array($0.path.utf8), $0) })
    }

    /// Starts `count` threads (at most one per file) that hash beside the reading.
    public func startBackgroundThreads(_ count: Int) {
        for first in 0..<min(digests.count, max(0, count)) {
            // Threads of their own (not the shared dispatch pool, whose threads the end
            // stage uses). Each starts on its own file, then helps with the rest.
            Thread.detachNewThread { [digests] in
                for digest in digests[first...] + digests[..<first] {
                    while digest.advance() {}
                }
            }
        }
    }

    /// Hashes `path` up to `position` (bytes the audit has read of it) where no other
    /// thread is at it. For the reading thread, now and then.
    public func keepUp(with path: String, at position: Int64) {
        guard let digest = byPath[Array(path.utf8)] else { return }
        while digest.advanceIfFree(before: Int(position)) {}
    }

    /// How `path` stood when the audit opened it and when it was done reading it: a file
    /// that changed meanwhile gets no hash (`FileDigest.noteAudited`).
    public func noteAudited(_ path: String, opened: FileVersion?, ended: FileVersion?) {
        byPath[Array(path.utf8)]?.noteAudited(opened: opened, ended: ended)
    }

    /// The hash of `path`, for a reader to lend its bytes to (`FileDigest`); nil when it is
    /// not hashed.
    func digest(for path: String) -> FileDigest? {
        byPath[Array(path.utf8)]
    }

    /// The CPU time the hashes have taken so far, in seconds, on every thread; nil when no
    /// input is a regular file (nothing is hashed).
    public var cpuSeconds: Double? {
        digests.isEmpty ? nil : digests.reduce(0) { $0 + $1.hashingCPU }
    }

    /// The evidence of each path, finishing on this thread whatever is not hashed yet.
    public func wait() -> [String: Evidence.InputEvidence] {
        Dictionary(digests.map { ($0.path, $0.finish()) }, uniquingKeysWith: { first, _ in first })
    }
}
