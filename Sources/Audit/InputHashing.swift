import Crypto
import Foundation

/// Hashes the evidence of input files (`Evidence.InputEvidence`) on a thread of its own,
/// started before the audit reads them, so that the SHA-256 of a large capture overlaps
/// the packet loop instead of following it: SHA-256 runs at about 1.6 GB/s here, nearly
/// the speed at which libpcap reads, so hashing after the audit would add most of the
/// floor's time again. A regular file is hashed where it lies, mapped into memory from the
/// page cache 16 MiB at a time (the audit is reading it too): no second copy through
/// `read`, which cost another quarter of the hashing time, and at most 16 MiB of it
/// resident in the process at once.
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
        Thread.detachNewThread { [self] in
            var result: [String: Evidence.InputEvidence] = [:]
            for path in files where result[path] == nil {
                result[path] = InputHashing.mapped(path) ?? Evidence.InputEvidence(hashing: path)
            }
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
            guard let base = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, off_t(offset)), base != MAP_FAILED
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
