import Protocols

extension ResultMerger {
    /// What two sightings of one connection say it speaks: the one that says more. Each end
    /// captured the same bytes, but not always as much of them: a node captured at a short
    /// snapshot length (`tcpdump -s 64`, headers only) has the connection `unknown`, or TLS
    /// without the version its server's hello named, where the other end kept them. What
    /// one end saw was spoken, so a recognized protocol outranks bytes no recognizer knows
    /// (`other`), which outrank no payload (`none`), which outranks bytes not captured
    /// (`unknown`); of the same protocol, the one with its TLS version. Ties keep `lead`'s,
    /// the sighting the connection's orientation comes from: the outcome depends only on
    /// the two sightings, so every tree of merges picks the same (docs/merge.md).
    static func evidence(_ lead: ProtocolEvidence, _ other: ProtocolEvidence) -> ProtocolEvidence {
        detail(of: other) > detail(of: lead) ? other : lead
    }

    /// How much `evidence` says, for `evidence(_:_:)`: its protocol's rank, then whether it
    /// names a TLS version.
    static func detail(of evidence: ProtocolEvidence) -> Int {
        let rank = switch evidence.name {
        case .unknown: 0
        case .none: 1
        case .other: 2
        default: 3
        }
        return 2 * rank + (evidence.tlsVersion == nil ? 0 : 1)
    }
}
