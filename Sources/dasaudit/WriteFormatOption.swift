import ArgumentParser
import PcapKit

extension CaptureWriter.Format: ExpressibleByArgument {}

/// `live --write-format`: pcapng by default, whose files record the packets the capture
/// lost, so that an audit of them alone says so; pcap for the tools and scripts that need
/// the files of before, which cannot.
///
/// `--write` names a directory; a name ending in `.pcap` reads as a pcap file, and the
/// files in it would be pcapng. Such a name is refused unless `--write-format` says which
/// format is meant, so a script written for the pcap files of before learns of the change
/// at its first run instead of getting another format under a name that says pcap.
enum WriteFormatOption {
    static func check(write: String?, format: CaptureWriter.Format?) throws {
        guard let write, format == nil else { return }
        let name = write.split(separator: "/").last.map(String.init) ?? write
        guard name.lowercased().hasSuffix(".pcap") else { return }
        throw ValidationError("--write \(write): --write names a directory, and the evidence files in it are pcapng "
            + "(dasaudit-YYYYMMDD-HHMMSS-NNNN.pcapng), which record the packets the capture lost; a name ending in .pcap "
            + "says otherwise. Give --write-format pcapng to keep the name, --write-format pcap for pcap files as before "
            + "(which cannot record drops), or another directory name")
    }
}
