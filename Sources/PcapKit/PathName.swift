#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PathBytes

/// Path names taken apart and resolved with the system's rules, for telling whether two
/// names on a command line are the same file (`FileIdentity`).
enum PathName {
    /// The directory part of `path`: `.` for a bare name, `/` for a name in the root.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let directory = String(path[..<slash])
        return directory.isEmpty ? "/" : directory
    }

    /// The last part of `path`, the name inside its directory.
    static func name(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// `name` inside `directory` (`dir`, `dir/` and `dir//` give `dir/name`; `/` gives `/name`).
    static func joined(_ directory: String, _ name: String) -> String {
        var directory = Substring(directory)
        while directory.count > 1 && directory.hasSuffix("/") { directory = directory.dropLast() }
        return directory == "/" ? "/" + name : directory + "/" + name
    }

    /// The first symbolic link on the way to `path`'s directory that belongs to another
    /// user (not this process's user, not root), or nil. Another user's link in a report's
    /// directory path would let that user choose where root's file lands; Linux refuses to
    /// follow such links only in sticky directories and only with fs.protected_symlinks.
    /// `includingItself`: `path` too, for a path that is followed when it is a link (a
    /// `--write-follow-symlink` directory); a report's own name is never followed.
    static func foreignLink(towards path: String, includingItself: Bool = false) -> String? {
        firstLevel(towards: path, where: isForeignLink) ?? (includingItself && isForeignLink(path) ? path : nil)
    }

    /// The first directory on the way to `path` that this process may not enter (no search
    /// permission, as `/root`, mode 0700, is to any user but root), or nil. Under such a
    /// directory nothing can be looked at, created or written, whatever the levels below
    /// allow: the reason to name when a path gives "permission denied".
    static func closedDirectory(towards path: String) -> String? {
        firstLevel(towards: path) { access($0.fileSystemPath, X_OK) != 0 && errno == EACCES }
    }

    /// The first of the levels leading to `path`'s directory, outermost first (`/a`, `/a/b`
    /// for `/a/b/c`; `./a` for `a/c`), for which `test` holds, or nil.
    private static func firstLevel(towards path: String, where test: (String) -> Bool) -> String? {
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in directory(of: path).split(separator: "/") {
            prefix += "/" + part
            if test(prefix) { return prefix }
        }
        return nil
    }

    /// Whether `path` itself is a symbolic link that belongs to another user (not this
    /// process's user, not root).
    private static func isForeignLink(_ path: String) -> Bool {
        var status = stat()
        return lstat(path.fileSystemPath, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK && status.st_uid != geteuid()
            && status.st_uid != 0
    }

    /// `path` with every symbolic link and `.`/`..` resolved; nil when it does not exist.
    static func resolved(_ path: String) -> String? {
        guard let resolved = realpath(path.fileSystemPath, nil) else { return nil }
        defer { free(resolved) }
        return String(pathCString: resolved)
    }

    /// `path` with its directory resolved and its last part as it is: the name of the
    /// entry itself, even when that entry is a symbolic link (`./a.pcap`, `a.pcap` and
    /// `/cwd/a.pcap` are all `/cwd/a.pcap`).
    static func entry(_ path: String) -> String {
        let name = name(of: path)
        guard let directory = resolved(directory(of: path)) else { return path }
        if name == "." || name == ".." { return resolved(path) ?? path }
        return directory == "/" ? "/" + name : directory + "/" + name
    }
}
