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
    /// and the runs are sorted by a quicksort with insertion for short ones (`sort`).
    ///
    /// `layout`: the endpoints in the order their runs are laid out in the buffers (each
    /// once; by default by number). The end stage passes the endpoint order it reads them
    /// in, so that walking the services walks the clients' buffer front to back instead of
    /// missing the cache at every service.
    ///
    /// `inParallel`: sort the runs on two threads (`bothAtOnce`), with the same result.
    func grouped(owners: Int, layout: [Int]? = nil, inParallel: Bool = false) -> [ClientAddresses] {
        precondition(layout.map { $0.count == owners } ?? true, "a layout names each endpoint once")
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
        for owner in layout ?? Array(0..<owners) {
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
        // Each run sorted in place; the runs are disjoint, so the first and the second half
        // of the endpoints are sorted at once when `inParallel`.
        compact.withUnsafeMutableBufferPointer { compact in
            wide.withUnsafeMutableBufferPointer { wide in
                func sortRuns(of endpoints: Range<Int>) {
                    for owner in endpoints where ipv4Counts[owner] + otherCounts[owner] > 1 {
                        if otherCounts[owner] == 0 {
                            Self.sort(UnsafeMutableBufferPointer(rebasing: compact[starts[owner]..<next[owner]]))
                        } else {
                            Self.sort(UnsafeMutableBufferPointer(rebasing: wide[starts[owner]..<next[owner]]))
                        }
                    }
                }
                _ = bothAtOnce(inParallel: inParallel, { sortRuns(of: 0..<owners / 2) }, { sortRuns(of: owners / 2..<owners) })
            }
        }
        return (0..<owners).map { owner in
            otherCounts[owner] == 0
                ? ClientAddresses(sortedDistinctIPv4: compact[starts[owner]..<next[owner]])
                : ClientAddresses(sortedDistinctMixed: wide[starts[owner]..<next[owner]])
        }
    }

    /// Sorts `run` in place: by insertion when it is short (an endpoint's few dozen
    /// clients), else by quicksort (the middle of three as the pivot, the shorter side
    /// first, so the stack stays logarithmic). The standard library's sort is a stable
    /// merge sort, which these distinct values do not need, at twice the time.
    ///
    /// The addresses come from capture data, so an order that defeats the pivot must not
    /// make it quadratic: after twice the logarithm of the length in partitions, what is
    /// left goes to the standard library's sort, O(n log n) whatever the order (as an
    /// introsort does). The order it is given is the client table's, which a per-process
    /// seed scrambles, so that limit is not expected to be reached.
    static func sort<Element: Comparable>(_ run: UnsafeMutableBufferPointer<Element>) {
        sort(run, partitionsLeft: 2 * (Int.bitWidth - run.count.leadingZeroBitCount))
    }

    /// `sort(_:)` with at most `partitionsLeft` quicksort partitions before the fallback.
    static func sort<Element: Comparable>(_ run: UnsafeMutableBufferPointer<Element>, partitionsLeft: Int) {
        var partitionsLeft = partitionsLeft
        var low = 0, high = run.count  // the part still to sort, low..<high
        while high - low > 32 {
            guard partitionsLeft > 0 else {
                var rest = UnsafeMutableBufferPointer(rebasing: run[low..<high])
                rest.sort()
                return
            }
            partitionsLeft -= 1
            let middle = low + (high - low) / 2
            // The median of the first, middle and last elements, moved to the middle.
            if run[middle] < run[low] { run.swapAt(middle, low) }
            if run[high - 1] < run[middle] {
                run.swapAt(high - 1, middle)
                if run[middle] < run[low] { run.swapAt(middle, low) }
            }
            let pivot = run[middle]
            var left = low, right = high - 1
            while left <= right {
                while run[left] < pivot { left += 1 }
                while pivot < run[right] { right -= 1 }
                if left <= right {
                    run.swapAt(left, right)
                    left += 1
                    right -= 1
                }
            }
            // low...right and left..<high remain; recurse into the shorter one.
            if right - low < high - left {
                sort(UnsafeMutableBufferPointer(rebasing: run[low..<(right + 1)]), partitionsLeft: partitionsLeft)
                low = left
            } else {
                sort(UnsafeMutableBufferPointer(rebasing: run[left..<high]), partitionsLeft: partitionsLeft)
                high = right + 1
            }
        }
        insertionSort(UnsafeMutableBufferPointer(rebasing: run[low..<high]))
    }

    /// Sorts a short `run` in place by insertion.
    private static func insertionSort<Element: Comparable>(_ run: UnsafeMutableBufferPointer<Element>) {
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
