extension PolicyOptions {
    /// Whether any policy option was given. Without one, `merge` audits under the policy
    /// its results share (`AuditResult.sharedPolicy`) instead of the defaults (offset 0).
    var givesAny: Bool {
        policyFile != nil || profile != nil || dasHome != nil || offset != nil || mode != nil || cores != nil
            || ephemeralRange != nil || !allowedPorts.isEmpty
    }
}
