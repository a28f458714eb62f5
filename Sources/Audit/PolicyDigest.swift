import Crypto

extension PolicySummary {
    /// `evidence.policy_sha256`: SHA-256 (lowercase hex) of the canonical JSON of this
    /// section with `ignored_keys` null (`jq -cS '.policy | .ignored_keys = null'`).
    /// The keys a node's DAS installation sets and dasaudit does not read are no part of
    /// the policy (each node's spark-defaults.conf may hold its own), so two nodes audited
    /// under one policy carry one digest, and `merge` compares sections the same way
    /// (`comparable`). Everything else counts, `fail_on` included.
    public func sha256() throws -> String {
        SHA256.hash(data: try ResultCoding.encoder(canonical: true).encode(withoutIgnoredKeys)).hexDigest
    }

    /// The section with `ignored_keys` null: what is digested and compared of it.
    var withoutIgnoredKeys: PolicySummary {
        var summary = self
        summary.ignoredKeys = nil
        return summary
    }
}
