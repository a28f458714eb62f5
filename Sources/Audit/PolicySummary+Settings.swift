import Policy

extension PolicySummary {
    /// Whether this section names `policy`'s offset, mode, cores and profile (the settings
    /// `brief` shows): `dasaudit merge` notes each result audited under other settings,
    /// whose connections it audits again under the policy it merges under.
    public func hasSameSettings(as policy: Policy) -> Bool {
        offset == policy.offset && mode == policy.mode && cores == policy.coresPerNode && profile == policy.profileName
    }
}
