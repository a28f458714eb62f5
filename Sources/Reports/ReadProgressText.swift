import Foundation

/// The progress bar of a long offline audit, as one line:
/// `[########------------]  41%  386.2 MB of 942.3 MB  412.6 MB/s  4.38 Mpps  0:01 left`,
/// or `reading: 12345 packets  4.38 Mpps` while the total is unknown (standard input, a
/// compressed input) or nothing is read yet. The bar is 10 to 30 columns, by the terminal's
/// `width`.
public enum ReadProgressText {
    public static func render(packets: UInt64, bytesRead: Int64, totalBytes: Int64?, seconds: Double, width: Int) -> String {
        let seconds = max(seconds, 1e-3)
        let rate = Double(bytesRead) / seconds
        let packetRate = String(format: "%.2f Mpps", Double(packets) / seconds / 1e6)
        guard let total = totalBytes, bytesRead > 0 else {
            return "reading: \(packets) packets  \(packetRate)"
        }
        let fraction = min(1, Double(bytesRead) / Double(total))
        let barWidth = max(10, min(30, width - 70))
        let filled = Int(fraction * Double(barWidth))
        let bar = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled) + "]"
        let left = rate > 0 ? Double(total - min(bytesRead, total)) / rate : 0
        return "\(bar) \(String(format: "%3.0f%%", fraction * 100))  \(megabytes(bytesRead)) of \(megabytes(total))  "
            + "\(megabytes(Int64(rate)))/s  \(packetRate)  \(clock(left)) left"
    }

    /// `386.2 MB`, or `1.23 GB` from a billion bytes.
    static func megabytes(_ bytes: Int64) -> String {
        bytes >= 1_000_000_000 ? String(format: "%.2f GB", Double(bytes) / 1e9) : String(format: "%.1f MB", Double(bytes) / 1e6)
    }

    /// `0:42`, or `1:02:03` from an hour, rounded up.
    static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        return whole >= 3600 ? String(format: "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
            : String(format: "%d:%02d", whole / 60, whole % 60)
    }
}
