/// Outputs of one run that would destroy an input or each other, found before anything
/// is read or written: an output that is one of the inputs (by name, through a link, or a
/// hard link), two outputs that are one file, and two writers to standard output.
/// `/dev/null` may be named any number of times.
public enum OutputConflicts {
    /// One output as the command line named it: `label` is what the user typed
    /// (`--report json:-`, `--output a.json`), `target` what `OutputTarget.checking` made of it.
    public struct Output: Sendable {
        public var label: String
        public var target: OutputTarget

        public init(label: String, target: OutputTarget) {
            self.label = label
            self.target = target
        }
    }

    /// What writes standard output, for a later output that would too: its label, unless
    /// that is only "standard output" (a run's main output, no option naming it).
    private static func writer(_ output: Output) -> String {
        output.label == "standard output" ? "the run's main output (give it --output FILE to free standard output)" : output.label
    }

    /// One problem for each output that conflicts with an input or an earlier output,
    /// naming both. Inputs are file paths; `-` (standard input) is never an output.
    public static func find(outputs: [Output], inputs: [String]) -> [String] {
        let inputIdentities = inputs.filter { $0 != "-" }.map(FileIdentity.init(path:))
        let null = FileIdentity(path: "/dev/null").fileNode
        var problems: [String] = []
        var earlier: [(output: Output, identity: FileIdentity)] = []
        for output in outputs {
            let identity = output.target.path.map(FileIdentity.init(path:)) ?? .standardOutput
            if null != nil && identity.writtenNode(as: output.target) == null { continue }
            if let input = inputIdentities.first(where: { identity.writes(over: $0, as: output.target) }) {
                problems.append("\(output.label): this is the input \(input.path); an input is never written over")
            } else if let first = earlier.first(where: {
                identity.writesSameFile(as: $0.identity, as: output.target, otherAs: $0.output.target)
            }) {
                problems.append(output.target == .standardOutput || first.output.target == .standardOutput
                    ? "\(output.label): standard output is already written by " + writer(first.output)
                    : "\(output.label): the same file as \(first.output.label)")
            }
            earlier.append((output, identity))
        }
        return problems
    }
}
