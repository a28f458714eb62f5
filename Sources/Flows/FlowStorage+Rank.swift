extension FlowStorage {
    /// The `rank`-th smallest `lastSeen` of the records (0: the least recent), as sorting
    /// them would give it, found in expected linear time (quickselect with random pivots,
    /// so crafted timestamps cannot make it quadratic).
    ///
    /// The table needs it each time it reaches its cap (`FlowTable.relieve`): sorting every
    /// open record's time there cost O(n log n) and an array of n times per quarter evicted,
    /// which a capture of millions of short connections pays dozens of times.
    func lastSeen(rank: Int) -> Int64 {
        precondition(rank >= 0 && rank < count, "FlowStorage.lastSeen(rank:): rank out of range")
        let times = UnsafeMutablePointer<Int64>.allocate(capacity: count)
        defer { times.deallocate() }
        times.update(from: lastSeenTimes, count: count)
        var generator = SystemRandomNumberGenerator()
        var low = 0, high = count - 1
        while low < high {
            let pivot = times[Int.random(in: low...high, using: &generator)]
            // Three-way partition: [low, less) < pivot, [less, greater] == pivot, (greater, high] > pivot.
            var less = low, index = low, greater = high
            while index <= greater {
                if times[index] < pivot {
                    times.swapAt(less, index)
                    less += 1
                    index += 1
                } else if times[index] > pivot {
                    times.swapAt(index, greater)
                    greater -= 1
                } else {
                    index += 1
                }
            }
            if rank < less {
                high = less - 1
            } else if rank > greater {
                low = greater + 1
            } else {
                return pivot
            }
        }
        return times[rank]
    }
}

extension UnsafeMutablePointer {
    fileprivate func swapAt(_ i: Int, _ j: Int) {
        let held = self[i]
        self[i] = self[j]
        self[j] = held
    }
}
