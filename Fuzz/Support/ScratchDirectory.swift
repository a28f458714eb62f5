import Glibc

/// Where the fuzz targets put an input for code that reads paths (`CaptureReader`,
/// `DASInstallation`): a directory of this process's own, on tmpfs when there is one, so
/// writing an input costs a `memcpy` and no disk. Removed when the fuzzer exits normally;
/// a crash leaves it behind (`/dev/shm/dasaudit-fuzz-PID`), which is harmless.
public final class ScratchDirectory {
    public let path: String

    /// A fresh directory for this process (`-fork` and `-jobs` workers each get their own).
    public init() {
        let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        path = "\(base)/dasaudit-fuzz-\(getpid())"
        mkdir(path, 0o700)
        ScratchDirectory.removeAtExit = path
        atexit { if let path = ScratchDirectory.removeAtExit { _ = ScratchDirectory.removeTree(path) } }
    }

    nonisolated(unsafe) private static var removeAtExit: String?

    /// Writes `bytes` to `name` (a relative path; its folders are made) and returns the full path.
    @discardableResult
    public func write(_ bytes: UnsafeRawBufferPointer, to name: String) -> String {
        let full = "\(path)/\(name)"
        var folder = ""
        for part in name.split(separator: "/").dropLast() {
            folder += "/\(part)"
            mkdir(path + folder, 0o700)
        }
        let descriptor = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        precondition(descriptor >= 0, "fuzz harness: cannot write \(full)")
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            precondition(written > 0, "fuzz harness: cannot write \(full)")
            offset += written
        }
        return full
    }

    /// Removes `name` if it is there, so the next input can leave a file out.
    public func remove(_ name: String) {
        unlink("\(path)/\(name)")
    }

    /// `rm -r` of a scratch tree the harness made (plain files and folders only).
    private static func removeTree(_ path: String) -> Bool {
        guard let directory = opendir(path) else { return unlink(path) == 0 }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name == "." || name == ".." { continue }
            _ = removeTree("\(path)/\(name)")
        }
        closedir(directory)
        return rmdir(path) == 0
    }
}
