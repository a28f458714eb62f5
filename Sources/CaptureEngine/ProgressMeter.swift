import Audit
import PcapKit

/// Turns the packet loop's occasional calls into `ReadProgress` reports.
final class ProgressMeter {
    let path: String
    let file: CaptureFile
    let total: Int64?
    let report: (ReadProgress) -> Void

    init(path: String, file: CaptureFile, report: @escaping (ReadProgress) -> Void) {
        self.path = path
        self.file = file
        self.total = file.fileSize
        self.report = report
    }

    func tell(packets: UInt64, finished: Bool) {
        var read = finished ? total : file.bytesConsumed
        if let consumed = read, let total { read = Swift.min(consumed, total) }
        report(ReadProgress(path: path, packets: packets, bytesRead: read, totalBytes: total, finished: finished))
    }
}
