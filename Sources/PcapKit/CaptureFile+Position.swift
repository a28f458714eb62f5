import CPcap
import Foundation

extension CaptureFile {
    /// The size of the capture file in bytes; nil for standard input or a pipe.
    public var fileSize: Int64? {
        guard path != "-" else { return nil }
        return FileVersion(path: path)?.size
    }

    /// How far into the file libpcap has read (the file offset of its stream, at most one
    /// stdio buffer ahead of the packets delivered); nil where there is no seekable file.
    public var bytesConsumed: Int64? {
        guard let stream = pcap_file(handle) else { return nil }
        let offset = lseek(fileno(stream), 0, SEEK_CUR)
        return offset < 0 ? nil : Int64(offset)
    }
}
