import Foundation
import Policy

/// When the audit ran: the wall-clock time (UTC) recorded in the result's
/// `evidence.audited_at`, and the day the policy's waivers are judged on (`WaiverBook`).
/// A waiver expires by this clock, not by the capture's timestamps: a capture recorded in
/// May and audited in December is judged against December's waivers, and the result says
/// so, so that a verdict can be explained later.
///
/// `DASAUDIT_AUDIT_TIME` (RFC 3339 UTC, `2026-12-05T14:56:12Z`) fixes the clock, for
/// reports that must come out byte for byte the same (golden files, reproducible CI
/// artifacts). It moves the waivers' day with it, and the result records the time it
/// gave, which every report's header shows.
public enum AuditClock {
    /// The environment variable that fixes the clock.
    public static let variable = "DASAUDIT_AUDIT_TIME"

    /// The audit's time: `DASAUDIT_AUDIT_TIME` when set, else now, to the whole second
    /// (the clock's fraction says nothing a reader needs, and would make every run differ
    /// below what any report shows). Throws a message naming the variable when it is not
    /// a time.
    public static func now(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Timestamp {
        if let text = environment[variable] {
            guard let pinned = Timestamp(parsing: text), pinned >= .epoch else {
                throw AuditClockError(text: text)
            }
            return pinned
        }
        return .wallClock
    }
}

/// `DASAUDIT_AUDIT_TIME` holds no time dasaudit can use.
public struct AuditClockError: Error, LocalizedError, CustomStringConvertible {
    public var text: String
    public var description: String {
        "\(AuditClock.variable)='\(text)' is not a time: give RFC 3339 UTC, YYYY-MM-DDTHH:MM:SSZ, not before 1970"
    }
    public var errorDescription: String? { description }
}

extension Timestamp {
    /// Now, by the system's clock, to the whole second.
    public static var wallClock: Timestamp {
        Timestamp(nanoseconds: Int64(Date().timeIntervalSince1970.rounded(.down)) * 1_000_000_000)
    }

    /// 1970-01-01T00:00:00Z: no audit ran before it.
    public static let epoch = Timestamp(nanoseconds: 0)

    /// To the second, as a header shows it: `2026-12-05T14:56:12Z`.
    public var secondsText: String { String(description.prefix(19)) + "Z" }
}

extension Day {
    /// The UTC day of `time`.
    public init(_ time: Timestamp) {
        let days = time.nanoseconds.floorDivided(by: 86_400 * 1_000_000_000)
        let (year, month, day) = Timestamp.civilDate(daysSinceEpoch: days)
        self.init(year: Int(year), month: Int(month), day: Int(day))
    }
}
