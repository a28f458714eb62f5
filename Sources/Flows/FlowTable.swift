import Wire

/// The connection table: every TCP segment lands in its connection's record; `finish`
/// turns the records into connections with a direction and a state.
///
/// A SYN on a 4-tuple whose connection has ended (FIN both ways, or RST) starts a new
/// connection, as TCP port reuse does.
public struct FlowTable: Sendable {
    @usableFromInline var index: [ConnectionKey: Int] = [:]
    @usableFromInline var records: ContiguousArray<ConnectionRecord> = []
    /// Records replaced by a new connection on the same 4-tuple.
    @usableFromInline var ended: [ConnectionRecord] = []

    public init() {}

    /// Connections tracked so far.
    public var count: Int { records.count + ended.count }

    @inlinable
    public mutating func add(_ segment: TCPSegment, timestamp: Int64, wireLength: UInt32) {
        let (key, fromA) = ConnectionKey.of(
            source: Endpoint(address: segment.source, port: segment.sourcePort),
            destination: Endpoint(address: segment.destination, port: segment.destinationPort)
        )
        if let slot = index[key] {
            if segment.flags.contains(.syn) && !segment.flags.contains(.ack) && records[slot].hasEnded {
                ended.append(records[slot])
                records[slot] = ConnectionRecord(key: key, timestamp: timestamp, vlan: segment.vlan)
            }
            records[slot].add(segment, fromA: fromA, timestamp: timestamp, wireLength: wireLength)
        } else {
            var record = ConnectionRecord(key: key, timestamp: timestamp, vlan: segment.vlan)
            record.add(segment, fromA: fromA, timestamp: timestamp, wireLength: wireLength)
            index[key] = records.count
            records.append(record)
        }
    }

    /// Adds every record of `other`, as if its packets had come after this table's.
    /// Records of the same connection are combined.
    public mutating func absorb(_ other: FlowTable) {
        ended.append(contentsOf: other.ended)
        for record in other.records {
            if let slot = index[record.key] {
                records[slot].combine(record)
            } else {
                index[record.key] = records.count
                records.append(record)
            }
        }
    }

    /// The connections, in the order of their first packet.
    public func finish(rules: DirectionRules) -> [Connection] {
        (ended + records)
            .sorted { ($0.firstSeen, $0.key.a, $0.key.b) < ($1.firstSeen, $1.key.a, $1.key.b) }
            .map { Connection($0, rules: rules) }
    }
}

extension ConnectionRecord {
    /// Folds in another record of the same connection.
    mutating func combine(_ other: ConnectionRecord) {
        packetsFromA += other.packetsFromA
        packetsFromB += other.packetsFromB
        bytesFromA += other.bytesFromA
        bytesFromB += other.bytesFromB
        payloadFromA += other.payloadFromA
        payloadFromB += other.payloadFromB
        seenFromA.formUnion(other.seenFromA)
        seenFromB.formUnion(other.seenFromB)
        if other.firstSeen < firstSeen {
            firstSeen = other.firstSeen
            clientIsA = other.clientIsA ?? clientIsA
            vlan = other.vlan
        } else {
            clientIsA = clientIsA ?? other.clientIsA
        }
        lastSeen = max(lastSeen, other.lastSeen)
    }
}
