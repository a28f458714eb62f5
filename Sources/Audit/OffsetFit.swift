import Policy

/// Finds another port offset that explains all of a host's service ports: the sign of a
/// node configured with the wrong `<Ports><Offset>`.
struct OffsetFit {
    let policy: Policy
    /// `policy.expectedEntries`, filtered once rather than once per port.
    private let expectedEntries: [CatalogEntry]

    init(policy: Policy) {
        self.policy = policy
        expectedEntries = policy.expectedEntries
    }

    /// The offset (other than the policy's) at which every port in `ports` is an expected
    /// catalog port or an allowed executor port, if there is one. Ports that the offset
    /// does not move (Hazelcast 4000) fit any offset; at least two moved ports must agree,
    /// so one stray port never names an offset. The smallest such offset wins.
    func offset(explaining ports: Set<UInt16>) -> Int? {
        var common: Set<Int>?
        var movedPorts = 0
        for port in ports {
            guard let offsets = offsets(explaining: port) else { continue }  // fits every offset
            movedPorts += 1
            common = common.map { $0.intersection(offsets) } ?? offsets
            if common!.isEmpty { return nil }
        }
        guard movedPorts >= 2, var candidates = common else { return nil }
        candidates.remove(policy.offset)
        return candidates.min()
    }

    /// The offsets at which `port` is explained; nil when an unshifted entry explains it
    /// at every offset.
    func offsets(explaining port: UInt16) -> Set<Int>? {
        var offsets = Set<Int>()
        for entry in expectedEntries {
            let span = entry.isExecutorBand ? policy.coresPerNode : entry.ports(offset: 0, cores: policy.coresPerNode).count - 1
            if !entry.shiftedByOffset {
                if (Int(entry.basePort)...(Int(entry.basePort) + span)).contains(Int(port)) { return nil }
                continue
            }
            for step in 0...span {
                let offset = Int(port) - Int(entry.basePort) - step
                if (0...55535).contains(offset) { offsets.insert(offset) }
            }
        }
        return offsets
    }

    /// The catalog key explaining `port` at `offset`, for the hint.
    func key(for port: UInt16, at offset: Int) -> String? {
        var shifted = policy
        shifted.offset = offset
        return PortClassifier(policy: shifted).classify(port).catalogKey
    }
}
