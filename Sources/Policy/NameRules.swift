/// The names a policy may give its nodes: `[A-Za-z0-9][A-Za-z0-9._-]{0,62}`.
///
/// Node names end up in reports, firewall rule comments and file names of exported
/// evidence, so they are restricted to what a host name could be: an ASCII letter or
/// digit first, then letters, digits, `.`, `_` or `-`, 63 characters at most (a DNS
/// label's length). Anything else (spaces, quotes, control characters, shell or
/// nftables syntax) is refused when the policy is loaded, never cleaned up silently.
public enum NameRules {
    public static let maximumLength = 63
    /// The rule in words, for error messages and docs/policy.md.
    public static let description = "a letter or digit, then letters, digits, '.', '_' or '-', at most 63 characters"

    /// Why `name` is not a valid node name, or nil when it is.
    public static func problem(with name: String) -> String? {
        let scalars = Array(name.unicodeScalars)
        guard let first = scalars.first else { return "is empty" }
        if scalars.count > maximumLength { return "is \(scalars.count) characters long" }
        if !isLetterOrDigit(first) { return "does not start with a letter or digit" }
        if let bad = scalars.first(where: { !isLetterOrDigit($0) && !".-_".unicodeScalars.contains($0) }) {
            return "contains '\(String(bad).escapedForMessage)'"
        }
        return nil
    }

    private static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
