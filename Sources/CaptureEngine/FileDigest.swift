import Audit
import Crypto
import Dispatch
import Foundation
import PcapKit
import PathBytes

/// The SHA-256 of one regular file, computed a chunk at a time by whichever thread has the
/// time (`InputHashing`): a thread takes the lock, hashes the next chunk, and lets go, so
/// the work moves between threads without ever running on two at once.
///
/// Where the bytes come from:
/// - **Lent by the reading thread** (`ReadWindowObserver`), when a reader that tracks its
///   own connections reads a pcap file in place: before each refill of its megabyte window
///   it hashes the window's bytes not hashed yet (`windowWillChange`), so the hash keeps
///   level with the reading without reading the file a second time (the `pread` copy
///   below costs 0.2-0.35 s of CPU a GB), and the bytes hashed are the bytes audited.
///   Other threads wait for the feed to end (`advance`), so none can hold the lock while
///   the reading needs it.
/// - **Read with `pread`** into one buffer of a chunk, reused, for everything else (the file
///   header, inputs libpcap reads, a pipelined reading): a read that comes up short is a
///   file cut short, said in the evidence. Until December 2026 the file was mapped 4 MiB at
///   a time instead, which costs the same CPU but kills the process with SIGBUS when the
///   file shrinks between a check and a read of the mapping.
// Unchecked Sendable: its mutable state (the descriptor, the buffer, the running hash, the
// lent window) is touched only under `lock`.
final class FileDigest: @unchecked Sendable {
    let path: String
    /// Bytes hashed per `advance`: a fraction of a millisecond of SHA-256, so a thread
    /// waiting for the lock waits little (docs/performance.md).
    static let chunk = 256 << 10

    private let lock = NSLock()
    private var descriptor: Int32 = -1
    private var size = 0
    private var offset = 0
    /// The chunk read last; allocated on the first `pread`, freed at the end.
    private var buffer: UnsafeMutableRawPointer?
    private var hash = SHA256()
    private var started = false
    /// The CPU time spent hashing, on whichever threads (`hashingCPU`).
    private var cpu = 0.0
    /// Set under the lock when the last chunk is hashed or the file fails; a hash is
    /// taken back if the file turns out to have changed while it was audited (`settle`).
    private var evidence: Evidence.InputEvidence?
    /// The file when this opened it, and when the hash was done.
    private var versionOpened: FileVersion?
    private var versionHashed: FileVersion?
    /// The file when the audit opened it and when it was done reading it (`noteAudited`).
    private var versionsAudited: (opened: FileVersion?, ended: FileVersion?)?

    /// The reading thread's window while it is lent: the file's bytes from `lentOffset` on.
    private var lent: UnsafeRawBufferPointer?
    private var lentOffset = 0
    private var feed = Feed.notStarted
    /// Signalled when the feed ends, for threads that wait for it (each passes it on).
    private let feedEnded = DispatchSemaphore(value: 0)

    private enum Feed { case notStarted, feeding, ended }

    init(path: String) {
        self.path = path
    }

    deinit {
        release()
    }

    /// Hashes the next chunk if no other thread is at it and it starts before `limit`;
    /// false when this thread did nothing (always while the reading feeds the hash).
    func advanceIfFree(before limit: Int) -> Bool {
        guard lock.try() else { return false }
        defer { lock.unlock() }
        guard evidence == nil, feed != .feeding, offset < limit else { return false }
        step(before: Int.max)
        return true
    }

    /// Hashes one chunk, waiting for another thread's turn to end, or for the reading to
    /// stop feeding the hash; false once finished.
    func advance() -> Bool {
        lock.lock()
        while feed == .feeding {
            lock.unlock()
            feedEnded.wait()
            feedEnded.signal()
            lock.lock()
        }
        defer { lock.unlock() }
        guard evidence == nil else { return false }
        step(before: Int.max)
        return evidence == nil
    }

    /// The file as the audit found it when it opened it and when it was done reading it:
    /// unless all the looks agree, the file has no hash, and the evidence says why.
    func noteAudited(opened: FileVersion?, ended: FileVersion?) {
        lock.lock()
        defer { lock.unlock() }
        versionsAudited = (opened, ended)
        settle()
    }

    /// The CPU time spent hashing so far, in seconds, whichever threads did it.
    var hashingCPU: Double {
        lock.lock()
        defer { lock.unlock() }
        return cpu
    }

    /// Hashes what is left on this thread and returns the evidence.
    func finish() -> Evidence.InputEvidence {
        while advance() {}
        lock.lock()
        defer { lock.unlock() }
        return evidence!
    }

    // MARK: - Under the lock

    /// Hashes the next chunk, from the lent window if it holds it, else read from the file
    /// (up to the window, if the hash is behind it: the file header); never past `limit`.
    /// A stop of the reading (`InputStop`: Ctrl-C) gives up a hash not done: the rest of a
    /// large file, or files never read, would keep the report waiting.
    private func step(before limit: Int) {
        if let signal = InputStop.signal {
            return fail("\(path) was not hashed: \(signal) stopped the reading before its hash was done")
        }
        let cpuBefore = ThreadCPUTime.now()
        defer { cpu += ThreadCPUTime.now() - cpuBefore }
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
        var wanted = min(Self.chunk, size - offset, limit - offset)
        if let lent, offset >= lentOffset, offset < lentOffset + lent.count {
            wanted = min(wanted, lentOffset + lent.count - offset)
            hash.update(bufferPointer: UnsafeRawBufferPointer(rebasing: lent[(offset - lentOffset)...].prefix(wanted)))
            offset += wanted
        } else {
            if lent != nil && lentOffset > offset { wanted = min(wanted, lentOffset - offset) }
            guard readAndHash(wanted) else { return }
        }
        if offset == size { complete() }
    }

    /// Reads the next `wanted` bytes with `pread` and hashes them; false when the file
    /// failed (the evidence then says how).
    private func readAndHash(_ wanted: Int) -> Bool {
        if buffer == nil { buffer = .allocate(byteCount: Self.chunk, alignment: 4096) }
        guard let got = POSIXFile.read(descriptor, into: UnsafeMutableRawBufferPointer(start: buffer, count: wanted),
                                       at: offset) else {
            fail("\(path) could not be read while it was hashed: \(POSIXFile.describe(errno))")
            return false
        }
        guard got == wanted else {
            var status = stat()
            let now = fstat(descriptor, &status) == 0 ? "\(status.st_size)" : "unknown"
            fail("\(path) was cut short while it was hashed (\(size) bytes, then \(now)): "
                + "hash the capture once nothing writes to it")
            return false
        }
        hash.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: wanted))
        offset += wanted
        return true
    }

    private func openFile() -> Bool {
        descriptor = open(path.fileSystemPath, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        guard let version = FileVersion(descriptor: descriptor), version.size > 0 else { return false }
        size = Int(version.size)
        versionOpened = version
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
        versionHashed = FileVersion(descriptor: descriptor)
        release()
        evidence = Evidence.InputEvidence(path: path, sha256: hash.finalize().hexDigest, sizeBytes: UInt64(size), note: nil)
        settle()
    }

    /// Takes the hash back if the looks at the file disagree: it changed while this hashed
    /// it, between the audit's look and this one, or while the audit read it. The hash
    /// would then not be of the bytes audited, or not only of them.
    private func settle() {
        guard evidence?.sha256 != nil, let versionOpened else { return }
        var change = versionOpened.change(to: versionHashed)
        if change == nil, let audited = versionsAudited {
            change = audited.opened.map { $0.change(to: versionOpened) ?? $0.change(to: audited.ended) }
                ?? "was not a regular file when the audit opened it"
        }
        guard let change else { return }
        evidence = Evidence.InputEvidence(path: path, sha256: nil, sizeBytes: nil,
                                          note: "\(path) \(change) while it was audited, so a hash would not be of the "
                                              + "bytes the audit read: audit it again once nothing writes to it")
    }
}

/// The reading thread lends its window (`readPcapRecords`).
extension FileDigest: ReadWindowObserver {
    func windowFilled(_ bytes: UnsafeRawBufferPointer, at offset: Int64) {
        lock.lock()
        defer { lock.unlock() }
        guard feed != .ended, evidence == nil, !bytes.isEmpty else { return }
        feed = .feeding
        lent = bytes
        lentOffset = Int(offset)
    }

    /// Hashes the rest of the window before the reading changes it (and what lies before
    /// it, the first time: the file header).
    func windowWillChange() {
        lock.lock()
        defer { lock.unlock() }
        guard let lent else { return }
        while evidence == nil, offset < lentOffset + lent.count {
            step(before: lentOffset + lent.count)
        }
        self.lent = nil
    }

    /// The reading is done with the file: threads waiting for the feed go on with `pread`.
    func readingEnded() {
        lock.lock()
        defer { lock.unlock() }
        lent = nil
        if feed == .feeding { feedEnded.signal() }
        feed = .ended
    }
}
