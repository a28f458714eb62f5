/// The offsets a policy's catalog can take: every shifted port, and the executor band
/// above the block manager, must stay at or below 65535. A larger offset used to be
/// clamped silently (`ports --offset 50000` listed ten keys at 65535); now it is refused,
/// naming the largest offset this catalog allows (47455 for `das`, set by
/// spark.history.ui.port 18080), computed from the catalog rather than written down.
extension Policy {
    /// The most the DAS port offset may be at all (carbon.xml's own bound).
    public static let offsetCeiling = 55535

    /// The largest offset that keeps every shifted port of the catalog within 65535; 0 for
    /// a catalog the offset does not move at all (the `spark` profile: plain Spark has no
    /// port offset, DAS adds it).
    public var largestOffset: Int {
        guard let highest = highestShiftedPort else { return 0 }
        return min(Self.offsetCeiling, 65535 - highest.reach)
    }

    /// Why `offset` does not fit the catalog, or nil when it does.
    public var offsetProblem: String? {
        let range = "0-\(largestOffset)"
        if offset != 0 && highestShiftedPort == nil {
            return "offset \(offset): profile \(profileName) has no port offset (plain Spark adds none to its ports; the "
                + "offset is DAS's, added by its Spark integration); give its moved ports under the policy's ports: "
                + "(spark.blockManager.port: 12002), or use a das profile"
        }
        if offset < 0 { return "offset \(offset) is outside the allowed range \(range) for profile \(profileName)" }
        guard offset > largestOffset else { return nil }
        guard let highest = highestShiftedPort, highest.reach + offset > 65535 else {
            return "offset \(offset) is outside the allowed range \(range) for profile \(profileName)"
        }
        return "offset \(offset) would put \(highest.key) (base \(highest.reach)) at \(highest.reach + offset), past 65535; "
            + "the largest offset profile \(profileName) allows is \(largestOffset) (range \(range))"
    }

    /// The shifted entry that reaches highest before the offset: its last port (per-core
    /// ports and the executor band with Spark's retries included). Not the web UIs' HTTPS
    /// ports: Spark wraps one past 65535 into 1024 and up (`Utils.userPort`), so they bound
    /// no offset. Nor a port whose feature the policy keeps out (the cluster-deploy-mode
    /// driver, one above `spark.driver.port`, unless said on): it is never opened.
    private var highestShiftedPort: (key: String, reach: Int)? {
        catalog.filter { $0.shiftedByOffset && !SparkHTTPSPorts.isConnectorKey($0.key) && featureKeepingOut($0) == nil }.map { entry -> (key: String, reach: Int) in
            if entry.isExecutorBand { return (entry.key, Int(entry.basePort) + max(portRetries, coresPerNode)) }
            return (entry.key, Int(entry.ports(offset: 0, cores: coresPerNode).upperBound))
        }.max { $0.reach < $1.reach }
    }
}
