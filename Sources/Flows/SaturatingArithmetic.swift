/// Sums and differences that stop at the type's bounds instead of trapping. Counts and
/// times read from a capture or a result file are outside input: a hostile result can
/// carry packet counts near 2^64, a pcapng with 64-bit timestamps times at both ends of
/// the Int64 range. A total that cannot be represented is shown as the largest one that
/// can, which is still "very many", where plain `+` would crash the audit and `&+` would
/// wrap to a small, wrong number.
extension FixedWidthInteger {
    /// `self + other`, or the bound it passed.
    @inlinable
    public func addingSaturated(_ other: Self) -> Self {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }

    /// `self - other`, or the bound it passed.
    @inlinable
    public func subtractingSaturated(_ other: Self) -> Self {
        let (difference, overflow) = subtractingReportingOverflow(other)
        guard overflow else { return difference }
        return other > 0 ? .min : .max
    }

    /// Adds `other` in place, stopping at the bound.
    @inlinable
    public mutating func addSaturated(_ other: Self) {
        self = addingSaturated(other)
    }
}
