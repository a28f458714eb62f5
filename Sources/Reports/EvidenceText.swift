import Audit
import Policy

extension Evidence {
    /// "2026-12-05T14:56:12Z (UTC; waivers judged on 2026-12-05)": when the audit ran, which
    /// is what its waivers expired by; nil when the result does not record it.
    var auditedText: String? {
        auditedAt.map { "\($0.secondsText) (UTC; waivers judged on \(Day($0)))" }
    }

    /// The command line as one could paste it into a POSIX shell: arguments with anything
    /// but letters, digits and `@%+=:,./_-` are single-quoted.
    var commandLineText: String {
        commandLine.map { argument in
            let plain = !argument.isEmpty && argument.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "@%+=:,./_-".unicodeScalars.contains($0)
            }
            return plain ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }
}
