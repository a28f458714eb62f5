import ArgumentParser
import PcapKit

/// `--filter BPF` for the commands that read capture files (`audit`, `flows`): libpcap
/// runs the filter over each input, as `live --filter` does on the wire. The filter is
/// compiled before any input is read, so a typo is a usage error (exit 2) rather than
/// an audit of nothing.
struct CaptureFilterOption: ParsableArguments {
    @Option(help: ArgumentHelp("Read only the packets this BPF filter matches, in tcpdump's syntax, e.g. 'tcp port 7079' or 'host 10.0.0.5'.",
                               valueName: "bpf"))
    var filter: String?

    func validate() throws {
        if let filter, let reason = CaptureFilter.problem(with: filter) {
            throw ValidationError(CaptureFilter.message(filter: filter, reason: reason))
        }
    }
}
