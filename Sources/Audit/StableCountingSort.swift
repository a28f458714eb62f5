extension Sequence {
    /// The elements in the order of `key`, a number in `0..<keyCount`; equal keys keep their
    /// order. A counting sort, linear in the elements and `keyCount`: two of them in turn
    /// (the minor key first) sort by a pair of dense numbers, as port-scan detection sorts a
    /// million probes by client and endpoint in a few passes where a comparison sort needs
    /// twenty.
    func stablySorted(by key: (Element) -> Int, keyCount: Int) -> [Element] {
        let elements = Array(self)
        var starts = [Int](repeating: 0, count: keyCount + 1)
        for element in elements { starts[key(element) + 1] += 1 }
        for index in 0..<keyCount { starts[index + 1] += starts[index] }
        // Each element placed once into uninitialized room (no fill pass first).
        return [Element](unsafeUninitializedCapacity: elements.count) { sorted, placed in
            for element in elements {
                let keyValue = key(element)
                (sorted.baseAddress! + starts[keyValue]).initialize(to: element)
                starts[keyValue] += 1
            }
            placed = elements.count
        }
    }
}
