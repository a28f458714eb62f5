#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PathBytes

/// A regular file as it stood at one look: which file (device and inode), its size, and
/// when its contents or metadata last changed (the change time, which a write, a
/// truncation or a `chmod` moves and no user can set back). Two looks at an input that
/// differ mean it was replaced or changed in between, so its evidence hash may not be of
/// the bytes the audit read (`FileDigest`, docs/security.md).
public struct FileVersion: Equatable, Sendable {
    /// Which file: device and inode.
    public let node: FileIdentity.Node
    public let size: Int64
    /// The change time, in nanoseconds since 1970.
    public let changed: Int64

    /// The file open on `descriptor`; nil unless it is a regular file.
    public init?(descriptor: Int32) {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        self.init(status)
    }

    /// The file at `path` now, following links; nil unless it is a regular file.
    public init?(path: String) {
        var status = stat()
        guard stat(path.fileSystemPath, &status) == 0 else { return nil }
        self.init(status)
    }

    /// The file `status` describes (an `fstat` already made); nil unless it is a regular file.
    public init?(_ status: stat) {
        guard (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        node = FileIdentity.Node(status)
        size = Int64(status.st_size)
        changed = Int64(status.st_ctim.tv_sec) &* 1_000_000_000 &+ Int64(status.st_ctim.tv_nsec)
    }

    /// What happened to the file between this look and `later`, in words; nil when
    /// nothing did. `later` nil: it is gone, or no longer a regular file.
    public func change(to later: FileVersion?) -> String? {
        guard let later else { return "was removed or replaced by something that is not a regular file" }
        if later.node != node { return "was replaced by another file" }
        if later.size != size { return "changed size (\(size) bytes, then \(later.size))" }
        if later.changed != changed { return "was written to, or its metadata changed" }
        return nil
    }
}
