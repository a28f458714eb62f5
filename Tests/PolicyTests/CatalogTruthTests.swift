import Policy
import Wire
import XCTest

/// The catalog checked against the WSO2 sources (docs/ports.md): the default profile holds
/// a DAS node's Carbon ports, the history UI and the entitlement port are normally unbound,
/// the binary receivers are in every 3.x profile, HA, clustering and embedded LDAP ports
/// are conditional, and Hazelcast's member port auto-increments.
final class CatalogTruthTests: XCTestCase {
    private func entry(_ key: String, in profile: Profile = .default) -> CatalogEntry? {
        profile.catalog.first { $0.key == key }
    }

    func testTheDefaultProfileExpectsEveryCarbonPortOfADASNode() {
        // Before: the default profile held only the specification, so these were unexpected ports.
        let policy = Policy(offset: 5)
        let expected = [9448: "carbon.https.port", 9768: "carbon.http.port", 10004: "Ports.JMX.RMIRegistryPort",
                        11116: "Ports.JMX.RMIServerPort", 9616: "binary.tcp.port", 9716: "binary.ssl.port",
                        4000: "hazelcast.localMemberPort"]
        for (port, key) in expected {
            XCTAssertEqual(policy.expectedEntries(at: UInt16(port)).map(\.key), [key], "\(port)")
        }
        XCTAssertEqual(Profile.default.name, "das")
        XCTAssertTrue(Profile.default.groups.contains(.carbon))
    }

    func testTheBinaryReceiversAreInDAS30Too() {
        // carbon-analytics-common 5.0.8 (DAS 3.0.1) ships data-bridge-config.xml with Binary 9611/9711.
        for profile in [Profile.das, .das30, .das31, .das32] {
            XCTAssertEqual(entry("binary.tcp.port", in: profile)?.basePort, 9611, profile.name)
            XCTAssertEqual(entry("binary.ssl.port", in: profile)?.basePort, 9711, profile.name)
        }
    }

    func testTheHistoryUIAndTheEntitlementPortAreNormallyUnbound() {
        // Before: spark.history.ui.port was normally bound, so its unused opening was low on every audit.
        // Now it needs the history-server feature, which no profile has on.
        for profile in [Profile.das, .das30, .das31, .das32, .spark] {
            XCTAssertEqual(entry("spark.history.ui.port", in: profile)?.feature, .historyServer, profile.name)
            XCTAssertEqual(entry("spark.history.ui.port", in: profile)?.roles, [.master, .driver], profile.name)
        }
        for profile in [Profile.das, .das30, .das31, .das32] {
            XCTAssertEqual(entry("Ports.ThriftEntitlementReceivePort", in: profile)?.basePort, 10500, profile.name)
            XCTAssertEqual(entry("Ports.ThriftEntitlementReceivePort", in: profile)?.normallyBound, false, profile.name)
        }
        let policy = Policy()
        XCTAssertFalse(policy.mustBeBound(entry("spark.history.ui.port")!))
        XCTAssertTrue(Policy(features: [.historyServer: true]).mustBeBound(entry("spark.history.ui.port")!))
        XCTAssertTrue(policy.mustBeBound(entry("carbon.https.port")!))
    }

    func testHazelcastTakesTheNextPortForEachFurtherMemberOnAHost() {
        let policy = Policy(offset: 3)
        XCTAssertEqual(policy.expectedEntries(at: 4001).map(\.key), ["hazelcast.localMemberPort"], "second member")
        XCTAssertEqual(policy.expectedEntries(at: UInt16(4000 + Catalog.hazelcastMembersPerHost - 1)).map(\.key),
                       ["hazelcast.localMemberPort"])
        XCTAssertEqual(policy.expectedEntries(at: UInt16(4000 + Catalog.hazelcastMembersPerHost)), [])
        let hazelcast = policy.catalog.first { $0.key == "hazelcast.localMemberPort" }!
        XCTAssertEqual(policy.ports(of: hazelcast), 4000...UInt16(4000 + Catalog.hazelcastMembersPerHost - 1),
                       "never shifted by the offset")
        XCTAssertEqual(policy.expectedEntries(at: 4043).map(\.key), ["spark.ui.port"], "no overlap with the Spark UI")
    }

    func testConditionalPortsFollowTheFeatureTheyNeed() {
        let ha = entry("ha.management.port")!
        XCTAssertEqual(ha.feature, .ha)
        XCTAssertEqual(entry("hazelcast.localMemberPort")?.feature, .clustering)
        XCTAssertEqual(entry("Ports.EmbeddedLDAP.LDAPServerPort")?.feature, .embeddedLDAP)
        XCTAssertNil(entry("carbon.https.port")?.feature)

        var policy = Policy()
        XCTAssertTrue(policy.expects(ha), "not said: explained when seen")
        XCTAssertFalse(policy.mustBeBound(ha), "not said: an unused HA port is only info")
        policy.features[.ha] = true
        XCTAssertTrue(policy.expects(ha))
        XCTAssertTrue(policy.mustBeBound(ha), "on: an unused HA port is drift")
        policy.features[.ha] = false
        XCTAssertFalse(policy.expects(ha), "off: not expected at all")
        XCTAssertEqual(policy.expectedEntries(at: 10005), [])
    }

    func testTheInstallationsHASwitchReachesThePolicy() throws {
        var settings = PolicySettings()
        settings.features[.ha] = false
        XCTAssertEqual(try settings.makePolicy().expectedEntries(at: 11224), [])
        settings.features[.ha] = true
        XCTAssertEqual(try settings.makePolicy().expectedEntries(at: 11224).map(\.key), ["ha.eventSync.port"])
    }
}
