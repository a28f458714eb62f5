import Crypto
import Foundation

/// Hashes the evidence of input files (`Evidence.InputEvidence`) on threads of their own
/// (one file per core at a time, at the lowest priority), started before the audit reads
/// them, so that the SHA-256 of a large capture overlaps the packet loop instead of
/// following it: SHA-256 runs at about 1.5 GB/s here, nearly the speed at which libpcap
/// reads, so hashing after the audit would add most of the floor's time again. A regular
/// file is hashed where it lies, mapped from the page cache 16 MiB at a time (the audit is
/// reading it too): no second copy through `read`, which cost another quarter of the
/// hashing time, and at most 16 MiB of it resident in the process at once.
public final class InputHashing: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var hashed: [String: Evidence.InputEvidence] = [:]

    /// Starts hashing the regular files among `paths`, in order. Anything else (standard
    /// input, a FIFO, `<(...)`, a device) is never opened here: it is read once, by the
    /// audit, and `Evidence` says why it has no hash.
    public init(paths: [String]) {
        let files = paths.filter { path in
            var status = stat()
            return path != "-" && stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
        }
        let unique = Array(NSOrderedSet(array: files)) as? [String] ?? files
        let slots = Slots(count: unique.count)
        let threads = max(1, min(unique.count, ProcessInfo.processInfo.activeProcessorCount))
        let finished = DispatchSemaphore(value: 0)
        // Threads of their own (not the shared dispatch pool), so their lowered priority
        // ends with them.
        for _ in 0..<threads {
            Thread.detachNewThread {
                InputHashing.lowerThisThreadsPriority()
                while let index = slots.claim() {
                    slots.set(index, InputHashing.mapped(unique[index]) ?? Evidence.InputEvidence(hashing: unique[index]))
                }
                finished.signal()
            }
        }
        Thread.detachNewThread { [self] in
            for _ in 0..<threads { finished.wait() }
            var result: [String: Evidence.InputEvidence] = [:]
            for (index, path) in unique.enumerated() { result[path] = slots.get(index) }
            hashed = result
            done.signal()
        }
    }

    /// The evidence hashed by each thread, by input.
    private final class Slots: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Evidence.InputEvidence?]
        private var next = 0
        init(count: Int) { values = Array(repeating: nil, count: count) }
        func claim() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard next < values.count else { return nil }
            next += 1
            return next - 1
        }
        func set(_ index: Int, _ value: Evidence.InputEvidence) { lock.lock(); values[index] = value; lock.unlock() }
        func get(_ index: Int) -> Evidence.InputEvidence? { lock.lock(); defer { lock.unlock() }; return values[index] }
    }

    /// The evidence of each path, once all are hashed.
    public func wait() -> [String: Evidence.InputEvidence] {
        done.wait()
        done.signal()
        return hashed
    }

    /// Lowers the calling thread to the lowest scheduling priority (Linux: its nice value
    /// 19; the nice value is per thread there), so that on a busy machine the packet loop,
    /// which sets the audit's pace, gets the cores first and the hash fills the gaps.
    static func lowerThisThreadsPriority() {
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
        #endif
    }

    /// Map every page of a window at once (one call into the kernel, not one fault per page).
    #if os(Linux)
    static let populate = Int32(MAP_POPULATE)
    #else
    static let populate: Int32 = 0
    #endif

    /// The evidence of a regular, non-empty file, hashed through a read-only mapping; nil
    /// when the file cannot be mapped (then it is read the ordinary way).
    static func mapped(_ path: String) -> Evidence.InputEvidence? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, status.st_size > 0 else { return nil }
        let size = Int(status.st_size)
        var hash = SHA256()
        // 16 MiB windows, unmapped as soon as hashed: mapped pages count in the process's
        // resident memory, and the whole file mapped at once would show as its size.
        let window = 16 << 20
        var offset = 0
        while offset < size {
            let length = min(window, size - offset)
            guard let base = mmap(nil, length, PROT_READ, MAP_PRIVATE | InputHashing.populate, descriptor, off_t(offset)), base != MAP_FAILED
            else { return nil }
            _ = madvise(base, length, MADV_SEQUENTIAL)
            hash.update(bufferPointer: UnsafeRawBufferPointer(start: base, count: length))
            munmap(base, length)
            offset += length
        }
        let hex = hash.finalize().map { String(format: "%02x", $0) }.joined()
        return Evidence.InputEvidence(path: path, sha256: hex, sizeBytes: UInt64(size), note: nil)
    }
}
