/// What one recognizer says of a connection, from the first bytes of both sides.
public enum Recognition: Sendable, Equatable {
    case recognized(ProtocolEvidence)
    case no
    /// The captured bytes end before the recognizer could tell.
    case undecided

    /// `.recognized(evidence)` for `.yes`, and the same `.no` / `.undecided` otherwise.
    init(_ match: Match, _ evidence: @autoclosure () -> ProtocolEvidence) {
        switch match {
        case .yes: self = .recognized(evidence())
        case .no: self = .no
        case .undecided: self = .undecided
        }
    }

    /// Either side's match is enough: the first that says yes, else undecided if either is.
    static func either(_ client: Match, _ server: Match, _ name: ProtocolName) -> Recognition {
        if client == .yes || server == .yes { return .recognized(ProtocolEvidence(name)) }
        return client == .undecided || server == .undecided ? .undecided : .no
    }
}
