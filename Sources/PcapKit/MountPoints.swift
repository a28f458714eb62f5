#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether a path is a mount point: a file mounted over another (`mount --bind`, the
/// single-file volume of a container, `docker run -v $PWD/audit.json:/out/audit.json`).
/// A report is renamed over its path, and a mount point cannot be renamed over (EBUSY):
/// found when the outputs are checked, not after the whole audit.
enum MountPoints {
    /// Whether `path` (an existing entry) is a mount point: its device differs from its
    /// directory's (`directory`, opened), or the kernel's list of this process's mounts
    /// (`/proc/self/mountinfo`) names it, which also finds a file bound from the same file
    /// system.
    static func isMountPoint(_ path: String, directory: Int32) -> Bool {
        var entry = stat(), parent = stat()
        if fstatat(directory, PathName.name(of: path), &entry, AT_SYMLINK_NOFOLLOW) == 0, fstat(directory, &parent) == 0,
           entry.st_dev != parent.st_dev {
            return true
        }
        guard let resolved = PathName.entry(path).nilIfRelative else { return false }
        return mounted().contains(resolved)
    }

    /// The mount points of `/proc/self/mountinfo` (its fifth field, with the kernel's octal
    /// escapes of space, tab, newline and backslash undone); empty without `/proc`.
    static func mounted() -> Set<String> {
        guard let file = fopen("/proc/self/mountinfo", "re") else { return [] }
        defer { fclose(file) }
        var points: Set<String> = []
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let fields = String(cString: line).split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count > 4 else { continue }
            points.insert(unescaped(fields[4]))
        }
        return points
    }

    /// A mountinfo field with its `\NNN` octal escapes undone.
    private static func unescaped(_ field: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(field.utf8)[...]
        while let byte = utf8.first {
            if byte == UInt8(ascii: "\\"), utf8.count >= 4, let value = UInt8(String(decoding: utf8.dropFirst().prefix(3), as: UTF8.self), radix: 8) {
                bytes.append(value)
                utf8 = utf8.dropFirst(4)
            } else {
                bytes.append(byte)
                utf8 = utf8.dropFirst()
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

private extension String {
    /// The path when it is absolute, else nil.
    var nilIfRelative: String? { hasPrefix("/") ? self : nil }
}
