import Audit
import Crypto
import Foundation
import PcapKit

/// The SHA-256 of one regular file, computed a chunk at a time by whichever thread has the
/// time (`InputHashing`): a thread takes the lock, hashes the next chunk, and lets go, so
/// the work moves between threads without ever running on two at once.
///
/// The file is read with `pread` into one buffer of a chunk, reused: a read that comes up
/// short is a file cut short, said in the evidence. Until December 2026 the file was mapped
/// 4 MiB at a time instead, which costs the same CPU (both 0.14-0.17 s a GB here,
/// docs/performance.md) but kills the process with SIGBUS when the file shrinks between a
/// check and a read of the mapping: for a tool that runs as root on files others may write,
/// a short read is the safer way to learn it.
// Unchecked Sendable: its mutable state (the descriptor, the buffer, the running hash) is
// touched only under `lock`.
final class FileDigest: @unchecked Sendable {
    let path: String
    /// Bytes hashed per `advance`: a fraction of a millisecond of SHA-256, so a thread
    /// waiting for the lock waits little (docs/performance.md).
    static let chunk = 256 << 10

    private let lock = NSLock()
    private var descriptor: Int32 = -1
    private var size = 0
    private var offset = 0
    /// The chunk read last; allocated on the first `step`, freed at the end.
    private var buffer: UnsafeMutableRawPointer?
    private var hash = SHA256()
    private var started = false
    /// Set once, under the lock, when the last chunk is hashed or the file fails.
    private var evidence: Evidence.InputEvidence?

    init(path: String) {
        self.path = path
    }

    deinit {
        release()
    }

    /// Hashes the next chunk if no other thread is at it and it starts before `limit`;
    /// false when this thread did nothing.
    func advanceIfFree(before limit: Int) -> Bool {
        guard lock.try() else { return false }
        defer { lock.unlock() }
        guard evidence == nil, offset < limit else { return false }
        step()
        return true
    }

    /// Hashes one chunk, waiting for another thread's turn to end; false once finished.
    func advance() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard evidence == nil else { return false }
        step()
        return evidence == nil
    }

    /// Hashes what is left on this thread and returns the evidence.
    func finish() -> Evidence.InputEvidence {
        while advance() {}
        lock.lock()
        defer { lock.unlock() }
        return evidence!
    }

    // MARK: - Under the lock

    private func step() {
        if !started {
            started = true
            guard openFile() else {
                // Gone, empty or no longer a regular file: `InputEvidence(hashing:)` says which.
                release()
                evidence = Evidence.InputEvidence(hashing: path)
                return
            }
        }
        guard offset < size else { return complete() }
        let wanted = min(Self.chunk, size - offset)
        guard let got = POSIXFile.read(descriptor, into: UnsafeMutableRawBufferPointer(start: buffer, count: wanted),
                                       at: offset) else {
            return fail("\(path) could not be read while it was hashed: \(POSIXFile.describe(errno))")
        }
        guard got == wanted else {
            var status = stat()
            let now = fstat(descriptor, &status) == 0 ? "\(status.st_size)" : "unknown"
            return fail("\(path) was cut short while it was hashed (\(size) bytes, then \(now)): "
                + "hash the capture once nothing writes to it")
        }
        hash.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: wanted))
        offset += wanted
        if offset == size { complete() }
    }

    private func openFile() -> Bool {
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, status.st_size > 0 else { return false }
        size = Int(status.st_size)
        buffer = .allocate(byteCount: Self.chunk, alignment: 4096)
        return true
    }

    /// Ends the hash without one, saying why.
    private func fail(_ note: String) {
        release()
        evidence = Evidence.InputEvidence(path: path, sha256: nil, sizeBytes: nil, note: note)
    }

    private func release() {
        buffer?.deallocate()
        buffer = nil
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
    }

    private func complete() {
        release()
        evidence = Evidence.InputEvidence(path: path, sha256: hash.finalize().hexDigest, sizeBytes: UInt64(size), note: nil)
    }
}
