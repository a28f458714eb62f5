#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension OutputTarget {
    /// Proves that a file to be replaced at `path` can be written, by doing what
    /// `OutputFile.Writer` will do at the end of the run, as the user the run is now: create
    /// a temporary file in `directory` (`O_CREAT|O_EXCL|O_NOFOLLOW`, so never through a
    /// link) and write a byte to it; then the trial file is removed, leaving nothing behind.
    ///
    /// Asking `access(2)` was not enough: root may write to any directory by its mode, so
    /// `/proc` and `/sys` passed, and a report there failed only after the whole audit or
    /// live capture ("no such file", "permission denied"). The trial also finds a read-only
    /// mount, a full file system and a file size limit (`ulimit -f`) before anything is read.
    ///
    /// The trial is made in `opened`, the directory's descriptor kept for the run
    /// (`OutputDirectories`): the reports are written later in the directory checked now,
    /// whatever its path leads to by then.
    static func proveWritable(_ path: String, in directory: String, opened: Int32) throws(OutputProblem) {
        guard let (descriptor, trial) = OutputFile.createTemporary(in: opened, for: path) else {
            throw OutputProblem(cannotCreate(in: directory, errno))
        }
        var byte = UInt8(ascii: "\n")
        let written = write(descriptor, &byte, 1) == 1
        let code = errno
        close(descriptor)
        unlinkat(opened, trial, 0)
        guard written else {
            throw OutputProblem("a new file in directory \(directory) cannot be written: \(POSIXFile.describe(code))")
        }
    }

    /// Why no file can be created in `directory` (which exists), from `open`'s errno `code`.
    private static func cannotCreate(in directory: String, _ code: Int32) -> String {
        switch code {
        case EACCES, EPERM: "directory \(directory) is not writable"
        case EROFS: "directory \(directory) is not writable (read-only file system)"
        // The directory exists (checked before), so ENOENT is a file system that makes no
        // files, such as /proc.
        case ENOENT: "directory \(directory) does not take new files (its file system makes none)"
        default: "cannot create a file in directory \(directory): \(POSIXFile.describe(code))"
        }
    }
}
