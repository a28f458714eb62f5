import Audit
import Foundation

/// The one line `dasaudit live` shows every interval (`LiveAuditStatus`):
/// `live lo 0:01:30  packets 12345 (1234/s)  drops 0  connections 345  services 12 (1 unexpected)  findings 3 (high 1, medium 0, low 2, info 0)`.
/// Drops are shouted (`DROPS`) when there are any: the audit then misses traffic.
public enum LiveStatusText {
    public static func render(_ status: LiveAuditStatus, device: String) -> String {
        let seconds = Int(status.elapsedSeconds)
        let clock = String(format: "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
        let severities = Severity.allCases.reversed().map { "\($0.rawValue) \(status.findings[$0.rawValue] ?? 0)" }
        let drops = status.drops.total == 0 ? "drops 0"
            : "DROPS \(status.drops.total) (kernel \(status.drops.kernel), interface \(status.drops.interface))"
        return "live \(device.terminalEscaped) \(clock)  packets \(status.packets) (\(Int(status.packetsPerSecond.rounded()))/s)  \(drops)  "
            + "connections \(status.connections)  services \(status.services) (\(status.unexpected) unexpected)  "
            + "findings \(status.findingCount) (\(severities.joined(separator: ", ")))"
    }

    /// `line` cut to fit a terminal `width` columns wide, ending in `...` when cut: a line
    /// that wraps cannot be rewritten in place by `\r`. One column stays free, since some
    /// terminals wrap as soon as the last column is written.
    public static func fitted(_ line: String, width: Int) -> String {
        let room = max(width - 1, 4)
        return line.count <= room ? line : String(line.prefix(room - 3)) + "..."
    }
}
