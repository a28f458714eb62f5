import ArgumentParser
import Audit
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
        try Self.checkLength(filter)
        if let filter, let reason = CaptureFilter.problem(with: filter) {
            throw ValidationError(CaptureFilter.message(filter: filter, reason: reason))
        }
    }

    /// Refuses a filter longer than a result holds (`Evidence.longestCaptureFilter`), before
    /// libpcap compiles it: the audit would otherwise write a result that `render`, `diff`
    /// and `merge` refuse. Linux passes no longer argument; other systems do. The message
    /// does not repeat the filter.
    static func checkLength(_ filter: String?) throws {
        guard let filter, filter.utf8.count > Evidence.longestCaptureFilter else { return }
        throw ValidationError("the capture filter is \(filter.utf8.count) bytes long; dasaudit takes at most "
            + "\(Evidence.longestCaptureFilter) bytes (128 KiB), the most a result records and reads back")
    }
}
