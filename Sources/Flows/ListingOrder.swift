/// The order connections are listed in: by first packet, then by the lower endpoint and the
/// higher, whichever side is the client, so that a listing's order depends only on the
/// capture. Records (`ConnectionRecord.listingOrder`, whose key holds the lower endpoint
/// first) and connections (`Connection.listingOrder`) sort alike, so that the held records
/// of a listing merge with the connections already let go of (`FlowTable.handOverUnswept`).
public struct ListingOrder: Comparable, Sendable {
    public let firstSeen: Int64
    public let lower: Endpoint
    public let higher: Endpoint

    public static func < (x: ListingOrder, y: ListingOrder) -> Bool {
        (x.firstSeen, x.lower, x.higher) < (y.firstSeen, y.lower, y.higher)
    }
}

extension ConnectionRecord {
    /// Where the record is listed (`ListingOrder`).
    var listingOrder: ListingOrder { ListingOrder(firstSeen: firstSeen, lower: key.a, higher: key.b) }
}

extension Connection {
    /// Where the connection is listed (`ListingOrder`).
    public var listingOrder: ListingOrder {
        client < server ? ListingOrder(firstSeen: firstSeen, lower: client, higher: server)
                        : ListingOrder(firstSeen: firstSeen, lower: server, higher: client)
    }

    /// Whether `x` is listed before `y` (`ListingOrder`).
    public static func beganBefore(_ x: Connection, _ y: Connection) -> Bool { x.listingOrder < y.listingOrder }
}
