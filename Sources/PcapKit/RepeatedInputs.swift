/// Inputs named more than once: `a.pcap a.pcap`, `a.pcap ./a.pcap`, a link and its target,
/// a hard link, a file given and also found in a given directory, or a file that is also
/// standard input (`audit - a.pcap < a.pcap`). Read twice, every
/// packet would be counted twice; each file is read once, where it first appears, and the
/// repeats are reported (`FileIdentity.readsSameFile`).
public struct RepeatedInputs: Sendable {
    /// One input left out, and the earlier input it is the same file as.
    public struct Repeat: Equatable, Sendable {
        public var path: String
        public var sameAs: String

        public init(path: String, sameAs: String) {
            self.path = path
            self.sameAs = sameAs
        }
    }

    /// The inputs to read, each file once, in the order of their first appearance.
    public private(set) var paths: [String] = []
    /// The inputs left out, in the order given.
    public private(set) var repeats: [Repeat] = []

    public init(_ inputs: [String]) {
        var kept: [FileIdentity] = []
        for path in inputs {
            let identity = path == "-" ? FileIdentity.standardInput : FileIdentity(path: path)
            if let first = kept.first(where: { $0.readsSameFile(as: identity) }) {
                repeats.append(Repeat(path: path, sameAs: first.path))
            } else {
                paths.append(path)
                kept.append(identity)
            }
        }
    }
}
