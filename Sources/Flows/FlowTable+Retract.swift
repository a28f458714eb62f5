import Wire

/// Taking connections back: the front view of a connection captured before and after
/// address translation is counted as `translated`, not audited (`TranslatedCopies`).
extension FlowTable {
    /// Takes back the connection `segment` belongs to, as if none of its packets had been
    /// added: it is the front view of a connection seen again after address translation
    /// (`TranslatedCopies`), whose packets are counted as `translated`, not audited. Its
    /// packets are counted in `retracted`, so the reader can count them so.
    public mutating func retract(_ segment: TCPSegment) {
        let key = FlowTable.key(of: segment).key
        makeStorageUnique()
        let position = storage.find(key, tag: storage.tag(key))
        guard position >= 0 else { return }
        countRetracted(storage.remove(at: position).record)
    }

    /// Takes back every record picked up mid-stream whose key `isFront` picks (open, or ended
    /// and held for merging): in a table that continues an earlier input, the rest of a
    /// connection whose earlier input's reader had found it to be the front view of a
    /// translated connection. Counted in `retracted`, as `retract` counts.
    public mutating func retractContinuations(where isFront: (ConnectionKey) -> Bool) {
        func picked(_ record: ConnectionRecord) -> Bool { !record.openedWithSyn && isFront(record.key) }
        makeStorageUnique()
        for position in stride(from: storage.count - 1, through: 0, by: -1) where picked(storage.records[position]) {
            countRetracted(storage.remove(at: position).record)
        }
        var kept: [DetachedRecord] = []
        for held in ended {
            if picked(held.record) { countRetracted(held.record) } else { kept.append(held) }
        }
        ended = kept
    }

    private mutating func countRetracted(_ record: ConnectionRecord) {
        retracted[record.tunnel] = retracted[record.tunnel]
            .addingSaturated(record.packetsFromA.addingSaturated(record.packetsFromB))
    }
}
