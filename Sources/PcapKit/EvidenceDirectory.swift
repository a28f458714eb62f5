#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PathBytes

/// The directory `live --write` keeps its capture files in. Those files hold whole packets,
/// payloads included, so:
///
/// - a directory the tool creates is mode 0700 (each missing level), and the files in it
///   are 0600 (`CaptureWriter`), whatever the umask;
/// - a symbolic link at the directory's path is refused unless the user says to follow it
///   (`followLink`): a link planted where an operator's evidence directory will be would
///   otherwise send root's captures wherever it points; another user's link (not root's,
///   not this process user's) is refused even then, at the path itself as on the way to
///   it: the flag says to follow the operator's own link, not one planted in a sticky
///   `/tmp` at the same name;
/// - the directory is opened once (`O_DIRECTORY`, and `O_NOFOLLOW` unless following) and
///   every file is created relative to that descriptor, so swapping the path for a link
///   after the check changes nothing.
public enum EvidenceDirectory {
    /// Checks that `path` is, or can be made, a directory this process may write files in,
    /// without creating anything: a check run before capturing (and again after `--user`).
    public static func check(_ path: String, followLink: Bool) throws(OutputProblem) {
        if !path.isUTF8Path { throw OutputTarget.notUTF8Problem(path) }
        if let link = PathName.foreignLink(towards: path, includingItself: followLink) {
            throw OutputTarget.foreignLinkProblem(link)
        }
        var status = stat()
        if lstat(path, &status) == 0 {
            if status.st_mode & S_IFMT == S_IFLNK {
                guard followLink else { throw linkRefused(path) }
                guard stat(path, &status) == 0 else { throw OutputProblem("\(path) is a link to nothing") }
            }
            guard status.st_mode & S_IFMT == S_IFDIR else { throw OutputProblem("\(path) is not a directory") }
            guard access(path, W_OK | X_OK) == 0 else { throw OutputProblem("directory \(path) is not writable") }
            return
        }
        if errno == EACCES, let problem = OutputTarget.unreachable(path) { throw problem }
        guard errno == ENOENT || errno == ENOTDIR else { throw OutputProblem("\(path): \(POSIXFile.describe(errno))") }
        // Missing: the nearest level that exists must be a directory this process may write.
        var parent = PathName.directory(of: path)
        while stat(parent, &status) != 0 && errno == ENOENT && parent != "/" && parent != "." {
            parent = PathName.directory(of: parent)
        }
        guard stat(parent, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
            throw OutputProblem("cannot create \(path): \(parent) is not a directory")
        }
        guard access(parent, W_OK | X_OK) == 0 else {
            throw OutputProblem("cannot create \(path): directory \(parent) is not writable")
        }
    }

    /// Creates `path` (mode 0700 for each level made) if it is missing and opens it; the
    /// descriptor is for `openat`. Throws the reason in words. The levels are opened one
    /// by one (`DirectoryWalk`), so another user's link put on the way after a look at it
    /// is still refused; the directory itself is opened with `O_NOFOLLOW` relative to its
    /// parent's descriptor unless its link is to be followed.
    public static func open(_ path: String, followLink: Bool) throws(OutputProblem) -> Int32 {
        if let link = PathName.foreignLink(towards: path, includingItself: followLink) {
            throw OutputTarget.foreignLinkProblem(link)
        }
        try makeMissing(path)
        // `/var/evidence/` is `/var/evidence`; `.`, `..` and `/` are never links.
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        let name = PathName.name(of: String(trimmed))
        if followLink || ["", ".", ".."].contains(name) { return try DirectoryWalk.open(path, for: path) }
        let parent = try DirectoryWalk.open(PathName.directory(of: String(trimmed)), for: path)
        defer { close(parent) }
        let descriptor = openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else {
            let code = errno
            var status = stat()
            if fstatat(parent, name, &status, AT_SYMLINK_NOFOLLOW) == 0 && status.st_mode & S_IFMT == S_IFLNK {
                throw linkRefused(path)
            }
            throw OutputProblem(code == ENOTDIR ? "\(path) is not a directory" : POSIXFile.describe(code))
        }
        return descriptor
    }

    /// Creates `path` and the levels above it that are missing, each 0700.
    private static func makeMissing(_ path: String) throws(OutputProblem) {
        var status = stat()
        if lstat(path, &status) == 0 || path == "/" || path == "." { return }
        try makeMissing(PathName.directory(of: path))
        // The umask can only take bits away from 0700.
        if mkdir(path, 0o700) != 0 && errno != EEXIST { throw OutputProblem(POSIXFile.describe(errno)) }
    }

    private static func linkRefused(_ path: String) -> OutputProblem {
        OutputProblem("\(path) is a symbolic link; captures are not written through a link unless --write-follow-symlink is given")
    }
}
