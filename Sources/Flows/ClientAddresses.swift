import Wire

/// The distinct client addresses of one endpoint, sorted: `ServiceTraffic.clients` and
/// `ServiceAttempts.clients`.
///
/// What the audit asks of a service's clients is their count, the first few in order
/// (sample clients), whether one of them is a node, whether they are exactly one scanner,
/// and a walk over them; nothing adds to them once the statistics are built. So they are an
/// immutable sorted array rather than a `Set`: no hashing or reference-counted node per
/// service, and `contains` is a binary search.
///
/// Compact: when every address is IPv4 (the common case) they are kept as 4-byte values,
/// otherwise as 16-byte `IPAddress`es; which form is used follows from the contents alone,
/// so equal collections have equal storage. The storage is a slice, so the clients of all
/// the endpoints of one statistics can share one buffer (`ClientAddressPairs.grouped`):
/// building them for 40,000 services is two allocations, not a set each.
public struct ClientAddresses: RandomAccessCollection, Equatable, Sendable, ExpressibleByArrayLiteral,
    CustomStringConvertible {
    /// IPv4 values in host order, or addresses of which at least one is not IPv4; sorted,
    /// distinct.
    @usableFromInline
    enum Storage: Sendable {
        case ipv4(ArraySlice<UInt32>)
        case mixed(ArraySlice<IPAddress>)
    }

    @usableFromInline
    let storage: Storage

    /// No addresses.
    public init() { storage = .ipv4([]) }

    /// The distinct addresses of `addresses`, in any order and with repeats.
    public init(_ addresses: some Sequence<IPAddress>) {
        var sorted = Array(addresses)
        sorted.sort()
        var distinct = 0
        for address in sorted where distinct == 0 || sorted[distinct - 1] != address {
            sorted[distinct] = address
            distinct += 1
        }
        sorted.removeLast(sorted.count - distinct)
        self.init(sortedDistinct: sorted[...])
    }

    public init(arrayLiteral addresses: IPAddress...) {
        self.init(addresses)
    }

    /// Addresses already sorted and distinct, in the compact form if they are all IPv4.
    init(sortedDistinct addresses: ArraySlice<IPAddress>) {
        if addresses.allSatisfy(\.isIPv4) {
            self.init(sortedDistinctIPv4: ArraySlice(addresses.lazy.map { UInt32(truncatingIfNeeded: $0.low) }))
        } else {
            self.init(sortedDistinctMixed: addresses)
        }
    }

    /// IPv4 values (host order), sorted and distinct.
    init(sortedDistinctIPv4 values: ArraySlice<UInt32>) {
        assert(zip(values, values.dropFirst()).allSatisfy { $0 < $1 }, "IPv4 clients sorted and distinct")
        storage = .ipv4(values)
    }

    /// Addresses sorted and distinct, at least one of them not IPv4 (else the compact form
    /// is the one to use, so that equal contents have equal storage).
    init(sortedDistinctMixed addresses: ArraySlice<IPAddress>) {
        assert(zip(addresses, addresses.dropFirst()).allSatisfy { $0 < $1 }, "clients sorted and distinct")
        assert(!addresses.allSatisfy(\.isIPv4), "all-IPv4 clients take the compact form")
        storage = .mixed(addresses)
    }

    @inlinable
    public var startIndex: Int { 0 }

    @inlinable
    public var endIndex: Int {
        switch storage {
        case .ipv4(let values): values.count
        case .mixed(let addresses): addresses.count
        }
    }

    @inlinable
    public subscript(position: Int) -> IPAddress {
        switch storage {
        case .ipv4(let values): IPAddress(ipv4: values[values.startIndex + position])
        case .mixed(let addresses): addresses[addresses.startIndex + position]
        }
    }

    /// Calls `body` with each address, in order: the storage's form is read once, not at
    /// every element as a walk by index reads it (port-scan detection walks a million
    /// clients on a capture with tens of thousands of services).
    @inlinable
    public func forEach(_ body: (IPAddress) throws -> Void) rethrows {
        switch storage {
        case .ipv4(let values): for value in values { try body(IPAddress(ipv4: value)) }
        case .mixed(let addresses): for address in addresses { try body(address) }
        }
    }

    /// Whether `address` is one of them: a binary search.
    public func contains(_ address: IPAddress) -> Bool {
        switch storage {
        case .ipv4(let values):
            guard let value = address.ipv4Value else { return false }
            return Self.search(values, for: value)
        case .mixed(let addresses):
            return Self.search(addresses, for: address)
        }
    }

    public static func == (lhs: ClientAddresses, rhs: ClientAddresses) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case (.ipv4(let left), .ipv4(let right)): left == right
        case (.mixed(let left), .mixed(let right)): left == right
        default: false // Each content has one form.
        }
    }

    public var description: String { "[" + map(\.description).joined(separator: ", ") + "]" }

    /// Whether the sorted `elements` hold `target`.
    private static func search<Element: Comparable>(_ elements: ArraySlice<Element>, for target: Element) -> Bool {
        var low = elements.startIndex, high = elements.endIndex
        while low < high {
            let middle = low + (high - low) / 2
            if elements[middle] < target { low = middle + 1 } else { high = middle }
        }
        return low < elements.endIndex && elements[low] == target
    }
}
