/// Why a document was refused, and on which line: the reader's only error.
public struct XMLReadError: Error, Equatable, Sendable {
    /// The line (from 1) where the reader stopped.
    public let line: Int
    /// What is wrong there, for a person ("'--' inside a comment").
    public let problem: String
    /// True when the document broke one of `XMLReaderLimits` rather than XML's own rules:
    /// it may be well-formed, but is not a configuration file dasaudit reads.
    public let isOverLimit: Bool

    public init(line: Int, problem: String, isOverLimit: Bool = false) {
        self.line = line
        self.problem = problem
        self.isOverLimit = isOverLimit
    }
}
