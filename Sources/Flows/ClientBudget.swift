import Wire

/// How many more client addresses a `ServiceStatistics` may record, summed over its
/// services and attempts (`FlowLimits.maxClientAddresses`), and whether one was refused.
///
/// Past the budget an address already recorded for an endpoint still counts as known; a
/// new one is not recorded, and `overflowed` says that the endpoints' client counts are
/// now lower bounds. Once it says so, nothing more is looked up: past the budget the
/// lookup could only set it again, and on a scan it missed the cache for every probe.
@usableFromInline
struct ClientBudget {
    var left: Int
    var overflowed = false

    /// Records `address` as a client of endpoint `owner` in `clients` with `tally` if it is
    /// new and the budget allows, or adds `tally` to the pair's if it is there. Past the
    /// budget, tallies stop growing too: they are lower bounds from then on, as the clients
    /// counts are.
    @inline(__always)
    mutating func record<Tally>(_ address: IPAddress, owner: Int, tally: Tally = Tally(),
                                in clients: inout ClientAddressPairs<Tally>) {
        if left > 0 {
            if clients.insert(address, owner: owner, tally: tally) { left -= 1 }
        } else if !overflowed && !clients.addToExisting(address, owner: owner, tally: tally) {
            overflowed = true
        }
    }
}
