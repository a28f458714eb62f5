import ArgumentParser
import PcapKit

/// The capture inputs named on a command line, as `audit` and `flows` take them: files,
/// directories (their capture files, in natural order) and `-` for standard input.
enum CaptureArguments {
    /// The argument's help, the same for every command that reads captures.
    static let help = ArgumentHelp(
        "Captures to read, in order, as one capture: pcap or pcapng files (plain, gzip, zstd, xz or bzip2), "
            + "directories of them, or '-' for standard input. A rotated set given by a glob "
            + "(dump.pcap*: dump.pcap dump.pcap1 dump.pcap10 dump.pcap2; dump.pcap.gz ... with -z gzip) "
            + "and a directory's files are read in natural order; files in any other order as given "
            + "(ls -tr for a wrapped ring).",
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

    /// The files to read (`CaptureInputs`), each once (`RepeatedInputs`), after a note for
    /// each file of a directory that was left out because it is not a capture and for each
    /// file named again: read twice, its packets would be counted twice.
    static func expand(_ inputs: [String]) -> [String] {
        let captures = CaptureInputs(arguments: inputs)
        for file in captures.skipped { printError("\(file): skipped: not a capture file", label: "note") }
        return readOnce(captures.paths)
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
