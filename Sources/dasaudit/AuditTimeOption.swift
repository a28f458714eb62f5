import ArgumentParser
import Audit

/// The audit's time for the commands that judge waivers (`audit`, `live`, `merge`): the
/// wall clock, or `DASAUDIT_AUDIT_TIME` (`AuditClock`); one that is not a time is a usage
/// error (exit 2). The time, pinned or not, is in every report's header.
enum AuditTimeOption {
    static func now() throws -> Timestamp {
        do { return try AuditClock.now() } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
    }
}
