import Audit
import Flows
import Foundation
import Wire

/// Reads several inputs at once, one per core, each into its own connection table, and
/// merges the tables in the inputs' order by connection key (`FlowTable.absorb`): the same
/// result as reading them one after another into one table.
///
/// One input is read by one thread (a capture file cannot be split without reading it), so
/// a single input gains nothing; N inputs of similar size on N cores take about as long as
/// the largest one. The pieces of one recording whose copies are looked for (`tcpdump -i any
/// -C`: `RecordingPiece.runs`) are read one after another by one reader, so that a copy at
/// the start of a file is told from the end of the file before.
public struct ParallelReader {
    public var rules: DirectionRules
    public var limits: FlowLimits
    /// Inputs read at once; by default, the active processors.
    public var threads: Int
    /// Told how far each input has got; called from the reading threads.
    public var progress: (@Sendable (ReadProgress) -> Void)?
    /// Work to keep level with each input's reading (`CaptureReader.pace`).
    public var pace: (@Sendable (_ path: String, _ bytesRead: Int64) -> Void)?
    /// Whether the inputs' evidence hash runs beside the reading (`CaptureReader.hashedAlongside`).
    public var hashedAlongside = false
    /// The inputs' evidence hash, fed what the readers read (`CaptureReader.hashing`).
    public var hashing: InputHashing?
    /// Whether every connection is kept as well (`CaptureReader(keepingConnections:)`).
    public var keepingConnections = false
    /// A BPF filter each input is read through (`CaptureReader.filter`).
    public var filter: String?
    /// Whether copies are looked for whatever the link type (`CaptureReader.deduplicates`).
    public var deduplicates = false
    /// The UDP ports opened as VXLAN besides the standard ones (`CaptureReader.vxlanPorts`).
    public var vxlanPorts = VXLANPorts()

    public init(rules: DirectionRules, limits: FlowLimits = .standard,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                progress: (@Sendable (ReadProgress) -> Void)? = nil) {
        self.rules = rules
        self.limits = limits
        self.threads = max(1, threads)
        self.progress = progress
    }

    /// Reads `paths` ("-" is standard input) and folds every connection per service.
    public func read(paths: [String]) -> (statistics: ServiceStatistics, inputs: [InputSummary]) {
        let reader = readMerged(paths: paths)
        return (reader.table.statistics(), reader.inputs)
    }

    /// Reads `paths` into one reader, as `CaptureReader.read` would one after another.
    public func readMerged(paths: [String]) -> CaptureReader {
        readMerged(paths: paths, runs: runs(of: paths))
    }

    /// The runs of `paths` each read by one reader, in order (`RecordingPiece.runs`): how
    /// many inputs are read at once (`hash(alongside:inputs:)`), and what `readMerged` reads.
    public func runs(of paths: [String]) -> [Range<Int>] {
        RecordingPiece.runs(of: paths, deduplicates: deduplicates)
    }

    /// Reads `paths` into one reader, each of `runs` (`runs(of:)`) by a reader of its own.
    public func readMerged(paths: [String], runs: [Range<Int>]) -> CaptureReader {
        let readers = readEach(paths: paths, runs: runs)
        guard var merged = readers.first else { return CaptureReader(rules: rules, limits: limits) }
        for reader in readers.dropFirst() { merged.absorb(reader) }
        return merged
    }

    /// The cores reading `inputs` inputs keeps busy: one per input read at once, and a
    /// second for each when there are cores enough (`SegmentPipeline`).
    public func coresBusy(reading inputs: Int) -> Int {
        let workers = min(threads, max(1, inputs))
        return threads >= 2 * workers ? 2 * workers : workers
    }

    /// Hashes the inputs' evidence (`hashing`) alongside the reading of `inputs` inputs (or
    /// runs of inputs, each read by one reader: `runs(of:)`): a
    /// reader on a thread of its own keeps its input's hash level with its reading
    /// (`CaptureReader.pace`). Beside the two threads of a pipelined reader, and on cores
    /// left idle, a hashing thread of its own does it, at the audit's priority (measured,
    /// docs/performance.md).
    public mutating func hash(alongside hashing: InputHashing, inputs: Int) {
        let busy = coresBusy(reading: inputs)
        let workers = min(threads, inputs)
        hashing.startBackgroundThreads((busy > workers ? workers : 0) + threads - busy)
        pace = { path, bytesRead in hashing.keepUp(with: path, at: bytesRead) }
        hashedAlongside = true
        self.hashing = hashing
    }

    /// One reader per run of `paths` (one per path unless `runs` says otherwise), in order.
    public func readEach(paths: [String], runs: [Range<Int>]? = nil) -> [CaptureReader] {
        let runs = runs ?? paths.indices.map { $0..<($0 + 1) }
        let slots = ReaderSlots(count: runs.count)
        let workers = min(threads, runs.count)
        // A core left over for each input read: track its connections on a thread of its
        // own (SegmentPipeline), beside the reading one (docs/design.md, Performance).
        let pipelined = coresBusy(reading: runs.count) > workers
        let work = { @Sendable in
            while let index = slots.claim() {
                let run = runs[index]
                var reader = CaptureReader(rules: self.rules, limits: self.limits,
                                           continuesEarlierInput: run.lowerBound > 0,
                                           keepingConnections: self.keepingConnections)
                reader.progress = self.progress
                reader.pipelined = pipelined
                reader.pace = self.pace
                reader.hashedAlongside = self.hashedAlongside
                reader.hashing = self.hashing
                reader.filter = self.filter
                reader.deduplicates = self.deduplicates
                reader.vxlanPorts = self.vxlanPorts
                for path in paths[run] { reader.read(path: path) }
                slots.store(reader, at: index)
            }
        }
        if workers <= 1 {
            work()
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { _ in work() }
        }
        return slots.readers
    }
}

/// The inputs still to read and the readers done, shared by the reading threads.
// Unchecked Sendable: its mutable state is touched only under `lock`.
private final class ReaderSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private let count: Int
    private var done: [CaptureReader?]

    init(count: Int) {
        self.count = count
        done = Array(repeating: nil, count: count)
    }

    func claim() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }

    func store(_ reader: CaptureReader, at index: Int) {
        lock.lock()
        done[index] = reader
        lock.unlock()
    }

    var readers: [CaptureReader] {
        lock.lock()
        defer { lock.unlock() }
        return done.map { $0! }
    }
}

extension ParallelReader: Sendable {}
