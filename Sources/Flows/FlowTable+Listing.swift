/// The table as a listing written while the capture is read (`dasaudit flows`): when it
/// keeps its connections (`keepingConnections`), each sweep closes a round of the ones it
/// let go of, which the reader takes (`CaptureReader.swept`) and the listing writes.
extension FlowTable {
    /// Puts the connections kept since the last sweep in the order of their first packets
    /// and counts them as swept: a round is what left between two sweeps, whose times are
    /// a grid of capture time, so the rounds do not depend on where the inputs were cut.
    mutating func closeRound() {
        guard keepsConnections, evictedConnections.count > sweptCount else { return }
        evictedConnections[sweptCount...].sort(by: Connection.beganBefore)
        sweptCount = evictedConnections.count
    }

    /// The connections that left the table in the sweeps since the last call, when it keeps
    /// them (`keepingConnections`): round after round, each in the order of their first
    /// packets. The table lets go of them, so that a listing written as the reading goes
    /// (`dasaudit flows`) holds only the connections still open.
    public mutating func takeSweptConnections() -> [Connection] {
        guard sweptCount > 0 else { return [] }
        let swept = Array(evictedConnections[..<sweptCount])
        evictedConnections.removeFirst(sweptCount)
        sweptCount = 0
        return swept
    }

    /// The connections not yet taken by `takeSweptConnections`: the last round's and those
    /// still held, in the order of their first packets.
    public func unsweptConnections(rules: DirectionRules) -> [Connection] {
        (evictedConnections[sweptCount...] + finish(rules: rules)).sorted(by: Connection.beganBefore)
    }
}
