import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PathBytes

/// Reads a configuration file (a policy file, carbon.xml, spark-defaults.conf,
/// event-processor.xml) with the checks a hostile or broken input needs:
///
/// - **missing** is told apart from **unreadable**: a missing optional file is simply
///   not there (nil); a file that exists but cannot be read (permissions, a directory,
///   a FIFO or device, an I/O error), or a symbolic link to a missing file, is an error
///   naming the file and why, so an audit never falls back to defaults because a file it
///   should have read was skipped;
/// - only **regular files** are read: the file is opened with `O_NONBLOCK` and checked
///   with `fstat` before any read, so a FIFO never blocks the audit and the type checked
///   is the type of the file actually read (no race between a check and the open);
/// - a **size limit** (`sizeLimit`, 4 MiB): real policy files and DAS configuration are
///   a few KiB (a stock carbon.xml is about 30 KiB); 4 MiB leaves room for any real
///   cluster while keeping the parsers' time and memory small.
public enum ConfigurationFile {
    public static let sizeLimit = 4 << 20

    /// The file's bytes; nil when `path` does not exist and `required` is false.
    public static func read(_ path: String, required: Bool = true) throws -> Data? {
        let descriptor = open(path.fileSystemPath, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT, let target = danglingLinkTarget(path) {
                throw PolicyError(source: path, message: "is a symbolic link to '\(target.escapedForMessage)', which does not exist")
            }
            if code == ENOENT && !required { return nil }
            throw PolicyError(source: path, message: code == ENOENT ? "no such file" : "cannot be read: \(reason(code))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw PolicyError(source: path, message: "cannot be read: \(reason(errno))")
        }
        let type = status.st_mode & S_IFMT
        guard type == S_IFREG else {
            throw PolicyError(source: path, message: "cannot be read: \(describe(type)), not a regular file")
        }
        guard Int(status.st_size) <= sizeLimit else {
            throw PolicyError(source: path, message: "is \(status.st_size) bytes; configuration files are limited to "
                + "\(sizeLimit) bytes (4 MiB)")
        }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while data.count <= sizeLimit {
            let count = readChunk(descriptor, &chunk)
            if count < 0 {
                if errno == EINTR { continue }
                throw PolicyError(source: path, message: "cannot be read: \(reason(errno))")
            }
            if count == 0 { break }
            data.append(contentsOf: chunk[..<count])
        }
        guard data.count <= sizeLimit else {
            throw PolicyError(source: path, message: "is larger than \(sizeLimit) bytes (4 MiB), the limit for configuration files")
        }
        return data
    }

    /// Where `path` points when it is a symbolic link whose target is missing: such a file
    /// was meant to be read, so it is an error rather than a missing file.
    private static func danglingLinkTarget(_ path: String) -> String? {
        var status = stat()
        guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFLNK else { return nil }
        return (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
    }

    private static func reason(_ code: Int32) -> String { String(cString: strerror(code)).lowercased() }

    private static func describe(_ type: mode_t) -> String {
        switch type {
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "a special file"
        }
    }
}

/// One `read(2)` into `buffer`; outside the enum, whose own `read` would shadow it.
private func readChunk(_ descriptor: Int32, _ buffer: inout [UInt8]) -> Int {
    buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
}
