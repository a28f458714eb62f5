#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PathBytes

/// What a path on a command line names, in the forms that tell two paths apart or make
/// them one file: `a.pcap`, `./a.pcap` and `/cwd/a.pcap` are one entry; a symbolic link
/// reaches the file it points at; a hard link is the same device and inode.
public struct FileIdentity: Equatable, Sendable {
    /// A file on a file system: device and inode.
    public struct Node: Hashable, Sendable {
        var device: UInt64
        var inode: UInt64

        init(_ status: stat) {
            device = UInt64(status.st_dev)
            inode = UInt64(status.st_ino)
        }
    }

    /// The path as given.
    public let path: String
    /// The entry itself with its directory resolved (a link stays the link).
    public let entry: String
    /// The file reached by following every link, resolved; nil when nothing is there.
    public let resolved: String?
    /// Device and inode of the entry itself (`lstat`); nil when nothing is there.
    public let entryNode: Node?
    /// Device and inode of the file reached (`stat`); nil when nothing is there.
    public let fileNode: Node?

    public init(path: String) {
        self.path = path
        entry = PathName.entry(path)
        resolved = PathName.resolved(path)
        var status = stat()
        entryNode = lstat(path.fileSystemPath, &status) == 0 ? Node(status) : nil
        fileNode = stat(path.fileSystemPath, &status) == 0 ? Node(status) : nil
    }

    /// Standard input, as the file it currently is: `audit - a.pcap < a.pcap` names one file
    /// twice, and `/dev/stdin` is the pipe `-` reads.
    public static var standardInput: FileIdentity { FileIdentity(descriptor: STDIN_FILENO, name: "-") }

    /// Standard output, as the file it currently is (a pipe, a terminal, a file).
    public static var standardOutput: FileIdentity { FileIdentity(descriptor: STDOUT_FILENO, name: "-") }

    private init(descriptor: Int32, name: String) {
        path = name
        entry = name
        resolved = nil
        var status = stat()
        fileNode = fstat(descriptor, &status) == 0 ? Node(status) : nil
        entryNode = fileNode
    }

    /// Whether reading both paths reads the same file: the same device and inode when both
    /// are there (links, hard links, `dir/` and a file in it), else the same entry. Names
    /// are compared byte for byte: Swift's `==` takes `caf\u{E9}.pcap` and
    /// `cafe\u{301}.pcap`, two files, for one name, and one of them went unread.
    public func readsSameFile(as other: FileIdentity) -> Bool {
        if let fileNode, let otherNode = other.fileNode { return fileNode == otherNode }
        return Self.sameBytes(entry, other.entry) || Self.sameBytes(resolved, other.resolved)
    }

    /// Whether writing `target` (this identity) would change the input `input`: replacing
    /// this entry replaces the input's entry or the file the input reaches (a link at the
    /// output path is replaced, not followed, so its target is not the output).
    public func writes(over input: FileIdentity, as target: OutputTarget) -> Bool {
        if Self.sameBytes(entry, input.entry) || Self.sameBytes(entry, input.resolved) { return true }
        guard let written = writtenNode(as: target) else { return false }
        return written == input.fileNode || written == input.entryNode
    }

    /// Whether two outputs write the same file.
    public func writesSameFile(as other: FileIdentity, as target: OutputTarget, otherAs otherTarget: OutputTarget) -> Bool {
        if Self.sameBytes(entry, other.entry) { return true }
        guard let written = writtenNode(as: target) else { return false }
        return written == other.writtenNode(as: otherTarget)
    }

    /// Whether two path names are the same bytes (both there); `==` on `String` is
    /// canonical equivalence, under which two different names can be equal.
    static func sameBytes(_ one: String?, _ other: String?) -> Bool {
        guard let one, let other else { return false }
        return one.utf8.elementsEqual(other.utf8)
    }

    /// The file a write to `target` lands in: the entry for a replaced file, the file
    /// reached for a device or FIFO and for standard output.
    func writtenNode(as target: OutputTarget) -> Node? {
        if case .replacedFile = target { entryNode } else { fileNode }
    }
}
