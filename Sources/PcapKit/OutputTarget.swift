#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PathBytes

/// How a report or an output file named on the command line will be written, decided
/// before anything is read so that a path that cannot be written fails the run at once
/// instead of after a long audit or a whole live capture.
///
/// - `-` is standard output.
/// - A character device or a FIFO that already exists (`/dev/null`, `/dev/stdout`, a pipe
///   made with `mkfifo`) is written in place: replacing it by a file would not reach the
///   reader. Outside `/dev` and `/proc/self/fd` it is opened with `O_NOFOLLOW`, so a
///   symbolic link is never followed to one.
/// - Anything else is a file replaced atomically (`OutputFile`): a new file in the same
///   directory, renamed over the path. A symbolic link at the path is replaced, never
///   followed, so whatever it pointed at keeps its content.
public enum OutputTarget: Equatable, Sendable {
    case standardOutput
    /// A file made anew and renamed over `path`.
    case replacedFile(path: String)
    /// A character device or FIFO written in place.
    case stream(path: String)

    /// What `path` would be written as, or why it cannot be: its directory is missing, is
    /// not a directory, cannot be entered, or takes no new file that can be written (tried
    /// for real, `proveWritable`); the path is a directory, a socket or a block device; or a
    /// file there belongs to another user in a sticky directory (`/tmp`), where the rename
    /// would be refused.
    public static func checking(_ path: String) throws(OutputProblem) -> OutputTarget {
        if path == "-" { return .standardOutput }
        if path.isEmpty { throw OutputProblem("the path is empty") }
        if path.hasSuffix("/") { throw OutputProblem("\(path) names a directory, not a file") }
        if !path.isUTF8Path { throw notUTF8Problem(path) }
        if let link = PathName.foreignLink(towards: path) { throw foreignLinkProblem(link) }
        var status = stat()
        if lstat(path, &status) == 0 {
            switch status.st_mode & S_IFMT {
            case S_IFDIR: throw OutputProblem("\(path) is a directory")
            case S_IFCHR, S_IFIFO: return try stream(path)
            case S_IFLNK where followsLinks(path):
                return try linkedDescriptor(path)
            case S_IFREG, S_IFLNK: break
            default: throw OutputProblem("\(path) is not a regular file, a character device or a FIFO")
            }
        } else if case let code = errno, code != ENOENT && code != ENOTDIR {
            throw code == EACCES ? unreachable(path) ?? OutputProblem("\(path): \(POSIXFile.describe(code))")
                : OutputProblem("\(path): \(POSIXFile.describe(code))")
        }
        // Opened once, level by level, and looked at through its descriptor only: the
        // directory checked is the directory written in (`OutputDirectories`).
        let directory = PathName.directory(of: path)
        let opened = try OutputDirectories.open(directory, for: path)
        do throws(OutputProblem) {
            var directoryStatus = stat()
            guard fstat(opened, &directoryStatus) == 0 else { throw OutputProblem("directory \(directory): \(POSIXFile.describe(errno))") }
            let sticky = directoryStatus.st_mode & S_ISVTX != 0
            if sticky, fstatat(opened, PathName.name(of: path), &status, AT_SYMLINK_NOFOLLOW) == 0, status.st_uid != geteuid(),
               directoryStatus.st_uid != geteuid(), geteuid() != 0 {
                throw OutputProblem("\(path) belongs to another user in a sticky directory and cannot be replaced")
            }
            if fstatat(opened, PathName.name(of: path), &status, AT_SYMLINK_NOFOLLOW) == 0, status.st_mode & S_IFMT == S_IFREG,
               MountPoints.isMountPoint(path, directory: opened) {
                throw OutputProblem("\(path) is a mount point (a file mounted over another, as a container's single-file volume), "
                    + "and a report replaces its file whole, which a mount point refuses: mount its directory instead, or write elsewhere")
            }
            try proveWritable(path, in: directory, opened: opened)
        } catch {
            OutputDirectories.close(directory)
            throw error
        }
        return .replacedFile(path: path)
    }

    /// Why `path` cannot be reached, when a directory on the way to it cannot be entered
    /// by this process's user (`/root/a.html` for any user but root): a plain "permission
    /// denied" on the path did not say which directory, nor that it is the user's right to
    /// enter it that is missing. Nil when every directory on the way can be entered.
    public static func unreachable(_ path: String) -> OutputProblem? {
        PathName.closedDirectory(towards: path).map { OutputProblem("directory \($0) cannot be entered, so \(path) cannot be written") }
    }

    /// The path written, nil for standard output.
    public var path: String? {
        switch self {
        case .standardOutput: nil
        case .replacedFile(let path), .stream(let path): path
        }
    }

    /// Paths under `/dev` and `/proc/self/fd` are links by nature (`/dev/stdout` ->
    /// `/proc/self/fd/1` -> a pipe) and are followed; nowhere else is a link followed.
    static func followsLinks(_ path: String) -> Bool {
        path.hasPrefix("/dev/") || path.hasPrefix("/proc/self/fd/")
    }

    /// A link under `/dev` or `/proc/self/fd` (`/dev/stdout`, `/dev/fd/3`): a device or FIFO
    /// it leads to is written in place; standard output, when it is a file (`> out.txt`), is
    /// written as standard output. Anything else is refused: replacing the link would
    /// replace a system file, and writing through it would write over the start of a file.
    private static func linkedDescriptor(_ path: String) throws(OutputProblem) -> OutputTarget {
        var target = stat(), output = stat()
        guard stat(path, &target) == 0 else { throw OutputProblem("\(path): \(POSIXFile.describe(errno))") }
        if [S_IFCHR, S_IFIFO].contains(target.st_mode & S_IFMT) { return try stream(path) }
        if fstat(STDOUT_FILENO, &output) == 0, output.st_dev == target.st_dev, output.st_ino == target.st_ino {
            return .standardOutput
        }
        throw OutputProblem("\(path) leads to a file, not a device or FIFO; name the file itself")
    }

    /// Why a path through another user's link is refused (`PathName.foreignLink`).
    static func foreignLinkProblem(_ link: String) -> OutputProblem {
        OutputProblem("the path goes through \(link), a symbolic link that belongs to another user")
    }

    /// A device or FIFO to write in place. A FIFO outside `/dev` and `/proc/self/fd` must
    /// be this process's own: another user's FIFO at a report path (in `/tmp`, say) would
    /// receive the report, or, never read, hold the run at its very end.
    private static func stream(_ path: String) throws(OutputProblem) -> OutputTarget {
        guard access(path, W_OK) == 0 else { throw OutputProblem("\(path) is not writable") }
        var status = stat()
        if !followsLinks(path), stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFIFO, status.st_uid != geteuid() {
            throw OutputProblem("\(path) is a FIFO that belongs to another user")
        }
        return .stream(path: path)
    }
}

/// Why an output cannot be written, in words that name the path; the command line puts
/// the option in front ("--report html:/x/a.html: directory /x does not exist").
extension OutputTarget {
    /// A path to write whose bytes are not UTF-8 (`cat > $'r\xfc.json'` in a Latin-1
    /// shell). Outputs are refused rather than written under a name of their own making,
    /// which a job would look for in vain while it read a stale file at the name it gave.
    public static func notUTF8Problem(_ path: String) -> OutputProblem {
        OutputProblem("\(path): the name is not valid UTF-8 (its bytes are shown as \\xNN); "
            + "dasaudit writes only to names in UTF-8: choose one")
    }
}

public struct OutputProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
