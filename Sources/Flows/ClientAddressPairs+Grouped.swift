import Wire

extension ClientAddressPairs {
    /// The client addresses of endpoints `0..<owners`, each sorted (`ClientAddresses`), by
    /// endpoint number: what the end stage hands each service and attempted endpoint.
    ///
    /// Built for all endpoints at once and without hashing: the pairs are counted per
    /// endpoint, placed into one buffer at each endpoint's offset (a counting sort by
    /// endpoint), and each endpoint's run is then sorted in place. The pairs are distinct
    /// already, so nothing is removed. Endpoints whose clients are all IPv4 share a buffer of
    /// 4-byte values, the others (any IPv6 client) one of 16-byte addresses: two allocations
    /// in all, each endpoint's clients a slice of one of them. The passes go through buffer
    /// pointers (a million pairs at 40,000 services: no bounds or uniqueness check per pair),
    /// and the short runs most endpoints have are sorted by insertion.
    func grouped(owners: Int) -> [ClientAddresses] {
        var ipv4Counts = [Int](repeating: 0, count: owners)
        var otherCounts = [Int](repeating: 0, count: owners)
        ipv4Counts.withUnsafeMutableBufferPointer { ipv4Counts in
            otherCounts.withUnsafeMutableBufferPointer { otherCounts in
                forEach { owner, address in
                    if address.isIPv4 { ipv4Counts[owner] += 1 } else { otherCounts[owner] += 1 }
                }
            }
        }
        // Each endpoint's run in the buffer of its form: the compact one if it has IPv4
        // clients only.
        var starts = [Int](repeating: 0, count: owners)
        var compactCount = 0, wideCount = 0
        for owner in 0..<owners {
            if otherCounts[owner] == 0 {
                starts[owner] = compactCount
                compactCount += ipv4Counts[owner]
            } else {
                starts[owner] = wideCount
                wideCount += ipv4Counts[owner] + otherCounts[owner]
            }
        }
        var compact = [UInt32](repeating: 0, count: compactCount)
        var wide = [IPAddress](repeating: IPAddress(high: 0, low: 0), count: wideCount)
        var next = starts
        otherCounts.withUnsafeBufferPointer { otherCounts in
            next.withUnsafeMutableBufferPointer { next in
                compact.withUnsafeMutableBufferPointer { compact in
                    wide.withUnsafeMutableBufferPointer { wide in
                        forEach { owner, address in
                            if otherCounts[owner] == 0 {
                                compact[next[owner]] = UInt32(truncatingIfNeeded: address.low)
                            } else {
                                wide[next[owner]] = address
                            }
                            next[owner] += 1
                        }
                    }
                }
            }
        }
        compact.withUnsafeMutableBufferPointer { buffer in
            for owner in 0..<owners where otherCounts[owner] == 0 && ipv4Counts[owner] > 1 {
                Self.sort(UnsafeMutableBufferPointer(rebasing: buffer[starts[owner]..<next[owner]]))
            }
        }
        wide.withUnsafeMutableBufferPointer { buffer in
            for owner in 0..<owners where otherCounts[owner] > 0 {
                Self.sort(UnsafeMutableBufferPointer(rebasing: buffer[starts[owner]..<next[owner]]))
            }
        }
        return (0..<owners).map { owner in
            otherCounts[owner] == 0
                ? ClientAddresses(sortedDistinctIPv4: compact[starts[owner]..<next[owner]])
                : ClientAddresses(sortedDistinctMixed: wide[starts[owner]..<next[owner]])
        }
    }

    /// Sorts `run` in place: by insertion when it is short (an endpoint's few dozen
    /// clients), else by the standard library's sort.
    static func sort<Element: Comparable>(_ run: UnsafeMutableBufferPointer<Element>) {
        var run = run
        guard run.count <= 32 else { return run.sort() }
        for index in run.indices.dropFirst() {
            let element = run[index]
            var place = index
            while place > 0, element < run[place - 1] {
                run[place] = run[place - 1]
                place -= 1
            }
            run[place] = element
        }
    }
}
