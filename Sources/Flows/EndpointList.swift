import Wire

/// Endpoints in (address, port) order, each once, with a value each: the services or the
/// attempted endpoints as the audit's end stage reads them
/// (`ServiceStatistics.takeServicesAndAttempts`).
///
/// The end stage walks them in endpoint order (the order of the result's lists), merges the
/// services with the attempts for port-scan detection, and sums them for the coverage: an
/// array sorted once serves all three by position. A `Dictionary<Endpoint, ...>` hashed
/// every endpoint with SipHash to build it, then was sorted by key and looked up again
/// per endpoint (tens of milliseconds at 40,000 services). Finding one endpoint is a binary
/// search.
public struct EndpointList<Value> {
    /// The endpoints, sorted and distinct.
    public private(set) var endpoints: [Endpoint]
    /// The value of `endpoints[i]` at `i`.
    public private(set) var values: [Value]

    /// No endpoints.
    public init() {
        endpoints = []
        values = []
    }

    /// The entries of `dictionary`, in endpoint order.
    public init(_ dictionary: [Endpoint: Value]) {
        let sorted = dictionary.sorted { $0.key < $1.key }
        self.init(sortedEndpoints: sorted.map(\.key), values: sorted.map(\.value))
    }

    /// `endpoints` sorted and distinct, `values` matching them one for one.
    init(sortedEndpoints endpoints: [Endpoint], values: [Value]) {
        precondition(endpoints.count == values.count, "one value per endpoint")
        assert(zip(endpoints, endpoints.dropFirst()).allSatisfy { $0 < $1 }, "endpoints sorted and distinct")
        self.endpoints = endpoints
        self.values = values
    }

    /// The value of `endpoint`, if it is listed: a binary search.
    public subscript(endpoint: Endpoint) -> Value? {
        position(of: endpoint).map { values[$0] }
    }

    /// The position of `endpoint`, if it is listed: a binary search.
    public func position(of endpoint: Endpoint) -> Int? {
        var low = 0, high = endpoints.count
        while low < high {
            let middle = low + (high - low) / 2
            if endpoints[middle] < endpoint { low = middle + 1 } else { high = middle }
        }
        return low < endpoints.count && endpoints[low] == endpoint ? low : nil
    }

    /// Changes the value at `position` in place.
    mutating func modifyValue(at position: Int, _ body: (inout Value) -> Void) {
        body(&values[position])
    }

    /// The same entries as a dictionary.
    public var dictionary: [Endpoint: Value] {
        Dictionary(uniqueKeysWithValues: zip(endpoints, values))
    }
}

extension EndpointList: RandomAccessCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { endpoints.count }

    /// The entry at `position`: copies its value out (read `values[position]`'s fields to
    /// copy less of a large value).
    public subscript(position: Int) -> (endpoint: Endpoint, value: Value) {
        (endpoints[position], values[position])
    }
}

extension EndpointList: Sendable where Value: Sendable {}
extension EndpointList: Equatable where Value: Equatable {}
