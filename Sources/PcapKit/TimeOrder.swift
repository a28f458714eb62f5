/// The pieces of one recording put in the order they were recorded in, whatever order they
/// were given in: `tcpdump -C` files given newest first or shuffled, a wrapped ring
/// (`tcpdump -C N -W K`, whose names' order is not its time order), `tcpdump -G` names across
/// midnight. Read one after another into one connection table, pieces out of time order
/// split every connection that crosses a file boundary: its later part is read first, as a
/// connection of its own without a handshake (`captures/rotated-copies/` given reversed: 18
/// connections where the files in time order, and joined, hold 11), and the memory of
/// copies (`RecordingPiece`) cannot go on from one file into the next.
///
/// What is a recording's piece, told before anything is read: consecutive files whose names
/// have one shape (`NaturalOrder.shape`: they differ only in their numbers and compression
/// suffix), as `CaptureInputs` takes a rotated set. Each such run is read in the order of
/// its files' first packets (`firstPacketTime`: one record of each, read at the start of the
/// file), provided that order is safe to take for the recording's:
///
/// - the first packets' times all differ: equal ones tell no order;
/// - the time order is the names' natural order, or that order turned around one file (a
///   wrapped ring: `w.pcap2 w.pcap3 w.pcap4 w.pcap0 w.pcap1`). Two recordings made at the same
///   time and named alike (`n1/any.pcap n1/any.pcap1 n2/any.pcap n2/any.pcap1`) interleave in
///   time, which is neither: read in time order they would alternate, and each file's
///   copies could be taken for the other recording's moments before. Such a run keeps the
///   order given (and the audit warns that its files overlap in time, `InputOverlaps`).
///   A run with a file whose name has no number (`dump.pcap`, the first file `tcpdump -C`
///   writes without `-W`) is no ring: such a set never wraps, and its names' order is its
///   recording's. First packets in a ring's order there mean a clock stepped back while it
///   ran (`dump.pcap5` begins before `dump.pcap`, 2 h back), and read as a ring the set
///   split every connection crossing the step (18 connections where the files joined in
///   name order, and tshark, hold 15): it keeps the order given, with the warning.
///
/// Files with no first packet to read (standard input, pipes, an empty or unusable file)
/// keep their places; the others of the run take the remaining places in time order.
public struct TimeOrder: Sendable {
    /// The inputs to read, in order.
    public private(set) var paths: [String] = []
    /// The runs read in another order than given: the files of each as they are read.
    public private(set) var reordered: [[String]] = []

    /// `paths` (after `CaptureInputs` and `RepeatedInputs`) with each run of one shape in the
    /// order of its first packets; `firstPacketTime` reads them (tests give their own).
    public init(_ paths: [String], firstPacketTime: (String) -> Int64? = TimeOrder.firstPacketTime) {
        var run: [String] = []
        for path in paths {
            if let first = run.first, path == "-" || first == "-" || NaturalOrder.shape(first) != NaturalOrder.shape(path) {
                add(run, firstPacketTime)
                run = []
            }
            run.append(path)
        }
        add(run, firstPacketTime)
    }

    /// Adds one run's files, in time order when it is safe to take.
    private mutating func add(_ run: [String], _ firstPacketTime: (String) -> Int64?) {
        let ordered = Self.inTimeOrder(run, firstPacketTime: firstPacketTime)
        if ordered != run { reordered.append(ordered) }
        paths += ordered
    }

    /// One run's files in the order of their first packets, when that order is safe to take
    /// (above); else as given.
    private static func inTimeOrder(_ run: [String], firstPacketTime: (String) -> Int64?) -> [String] {
        guard run.count > 1 else { return run }
        let times = run.map(firstPacketTime)
        let timed = run.indices.filter { times[$0] != nil }
        let byTime = timed.sorted { times[$0]! < times[$1]! }.map { run[$0] }
        let distinct = Set(timed.map { times[$0]! }).count == timed.count
        let byName = byTime.sorted(by: NaturalOrder.precedes)
        guard distinct, let earliest = byTime.first, let oldest = byName.firstIndex(of: earliest),
              Array(byName[oldest...] + byName[..<oldest]) == byTime,
              oldest == 0 || !byName.contains(where: NaturalOrder.isUnnumbered) else { return run }
        var ordered = run
        for (slot, path) in zip(timed, byTime) { ordered[slot] = path }
        return ordered
    }

    /// The time of the first packet of the capture file at `path`, in nanoseconds: read
    /// from its first record by libpcap, which reads a few kilobytes where the reading in
    /// place would take a megabyte (a compressed file's through its decompressor, stopped
    /// after it). Nil for standard input and anything that is not a regular file (read once, so
    /// not read before), a file that cannot be opened, and one with no packet.
    public static func firstPacketTime(_ path: String) -> Int64? {
        guard path != "-", FileVersion(path: path) != nil, let file = try? CaptureFile(path: path, records: .libpcap) else { return nil }
        var time: Int64?
        _ = file.forEachPacket { header, _ in
            time = header.timestamp
            file.breakLoop()
        }
        return time
    }
}
