import ArgumentParser
import Audit
import PcapKit

/// The capture inputs named on a command line, as `audit` and `flows` take them: files,
/// directories (their capture files, in natural order) and `-` for standard input.
enum CaptureArguments {
    /// The argument's help, the same for every command that reads captures.
    static let help = ArgumentHelp(
        "Captures to read, in order, as one capture: pcap or pcapng files (plain, gzip, zstd, xz or bzip2), "
            + "directories of them, or '-' for standard input. A rotated set given by a glob "
            + "(dump.pcap*: dump.pcap dump.pcap1 dump.pcap10 dump.pcap2; dump.pcap.gz ... with -z gzip) "
            + "and a directory's files are read in natural order, and the pieces of one recording "
            + "(names that differ only in their numbers) in the order of their first packets: "
            + "a set given newest first, a wrapped ring (-W). Other files are read as given.",
        valueName: "capture")

    /// Usage problems with the inputs: none given, or standard input twice.
    static func validate(_ inputs: [String]) throws {
        if inputs.isEmpty { throw ValidationError("give at least one capture file (or '-' for standard input)") }
        try validateStandardInputOnce(inputs)
    }

    /// Standard input named twice, among any command's inputs (captures or results).
    static func validateStandardInputOnce(_ inputs: [String]) throws {
        if inputs.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input ('-') can be read only once") }
    }

    /// The files to read (`CaptureInputs`), each once (`RepeatedInputs`), the pieces of one
    /// recording in time order (`TimeOrder`), after a note for the entries of a directory that
    /// were left out and why (not a capture, a subdirectory: `noteSkipped`), for each file named again (read twice, its
    /// packets would be counted twice), and for each set put in time order.
    static func expand(_ inputs: [String]) -> [String] {
        let captures = CaptureInputs(arguments: inputs)
        noteSkipped(captures.skipped)
        let order = TimeOrder(readOnce(captures.paths))
        for run in order.reordered {
            printError("read in the order of their first packets, the order they were recorded in: "
                + run.joined(separator: ", "), label: "note")
        }
        return order.paths
    }

    /// A note for each of the first `shown` directory entries left out, and one line for the
    /// rest: a directory that holds much else besides captures (a home directory, /var/log)
    /// would otherwise bury the lines that matter under one note per entry.
    static func noteSkipped(_ skipped: [CaptureInputs.Skipped], shown: Int = 10) {
        for entry in skipped.prefix(shown) { printError("\(entry.path): skipped: \(entry.reason)", label: "note") }
        let rest = skipped.dropFirst(shown)
        guard !rest.isEmpty else { return }
        let directories = rest.filter(\.isDirectory).count
        printError("\(rest.count) more entries of the directories given skipped: \(directories) "
            + (directories == 1 ? "directory" : "directories") + ", \(rest.count - directories) "
            + (rest.count - directories == 1 ? "file" : "files") + " holding no capture", label: "note")
    }

    /// Each input's problem, worded by what it costs: an error for an input none of whose
    /// packets could be read (the command exits 2), a warning for one read up to a cut or a
    /// failure, audited up to it (an `incomplete-input` finding; the exit code is the
    /// verdict's). "dasaudit: error:" beside exit 0 read as a failure in CI logs.
    static func reportProblems(_ inputs: [InputSummary]) {
        for input in inputs {
            if let error = input.error { printError(error, label: input.isUnusable ? "error" : "warning") }
        }
    }

    /// A warning for each two inputs read one after the other that overlap in time
    /// (`InputOverlaps`), at most `shown` of them and how many more: what they may miscount.
    static func warnOfOverlaps(_ inputs: [InputSummary], shown: Int = 5) {
        let pairs = InputOverlaps.find(in: inputs)
        for (earlier, later) in pairs.prefix(shown) {
            printError("\(later.path) (from \(later.firstSeen!)) begins before \(earlier.path), read before it, ends "
                + "(\(earlier.lastSeen!)): inputs that overlap in time, or come out of time order, are not pieces of one "
                + "recording read in order, and a connection in both may be split in two or counted twice, with its "
                + "packets, state and service; "
                + "give the pieces of one recording in time order, and audit captures made at the same time apart "
                + "(dasaudit merge joins their results)", label: "warning")
        }
        if pairs.count > shown {
            printError("\(pairs.count - shown) more inputs begin before the input read before them ends", label: "warning")
        }
    }

    /// `paths` with every file named again left out, with a note naming both.
    static func readOnce(_ paths: [String]) -> [String] {
        let distinct = RepeatedInputs(paths)
        for repeated in distinct.repeats {
            printError("\(repeated.path): the same file as \(repeated.sameAs); read once", label: "note")
        }
        return distinct.paths
    }
}
