import Flows
import Protocols

/// A service record's counts by name (`ClassifiedService.named`), one dictionary shared by
/// every record whose counts are the same single case with the same count.
///
/// Most services count one direction basis, one state and one protocol, with counts in a
/// narrow range ("handshake": 27), so most of the records' 120,000 dictionaries at 40,000
/// services were the same few hundred, each a heap block made and hashed again. A
/// dictionary is a value, so sharing its storage changes nothing a reader can see.
struct SharedNamedCounts<Key: DenselyNumbered> {
    let names: CaseNames<Key>
    /// By dense index (high byte) and count.
    private var shared: [UInt64: [String: UInt64]] = [:]

    init(_ names: CaseNames<Key>) {
        self.names = names
    }

    /// `ClassifiedService.named(counts, names)`.
    mutating func named(_ counts: CaseCounts<Key>) -> [String: UInt64] {
        var counted = 0
        var only = (denseIndex: 0, count: UInt64(0))
        for (index, _) in names.cases {
            let count = counts.count(atDenseIndex: index)
            if count != 0 {
                counted += 1
                only = (index, count)
            }
        }
        guard counted == 1, only.count < 1 << 56 else { return ClassifiedService.named(counts, names) }
        let key = UInt64(only.denseIndex) << 56 | only.count
        if let made = shared[key] { return made }
        let made = ClassifiedService.named(counts, names)
        shared[key] = made
        return made
    }
}

/// The shared named counts of the service records of one audit: direction basis, states
/// and protocols.
struct RecordCountNames {
    var basis = SharedNamedCounts(ClassifiedService.basisNames)
    var states = SharedNamedCounts(ClassifiedService.stateNames)
    var protocols = SharedNamedCounts(ClassifiedService.protocolNames)
}
