import Policy

extension ProtocolFindings {
    /// The Spark RPC ports a policy can pin, in the order the hint names them: each is
    /// named only when the policy's profile has it (Spark 2 and later have no
    /// `spark.executor.port`; Spark 1.6 no `spark.driver.blockManager.port`).
    static let pinnableSparkKeys = ["spark.driver.port", "spark.blockManager.port", "spark.driver.blockManager.port",
                                    "spark.executor.port"]

    /// What Spark RPC on an unexpected `port` suggests. When the port is a known Spark RPC
    /// key's port in some profile (under this policy's offset, or its unshifted default:
    /// 7337 is `spark.shuffle.service.port`, and so is 7337 plus the offset, where a
    /// configuration that sets the key has DAS bind it), that key and what listens there; otherwise a
    /// service on a random port, with the keys of this profile that would pin it, unless a
    /// key of the installation that dasaudit does not read pins it (`Policy.ignoredSetting`).
    /// Not asked when the port rules named the port a retry of a pinned port already.
    func sparkRPCHint(port: UInt16) -> String {
        let own = Profile.named(policy.profileName)?.catalog ?? []
        for profile in Profile.all {
            for entry in profile.catalog where entry.basePort != 0 && entry.key.hasPrefix("spark.")
                && (entry.portWhenSet(offset: policy.offset) == port || entry.basePort == port)
                && PortProtocols.expected(key: entry.key, profileName: profile.name) == .sparkRPC {
                let shifted = entry.portWhenSet(offset: policy.offset) == port && entry.portWhenSet(offset: policy.offset) != entry.basePort
                let place = shifted ? "\(entry.key)'s port under offset \(policy.offset)" : "\(entry.key)'s default port"
                // Another profile's port for the key (DAS's 13000 under the spark profile) says whose.
                let elsewhere = own.contains { $0.key == entry.key && $0.basePort == entry.basePort } ? "" : " in profile \(profile.name)"
                return "it speaks Spark RPC: \(place)\(elsewhere), the \(entry.summary)"
            }
        }
        // A key of the installation pinned it, which dasaudit did not read: the verdict's hint names it.
        if policy.ignoredSetting(pinning: port) != nil { return "it speaks Spark RPC" }
        let keys = Self.pinnableSparkKeys.filter { key in policy.catalog.contains { $0.key == key } }
        return "it speaks Spark RPC: a Spark service on a port no configuration pinned (pin it with "
            + (keys.count > 1 ? keys.dropLast().joined(separator: ", ") + ", or " : "") + (keys.last ?? "") + ")"
    }
}
