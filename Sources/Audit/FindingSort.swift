import Wire

extension FindingRules {
    /// `findings` in `FindingRules.order`, with ties kept in their given order (as the
    /// stable `sorted(by: FindingRules.order)` gives), but each finding's sort key (its
    /// severity's rank, its kind's rank, its address parsed once) computed once rather than
    /// at every comparison, and the indices sorted rather than the findings: an audit of
    /// tens of thousands of services sorts as many findings, and comparing them directly
    /// parsed two addresses and moved two large values per comparison.
    ///
    /// The findings are then moved into place (an in-place permutation, cycle by cycle),
    /// not copied: pass a uniquely held array (`consume`) and none is retained again.
    static func sorted(_ findings: consuming [Finding]) -> [Finding] {
        // Each key from the finding's fields (not a copy of the finding); an address is parsed
        // once per run of findings on one address (the services' findings come by host).
        var parsed: (address: String?, value: IPAddress?)?
        let keys = findings.withUnsafeBufferPointer { buffer in
            buffer.indices.map { index in
                let address = buffer[index].address
                if parsed == nil || parsed!.address != address { parsed = (address, IPAddress(address ?? "")) }
                return FindingSortKey(severity: buffer[index].severity, kind: buffer[index].kind, address: address,
                                      parsedAddress: parsed!.value, port: buffer[index].port)
            }
        }
        let order = keys.indices.sorted { keys[$0].precedes(keys[$1]) }
        var sorted = consume findings  // unique, so that the swaps below copy nothing
        // sorted[k] must become the finding at order[k]: follow each cycle of the
        // permutation, moving each finding once.
        // (The buffer's swap moves the values; the array's would copy them.)
        var placed = [Bool](repeating: false, count: order.count)
        sorted.withUnsafeMutableBufferPointer { buffer in
            for start in order.indices where !placed[start] {
                var position = start
                while order[position] != start {
                    buffer.swapAt(position, order[position])
                    placed[position] = true
                    position = order[position]
                }
                placed[position] = true
            }
        }
        return sorted
    }
}

/// What `FindingRules.order` compares of one finding, computed once.
struct FindingSortKey {
    let severityRank: Int
    let kindRank: Int
    let address: String?
    /// `address` as an address (nil: none, or text that is no address, such as a node name).
    let parsedAddress: IPAddress?
    let port: UInt16

    /// Each kind's place in the order of the raw values, which `FindingRules.order` compares.
    private static let kindRanks: [Finding.Kind: Int] = Dictionary(uniqueKeysWithValues:
        Finding.Kind.allCases.sorted { $0.rawValue < $1.rawValue }.enumerated().map { ($0.element, $0.offset) })
    private static let severityRanks: [Severity: Int] = Dictionary(uniqueKeysWithValues:
        Severity.allCases.enumerated().map { ($0.element, $0.offset) })

    /// The key of a finding with these fields, `parsedAddress` being `IPAddress(address ?? "")`.
    init(severity: Severity, kind: Finding.Kind, address: String?, parsedAddress: IPAddress?, port: UInt16?) {
        severityRank = Self.severityRanks[severity]!
        kindRank = Self.kindRanks[kind]!
        self.address = address
        self.parsedAddress = parsedAddress
        self.port = port ?? 0
    }

    /// `FindingRules.order`: most severe first, then by kind, address (as `AddressOrder`)
    /// and port.
    func precedes(_ other: FindingSortKey) -> Bool {
        if severityRank != other.severityRank { return severityRank > other.severityRank }
        if kindRank != other.kindRank { return kindRank < other.kindRank }
        if address != other.address {
            switch (parsedAddress, other.parsedAddress) {
            case let (x?, y?): return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return (address ?? "") < (other.address ?? "")
            }
        }
        return port < other.port
    }
}
