// dasaudit-bench: the decode-and-track loop on its own, with its heap allocations counted.
//
//   swift build -c release --product dasaudit-bench
//   .build/release/dasaudit-bench CAPTURE [CAPTURE...] [--runs N] [--offset N] [--mode M]
//                                 [--cores N] [--unbounded] [--threads N]
//
// Reads every CAPTURE with the audit's own reader (CaptureEngine.CaptureReader: PcapKit's
// pcap_next_ex loop, Wire's decoder, Flows' table), as `dasaudit audit` does, but without
// the report, the policy classification and the evidence hashing, and prints per run:
// packets, seconds, packets per second, and heap allocations made inside the reading
// (counted by the MallocCounter target, which takes the place of malloc in this
// executable). "steady" counts the allocations between the first progress tick after 10%
// of the packets and the end of the loop, divided by the packets in between: the
// per-packet figure once the table has reached its working size. With one CAPTURE the
// read is the plain CaptureReader loop; with several, ParallelReader (--threads, default
// the cores) reads them at once and merges.
//
// Exit status 0; 2 on a usage error. Output: one line per run on stdout, then a summary.
import Audit
import CaptureEngine
import Flows
import Foundation
import MallocCounter
import Policy

struct Options {
    var paths: [String] = []
    var runs = 3
    var offset = 2
    var mode = "cluster"
    var cores = 2
    var unbounded = false
    var threads = ProcessInfo.processInfo.activeProcessorCount
}

func usage(_ message: String) -> Never {
    FileHandle.standardError.write(Data("dasaudit-bench: \(message)\nusage: dasaudit-bench CAPTURE... [--runs N] [--offset N] [--mode local|cluster|client] [--cores N] [--unbounded] [--threads N]\n".utf8))
    exit(2)
}

func parse() -> Options {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst()
    func number(_ name: String) -> Int {
        guard let text = arguments.popFirst(), let value = Int(text), value >= 0 else { usage("\(name) needs a number") }
        return value
    }
    while let argument = arguments.popFirst() {
        switch argument {
        case "--runs": options.runs = max(1, number(argument))
        case "--offset": options.offset = number(argument)
        case "--cores": options.cores = number(argument)
        case "--threads": options.threads = max(1, number(argument))
        case "--mode":
            guard let mode = arguments.popFirst() else { usage("--mode needs a value") }
            options.mode = mode
        case "--unbounded": options.unbounded = true
        case "-h", "--help": usage("help")
        default:
            if argument.hasPrefix("--") { usage("unknown option \(argument)") }
            options.paths.append(argument)
        }
    }
    if options.paths.isEmpty { usage("give at least one capture") }
    return options
}

/// Allocation counts sampled from inside the loop, without allocating.
// Unchecked Sendable: only the one reading thread writes it, and it is read once reading is done.
final class Sampler: @unchecked Sendable {
    let threshold: UInt64
    var atThreshold: (packets: UInt64, allocations: UInt64)?
    var last: (packets: UInt64, allocations: UInt64) = (0, 0)

    init(expectedPackets: UInt64) { threshold = expectedPackets / 10 }

    func tick(_ progress: ReadProgress) {
        let allocations = malloc_counter_allocations()
        if atThreshold == nil && progress.packets >= threshold { atThreshold = (progress.packets, allocations) }
        last = (progress.packets, allocations)
    }
}

func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

let options = parse()
guard malloc_counter_active() != 0 || malloc_counter_allocations() > 0 else {
    usage("the malloc counter is not in use (is this glibc?)")
}
guard let mode = SparkMode(rawValue: options.mode) else { usage("unknown mode \(options.mode)") }
let policy = Policy(offset: options.offset, mode: mode, coresPerNode: options.cores)
let rules = Auditor(policy: policy).directionRules

var best = Double.infinity
var expected: UInt64 = 0
print("run  packets  seconds  Mpps  allocations  per-packet  steady-per-packet  connections  open  evicted")
for run in 1...options.runs {
    let sampler = Sampler(expectedPackets: expected)
    let before = malloc_counter_allocations()
    let start = DispatchTime.now().uptimeNanoseconds
    var table: FlowTable
    var packets: UInt64 = 0
    if options.paths.count == 1 {
        var reader = options.unbounded ? CaptureReader() : CaptureReader(rules: rules)
        reader.pipelined = options.threads >= 2
        reader.progress = { sampler.tick($0) }
        reader.read(path: options.paths[0])
        table = reader.table
        packets = reader.inputs.reduce(0) { $0 + $1.packets }
    } else {
        let reader = ParallelReader(rules: rules, threads: options.threads).readMerged(paths: options.paths)
        table = reader.table
        packets = reader.inputs.reduce(0) { $0 + $1.packets }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let allocations = malloc_counter_allocations() - before
    expected = packets
    best = min(best, seconds)
    var steady = "-"
    if let first = sampler.atThreshold, sampler.last.packets > first.packets {
        steady = String(format: "%.6f", Double(sampler.last.allocations - first.allocations)
            / Double(sampler.last.packets - first.packets))
    }
    let figures = String(format: "%d  %llu  %.4f  %.2f  %llu  %.6f", run, packets, seconds,
                         Double(packets) / seconds / 1e6, allocations, Double(allocations) / Double(max(packets, 1)))
    print("\(figures)  \(steady)  \(table.count)  \(table.openCount)  \(table.evictedCount)")
    let index = table.indexStatistics
    FileHandle.standardError.write(Data(String(format: "index: %d open in %d slots, %.2f probes per lookup; %d-byte records\n",
                                               index.records, index.slots, index.meanProbes,
                                               MemoryLayout<ConnectionRecord>.stride).utf8))
    withExtendedLifetime(table) {}
}
print(String(format: "best: %.4f s, %.2f Mpps; peak RSS %.1f MB", best, Double(expected) / best / 1e6, peakRSSMegabytes()))
