/// The reasons a policy gives (an allowed port's, a waiver's), from a policy file or
/// `--allow`: free text shown in every report, so one line without control characters (a
/// line break or escape sequence would forge lines in text, CSV or Markdown), and not
/// blank (an approved exception without a reason is no approval).
public enum ReasonRules {
    /// Why `reason` cannot be a reason, or nil when it can: "the reason 'a\nb' contains
    /// '\n'; a reason is one line of text without control characters".
    public static func problem(with reason: String) -> String? {
        if reason.allSatisfy(\.isWhitespace) {
            return "the reason is blank; a reason says why the exception is approved, so it cannot be empty"
        }
        guard let control = reason.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) else { return nil }
        return "the reason '\(reason.escapedForMessage)' contains '\(String(control).escapedForMessage)'; "
            + "a reason is one line of text without control characters"
    }
}
