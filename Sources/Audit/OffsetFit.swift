import Policy

/// Finds another port offset that explains all of a host's service ports: the sign of a
/// node configured with the wrong `<Ports><Offset>`.
///
/// The offsets that explain one port are a union of ranges (one per shifted catalog entry:
/// `port - basePort - span ... port - basePort`), so they are computed as ranges, merged in
/// ascending order, without building a set: the end stage asks this for tens of thousands
/// of services.
struct OffsetFit {
    let policy: Policy
    /// The shifted expected entries as (base port, span), ordered by `base + span`
    /// descending, so that the ranges they give for a port come in ascending order of
    /// their lower bounds.
    private let shiftedSpans: [(base: Int, span: Int)]
    /// The ports of the unshifted expected entries: ports that fit every offset.
    private let unshiftedPorts: [ClosedRange<Int>]
    /// The offsets a node of this catalog can have: 0 up to the largest that keeps every
    /// shifted port within 65535 (`Policy.largestOffset`, 47455 for `das`; carbon.xml's own
    /// bound is 55535), so that no hint names an offset the policy would refuse.
    let validOffsets: ClosedRange<Int>

    init(policy: Policy) {
        self.policy = policy
        var shifted: [(base: Int, span: Int)] = []
        var unshifted: [ClosedRange<Int>] = []
        for entry in policy.expectedEntries {
            let span = entry.isExecutorBand ? policy.coresPerNode : entry.ports(offset: 0, cores: policy.coresPerNode).count - 1
            if entry.shiftedByOffset {
                shifted.append((Int(entry.basePort), span))
            } else {
                unshifted.append(Int(entry.basePort)...(Int(entry.basePort) + span))
            }
        }
        shiftedSpans = shifted.sorted { $0.base + $0.span > $1.base + $1.span }
        unshiftedPorts = unshifted
        validOffsets = 0...max(policy.largestOffset, policy.offset)
    }

    /// The offset (other than the policy's) at which every port in `ports` is an expected
    /// catalog port or an allowed executor port, if there is one. Ports that the offset
    /// does not move (Hazelcast 4000) fit any offset; at least two moved ports must agree,
    /// and they must be ports of two catalog keys (`explainsEnough`): one stray port never
    /// names an offset, and neither do two consecutive ones, which a per-core band
    /// (`spark.blockManager.port` and its executors) fits at some offset whatever they are:
    /// rogue listeners on 31002 and 31003 fitted offset 19002. The smallest such offset wins.
    func offset<Ports: Collection<UInt16>>(explaining ports: Ports) -> Int? {
        var common: [ClosedRange<Int>]?
        var ranges: [ClosedRange<Int>] = []
        var movedPorts = 0
        for port in ports {
            ranges.removeAll(keepingCapacity: true)
            guard forEachOffsetRange(explaining: port, { ranges.append($0) }) else { continue }  // fits every offset
            movedPorts += 1
            common = common.map { Self.intersection($0, ranges) } ?? ranges
            if common!.isEmpty { return nil }
        }
        guard movedPorts >= 2, let common else { return nil }
        for range in common {
            if let offset = range.first(where: { $0 != policy.offset }), explainsEnough(ports, at: offset) { return offset }
        }
        return nil
    }

    /// Whether the moved ones of `ports` at `offset` are ports of at least two catalog keys:
    /// a band of per-core ports counts once, since any run of consecutive ports fits it
    /// somewhere, and a port the offset does not move (Hazelcast's) not at all.
    func explainsEnough(_ ports: some Sequence<UInt16>, at offset: Int) -> Bool {
        var keys = Set<String>()
        for port in ports where !unshiftedPorts.contains(where: { $0.contains(Int(port)) }) {
            if let key = key(for: port, at: offset) { keys.insert(key) }
            if keys.count >= 2 { return true }
        }
        return false
    }

    /// The offsets at which `port` is explained; nil when an unshifted entry explains it
    /// at every offset.
    func offsets(explaining port: UInt16) -> Set<Int>? {
        var offsets = Set<Int>()
        guard forEachOffsetRange(explaining: port, { offsets.formUnion($0) }) else { return nil }
        return offsets
    }

    /// Calls `body` with the offsets at which `port` is explained, as disjoint, non-adjacent
    /// ranges in ascending order, and returns true; returns false (calling nothing) when an
    /// unshifted entry explains `port` at every offset. Allocates nothing.
    @discardableResult
    func forEachOffsetRange(explaining port: UInt16, _ body: (ClosedRange<Int>) -> Void) -> Bool {
        let port = Int(port)
        if unshiftedPorts.contains(where: { $0.contains(port) }) { return false }
        var pending: ClosedRange<Int>?
        func emit(_ range: ClosedRange<Int>) {
            let lower = max(range.lowerBound, validOffsets.lowerBound)
            let upper = min(range.upperBound, validOffsets.upperBound)
            if lower <= upper { body(lower...upper) }
        }
        for (base, span) in shiftedSpans {
            let range = (port - base - span)...(port - base)
            if let current = pending, range.lowerBound <= current.upperBound + 1 {
                pending = current.lowerBound...max(current.upperBound, range.upperBound)
            } else {
                if let current = pending { emit(current) }
                pending = range
            }
        }
        if let current = pending { emit(current) }
        return true
    }

    /// The offsets in both `a` and `b`, each disjoint ranges in ascending order.
    static func intersection(_ a: [ClosedRange<Int>], _ b: [ClosedRange<Int>]) -> [ClosedRange<Int>] {
        var result: [ClosedRange<Int>] = []
        var i = 0, j = 0
        while i < a.count, j < b.count {
            let lower = max(a[i].lowerBound, b[j].lowerBound)
            let upper = min(a[i].upperBound, b[j].upperBound)
            if lower <= upper { result.append(lower...upper) }
            if a[i].upperBound < b[j].upperBound { i += 1 } else { j += 1 }
        }
        return result
    }

    /// The catalog key explaining `port` at `offset`, for the hint.
    func key(for port: UInt16, at offset: Int) -> String? {
        var shifted = policy
        shifted.offset = offset
        return PortClassifier(policy: shifted, readingMovedShuffleService: false).classify(port).catalogKey
    }
}
