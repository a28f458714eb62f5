import Flows
import Wire

/// Puts the segments of an input whose packets name one of several interfaces (a pcapng of
/// several, `dumpcap -i a -i b`) back in time order before they are tracked. dumpcap writes
/// each interface's packets in turn, so its file runs up to some 0.25 s out of time order
/// (`inputs[].out_of_order_seconds`). Copies of one packet are told in the file's order
/// (`InterfaceCopies`), but a connection whose packets cross different interfaces (a bond's
/// slaves in balance-rr, asymmetric routing, a bond captured with its slaves) then had
/// later packets tracked before earlier ones: a refused connect's RST before its SYN (a
/// lone RST and an unanswered connect), a midstream connection split off a closed one. On a
/// real dumpcap of a balance-rr bond and its two slaves (captures/bond-rr-dumpcap.pcapng)
/// 10 connections were counted for the bond's 8.
///
/// Each segment is held until the input's latest packet is `window` later (1 s, the most
/// `out_of_order_seconds` records), or while more than `capacity` are held, in a binary
/// heap by time, packets of one time in the order they came; then tracked. The input's
/// end tracks the rest (`release(all:)`), and so does a step back of the clock by more than
/// the window (`stepsBack`), after which the file's order is kept across the step. Its memory grows with what is held, to `capacity`
/// segments and their payload samples (3 MB), and is kept for the input's next packets.
struct TimeOrderBuffer {
    /// How long a segment is held, in nanoseconds of capture time.
    static let window: Int64 = 1_000_000_000
    /// How many segments are held at most.
    static let capacity = 16_384

    private var entries: [TimedSegment] = []
    private var samples: [PayloadSample] = []
    /// The order each slot's segment came in, which breaks ties of time.
    private var arrivals: [UInt64] = []
    /// Slots, the earliest first (a binary heap).
    private var heap: [Int32] = []
    private var freeSlots: [Int32] = []
    private var arrived: UInt64 = 0
    /// The latest time held so far.
    private var latest = Int64.min

    var isEmpty: Bool { heap.isEmpty }

    /// Holds a segment, with the first bytes of its payload.
    mutating func hold(_ segment: TCPSegment, payload: UnsafeRawBufferPointer, timestamp: Int64, wireLength: UInt32) {
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = Int(free)
            entries[slot] = TimedSegment(segment: segment, timestamp: timestamp, wireLength: wireLength)
            samples[slot] = PayloadSample()
            arrivals[slot] = arrived
        } else {
            slot = entries.count
            entries.append(TimedSegment(segment: segment, timestamp: timestamp, wireLength: wireLength))
            samples.append(PayloadSample())
            arrivals.append(arrived)
        }
        if segment.payloadLength != 0 { samples[slot].take(payload, payloadLength: segment.payloadLength) }
        arrived &+= 1
        latest = max(latest, timestamp)
        heap.append(Int32(slot))
        siftUp(heap.count - 1)
    }

    /// The earliest segment held, taken out, if it is due (`window` before the latest, or
    /// more than `capacity` held) or `all`; nil otherwise.
    mutating func release(all: Bool = false) -> (TimedSegment, PayloadSample)? {
        guard let first = heap.first else { return nil }
        let slot = Int(first)
        guard all || heap.count > Self.capacity || entries[slot].timestamp <= latest &- Self.window else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(0)
        }
        freeSlots.append(first)
        return (entries[slot], samples[slot])
    }

    /// Whether a packet of `timestamp` comes more than `window` before the latest held: not
    /// an interface's batch written late but the clock stepped back while the capture ran.
    /// The segments held are then tracked before it (`release(all:)`, `startOver`), so that
    /// those before the step are not held behind the thousands after it.
    func stepsBack(to timestamp: Int64) -> Bool {
        latest != .min && timestamp < latest &- Self.window
    }

    /// Forgets the latest time, once every segment held is released: at the end of an input
    /// (the next one's packets are held from its own) and after a step back of the clock.
    mutating func startOver() {
        precondition(heap.isEmpty, "drained before starting over")
        latest = .min
    }

    private func earlier(_ a: Int32, _ b: Int32) -> Bool {
        let (x, y) = (Int(a), Int(b))
        return (entries[x].timestamp, arrivals[x]) < (entries[y].timestamp, arrivals[y])
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard earlier(heap[child], heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            var first = parent
            let left = 2 * parent + 1, right = left + 1
            if left < heap.count && earlier(heap[left], heap[first]) { first = left }
            if right < heap.count && earlier(heap[right], heap[first]) { first = right }
            if first == parent { return }
            heap.swapAt(parent, first)
            parent = first
        }
    }
}
