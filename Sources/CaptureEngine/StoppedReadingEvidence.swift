import Audit
import PcapKit

extension Evidence {
    /// Notes, beside the hash of each file a stop of the reading cut (`InputStop`: Ctrl-C)
    /// whose hash was already whole, that the audit read only its first packets: the hash
    /// alone would read as the evidence of every packet in the file. (A hash not done by
    /// the stop is given up, and says so itself: `FileDigest`.)
    public mutating func noteStoppedReading(of audited: [InputSummary]) {
        guard let signal = InputStop.signal else { return }
        for (index, input) in audited.enumerated() where index < inputs.count && inputs[index].sha256 != nil
            && input.error == InputStop.cut(input.path, packetsRead: input.packets) {
            inputs[index].note = "hashed whole, but the audit read only its first \(input.packets) packets: "
                + "\(signal) stopped the reading"
        }
    }
}
