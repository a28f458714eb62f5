import Policy

/// What a policy file's text is refused with, reading it or making the policy from it
/// (`p.yaml:LINE: ...`), or "no error": the message tests compare whole.
func policyFileError(_ text: String) -> String {
    do {
        _ = try PolicyFile.parse(text, path: "p.yaml").makePolicy()
        return "no error"
    } catch {
        return "\(error)"
    }
}
