extension CaseCounts {
    /// The count of the case numbered `denseIndex` (`DenselyNumbered.denseIndex`), 0 if never
    /// counted.
    ///
    /// Inlinable, so that another module reads a counter with one load: the subscript by
    /// case is generic code called across the module boundary, which the end stage called
    /// two dozen times per service (a tenth of its time at 40,000 services) to name the
    /// counted cases (`ClassifiedService.named`).
    @inlinable
    public func count(atDenseIndex denseIndex: Int) -> UInt64 {
        precondition(denseIndex >= 0 && denseIndex < Self.capacity, "a dense index within the counters")
        return withUnsafeBytes(of: storage) { $0.load(fromByteOffset: denseIndex * 8, as: UInt64.self) }
    }
}
