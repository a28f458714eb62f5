#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens a directory path one level at a time, so that what is checked is what is
/// opened: each level relative to the descriptor of the one above, with `O_NOFOLLOW`.
/// A level that is a symbolic link is opened itself (`O_PATH|O_NOFOLLOW`), its owner read
/// from that descriptor (`fstat`), and its target read from it too (`readlinkat`): another
/// user's link (not this process's user's, not root's) is refused, and no one can swap the
/// link between the look at its owner and the read of where it leads. Links that are
/// root's or the user's own (`/var/run` -> `/run`) are followed, 40 at most.
enum DirectoryWalk {
    /// Linux's `O_PATH` (not in Swift's Glibc module): a descriptor that names a file
    /// without opening it, which needs no read permission on it.
    private static let pathOnly: Int32 = 0o10000000
    private static let maximumLinks = 40

    /// A descriptor of `directory`, opened for reading (for `openat`, `renameat`,
    /// `fsync`), or the reason in words, naming `directory`, the level at fault, or `path`
    /// (the file to be written in it).
    static func open(_ directory: String, for path: String) throws(OutputProblem) -> Int32 {
        var current = systemOpen(directory.hasPrefix("/") ? "/" : ".", pathOnly | O_DIRECTORY | O_CLOEXEC)
        guard current >= 0 else { throw problem(errno, directory: directory, level: directory, path: path) }
        defer { close(current) }
        var walked = directory.hasPrefix("/") ? "" : "."
        var pending = Array(levels(of: directory).reversed())
        var links = 0
        while let level = pending.popLast() {
            let next = openat(current, level, pathOnly | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let code = errno
            if next >= 0 {
                close(current)
                current = next
                walked += "/" + level
                continue
            }
            guard let target = try linkTarget(level, in: current, at: walked + "/" + level) else {
                throw problem(code, directory: directory, level: walked + "/" + level, path: path)
            }
            links += 1
            guard links <= maximumLinks else { throw problem(ELOOP, directory: directory, level: directory, path: path) }
            if target.hasPrefix("/") {
                let root = systemOpen("/", pathOnly | O_DIRECTORY | O_CLOEXEC)
                guard root >= 0 else { throw problem(errno, directory: directory, level: "/", path: path) }
                close(current)
                current = root
                walked = ""
            }
            pending += levels(of: target).reversed()
        }
        // The O_PATH descriptor names the directory; the one kept reads and syncs it.
        let descriptor = openat(current, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw problem(errno, directory: directory, level: directory, path: path) }
        return descriptor
    }

    /// The parts of `path` between slashes, without the empty ones and `.`.
    private static func levels(of path: String) -> [String] {
        path.split(separator: "/").map(String.init).filter { $0 != "." }
    }

    /// Where the link `name` in `directory` leads, when it is a link: nil when it is not
    /// one (or is gone); refused when it belongs to another user (`shown`: its path, for
    /// the message).
    private static func linkTarget(_ name: String, in directory: Int32, at shown: String) throws(OutputProblem) -> String? {
        let link = openat(directory, name, pathOnly | O_NOFOLLOW | O_CLOEXEC)
        guard link >= 0 else { return nil }
        defer { close(link) }
        var status = stat()
        guard fstat(link, &status) == 0, status.st_mode & S_IFMT == S_IFLNK else { return nil }
        guard status.st_uid == geteuid() || status.st_uid == 0 else { throw OutputTarget.foreignLinkProblem(shown) }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlinkat(link, "", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Why `directory` cannot be opened, from the errno `code` met at `level`.
    private static func problem(_ code: Int32, directory: String, level: String, path: String) -> OutputProblem {
        switch code {
        case ENOENT: OutputProblem("directory \(directory) does not exist")
        case ENOTDIR: OutputProblem("\(level) is not a directory")
        case EACCES: OutputTarget.unreachable(path) ?? OutputProblem("directory \(directory): \(POSIXFile.describe(code))")
        default: OutputProblem("directory \(directory): \(POSIXFile.describe(code))")
        }
    }
}

private func systemOpen(_ path: String, _ flags: Int32) -> Int32 { open(path, flags) }
