import Audit
import Crypto
import Foundation

/// The SHA-256 of one regular file, computed a chunk at a time by whichever thread has the
/// time (`InputHashing`): a thread takes the lock, hashes the next chunk, and lets go, so
/// the work moves between threads without ever running on two at once.
///
/// The file is hashed where it lies, mapped from the page cache 4 MiB at a time (the
/// audit is reading it too): no second copy through `read`, which cost another quarter of
/// the hashing time, and at most 4 MiB of it mapped at once (mapped pages count in the
/// process's resident memory; one mapping per 16 chunks costs nothing measurable).
// Unchecked Sendable: its mutable state (the descriptor, the mapping, the running hash) is
// touched only under `lock`.
final class FileDigest: @unchecked Sendable {
    let path: String
    /// Bytes hashed per `advance`: a fraction of a millisecond of SHA-256, so a thread
    /// waiting for the lock waits little (docs/performance.md).
    static let chunk = 256 << 10
    /// Bytes mapped at once.
    static let window = 4 << 20

    private let lock = NSLock()
    private var descriptor: Int32 = -1
    private var size = 0
    private var offset = 0
    private var mapped: (base: UnsafeMutableRawPointer, start: Int, length: Int)?
    private var hash = SHA256()
    private var started = false
    /// Set once, under the lock, when the last chunk is hashed or the file fails.
    private var evidence: Evidence.InputEvidence?

    init(path: String) {
        self.path = path
    }

    deinit {
        unmap()
        if descriptor >= 0 { close(descriptor) }
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
                // Not mappable (an unusual file system): hash it the ordinary way.
                evidence = Evidence.InputEvidence(hashing: path)
                return
            }
        }
        guard offset < size else { return complete() }
        // A mapped page past the end of a file cut short meanwhile kills the process
        // (SIGBUS): look before each chunk, so that at worst a chunk's time is at risk.
        var status = stat()
        guard fstat(descriptor, &status) == 0, Int(status.st_size) >= min(size, offset + Self.chunk) else {
            unmap()
            evidence = Evidence.InputEvidence(
                path: path, sha256: nil, sizeBytes: nil,
                note: "\(path) was cut short while it was hashed (\(size) bytes, then \(status.st_size)): "
                    + "hash the capture once nothing writes to it")
            return
        }
        guard let window = window(at: offset) else {
            evidence = Evidence.InputEvidence(hashing: path)
            return
        }
        let length = min(Self.chunk, size - offset, window.start + window.length - offset)
        hash.update(bufferPointer: UnsafeRawBufferPointer(start: window.base + (offset - window.start), count: length))
        offset += length
        if offset == size { complete() }
    }

    private func openFile() -> Bool {
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return false }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, status.st_size > 0 else { return false }
        size = Int(status.st_size)
        return true
    }

    /// The mapped window holding `position`, mapping the next one when needed.
    private func window(at position: Int) -> (base: UnsafeMutableRawPointer, start: Int, length: Int)? {
        if let mapped, position < mapped.start + mapped.length { return mapped }
        unmap()
        let length = min(Self.window, size - position)
        guard let base = mmap(nil, length, PROT_READ, MAP_PRIVATE | Self.populate, descriptor, off_t(position)),
              base != MAP_FAILED else { return nil }
        _ = madvise(base, length, MADV_SEQUENTIAL)
        mapped = (base, position, length)
        return mapped
    }

    private func unmap() {
        if let mapped { munmap(mapped.base, mapped.length) }
        mapped = nil
    }

    private func complete() {
        unmap()
        close(descriptor)
        descriptor = -1
        evidence = Evidence.InputEvidence(path: path, sha256: hash.finalize().hexDigest, sizeBytes: UInt64(size), note: nil)
    }

    /// Map every page of a window at once (one call into the kernel, not one fault per page).
    #if os(Linux)
    static let populate = Int32(MAP_POPULATE)
    #else
    static let populate: Int32 = 0
    #endif
}
