import Audit
import CaptureEngine
import Foundation
import Flows
import Policy
import Protocols
import Reports
import Wire
import XCTest

/// Every result dasaudit writes conforms to docs/result-schema.json, and the schema says
/// no more and no less than the result holds (no field undocumented, none missing).
final class ResultSchemaTests: XCTestCase {
    private func validator() throws -> JSONSchemaValidator {
        let data = try Data(contentsOf: repositoryRoot.appendingPathComponent("docs/result-schema.json"))
        let schema = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(schema["$schema"] as? String, "https://json-schema.org/draft/2020-12/schema")
        return JSONSchemaValidator(root: schema)
    }

    private func written(_ result: AuditResult) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(try JSONReport.render(result).utf8))
    }

    func testEveryKindOfResultConformsToTheSchema() throws {
        let validator = try validator()
        var incomplete = Auditor(policy: .init(offset: 3)).audit(paths: [
            repositoryRoot.appendingPathComponent("captures/das-offset3-lo.pcap").path, "/nonexistent.pcap", "-",
        ])
        incomplete.evidence = try Evidence(of: incomplete, arguments: ["audit", "x"], auditedAt: testAuditTime)
        // The jmx feature said, off (etc/jmx.xml's StartRMIServer false under --das-home).
        let jmxOff = Auditor(policy: .init(offset: 5, features: [.jmx: false])).audit(paths: [
            repositoryRoot.appendingPathComponent("captures/das-carbon-offset5-lo.pcap").path,
        ])
        // Keys of --das-home dasaudit did not read (ignored_keys), one with no line.
        var ignoring = Policy(offset: 2)
        ignoring.ignoredSettings = [
            IgnoredSetting(key: "spark.driver.blockManager.port", value: "12600", origin: SettingOrigin(source: "spark-defaults.conf", line: 8)),
            IgnoredSetting(key: "spark.ssl.port", value: "4443", origin: SettingOrigin(source: "spark-defaults.conf")),
        ]
        let ignored = Auditor(policy: ignoring).audit(paths: [
            repositoryRoot.appendingPathComponent("captures/das-home-ignored-ports-lo.pcap").path,
        ])
        // IP fragments joined (`skipped.reassembled`), and the shuffle service said on.
        let fragments = Auditor(policy: .init(offset: 0)).audit(paths: [
            repositoryRoot.appendingPathComponent("captures/frag-router-veth.pcap").path,
        ])
        XCTAssertNotNil(fragments.coverage.skipped[SkipReason.reassembled.name])
        let shuffle = Auditor(policy: .init(offset: 2, features: [.shuffleService: true])).audit(paths: [
            repositoryRoot.appendingPathComponent("captures/spark-cluster-offset2-lo.pcap").path,
        ])
        // Mode client with the external cluster named, whose callers from elsewhere are findings.
        var clientMode = Policy(offset: 2, mode: .client, coresPerNode: 2,
                                nodes: [Node(name: "das1", addresses: [AddressPattern("10.40.0.2")!], roles: [.driver, .receiver])])
        clientMode.externalCluster = [AddressPattern("10.40.9.0/24")!]
        let external = Auditor(policy: clientMode).audit(paths: [
            repositoryRoot.appendingPathComponent("captures/client-mode-driver-veth-s200.pcap").path,
        ])
        XCTAssertTrue(external.findings.contains { $0.kind == .clientOutsideCluster })
        var bare = syntheticAudit(services: 3)
        bare.evidence = nil
        let results: [(String, AuditResult)] = [
            ("spark cluster", try auditedCapture()), ("das offset 3", try auditedCapture("das-offset3-any.pcap", offset: 3, mode: .local, cores: 1)),
            ("cluster with nodes and waivers", try auditedCluster()), ("500 services", syntheticAudit(services: 500)),
            ("without evidence", bare), ("live-like, with drops", try liveLikeResult()), ("missing and standard inputs", incomplete), ("hostile text", try hostileResult()), ("jmx off", jmxOff),
            ("ignored installation keys", ignored), ("joined IP fragments", fragments), ("shuffle service on", shuffle),
            ("external cluster", external),
        ]
        for (name, result) in results {
            let errors = validator.errors(try written(result))
            XCTAssertEqual(errors, [], "\(name): \(errors.prefix(5))")
        }
    }

    func testTheValidatorCatchesWhatTheSchemaForbids() throws {
        let validator = try validator()
        let good = try XCTUnwrap(try written(try auditedCapture()) as? [String: Any])
        XCTAssertEqual(validator.errors(good), [])
        func breaking(_ change: (inout [String: Any]) -> Void) -> [String] {
            var copy = good
            change(&copy)
            return validator.errors(copy)
        }
        XCTAssertTrue(breaking { $0["summary"] = nil }.contains("$: missing required 'summary'"))
        XCTAssertTrue(breaking { $0["surprise"] = 1 }.contains("$: 'surprise' is not described by the schema"))
        XCTAssertFalse(breaking { $0["schema"] = "dasaudit.result/2" }.isEmpty)
        XCTAssertFalse(breaking { var c = $0["coverage"] as! [String: Any]; c["packets"] = "2050"; $0["coverage"] = c }.isEmpty)
        XCTAssertFalse(breaking { var c = $0["coverage"] as! [String: Any]; c["complete"] = 1; $0["coverage"] = c }.isEmpty)
        XCTAssertFalse(breaking { var c = $0["coverage"] as! [String: Any]; c["capture_start"] = "2026-11-27 00:11:55"; $0["coverage"] = c }.isEmpty)
        XCTAssertFalse(breaking { var s = $0["services"] as! [[String: Any]]; s[0]["classification"] = "fine"; $0["services"] = s }.isEmpty)
        XCTAssertFalse(breaking { var s = $0["services"] as! [[String: Any]]; s[0]["port"] = 70000; $0["services"] = s }.isEmpty)
        XCTAssertFalse(breaking { var e = $0["evidence"] as! [String: Any]; e["policy_sha256"] = "abc"; $0["evidence"] = e }.isEmpty)
        XCTAssertFalse(breaking { var s = $0["services"] as! [[String: Any]]; s[0]["states"] = ["open": 1]; $0["services"] = s }.isEmpty)
        // An octet with a leading zero, octal to some readers: refused as the reader refuses it.
        XCTAssertFalse(breaking { var s = $0["services"] as! [[String: Any]]; s[0]["address"] = "127.0.0.01"; $0["services"] = s }.isEmpty)
        XCTAssertEqual(breaking { var s = $0["services"] as! [[String: Any]]; s[0]["address"] = "10.0.0.10"; $0["services"] = s }, [])
        XCTAssertEqual(JSONSchemaValidator(root: ["type": "object", "minProperties": 1]).errors([:] as [String: Any]),
                       ["$: schema keyword 'minProperties' is not checked by this validator"])
    }

    /// Every `enum` of the schema, by its JSON pointer, and the names the code writes there,
    /// taken from the Swift types themselves: a case added to a type (`reassembled`,
    /// `shuffle-service` were) and not to the schema fails here, and so does an enum added
    /// to the schema that this list does not check.
    private var schemaEnums: [String: [String]] {
        // `none` is the decoder's "not in a tunnel": a result names only tunnels (null otherwise).
        let skipReasons = SkipReason.allCases.map(\.name), tunnels = Tunnel.allCases.filter { $0 != .none }.map(\.name)
        let features = DeploymentFeature.allCases.map(\.rawValue)
        return [
            "/$defs/severity": Severity.allCases.map(\.rawValue),
            "/$defs/failOn": FailThreshold.allCases.map(\.rawValue),
            "/$defs/classification": Classification.allCases.map(\.rawValue),
            "/$defs/findingKind": Finding.Kind.allCases.map(\.rawValue),
            "/$defs/skipped/propertyNames": skipReasons,
            "/$defs/tunneled/anyOf/1/propertyNames": tunnels,
            // A service's `states`: the connections that carried traffic (`isTraffic`);
            // attempts and refusals are the result's `attempts`.
            "/$defs/connectionStates/propertyNames": ConnectionState.allCases.filter(\.isTraffic).map(\.rawValue),
            // A service's `direction_basis`: connections without a basis are not counted there.
            "/$defs/directionBasis/propertyNames": DirectionBasis.allCases.filter { $0 != .unknown }.map(\.rawValue),
            "/$defs/input/properties/drops_source/anyOf/1": DropsSource.allCases.map(\.rawValue),
            "/$defs/policy/properties/mode": SparkMode.allCases.map(\.rawValue),
            "/$defs/policy/properties/groups/items": CatalogGroup.allCases.map(\.rawValue),
            "/$defs/policy/properties/nodes/items/properties/roles/items": NodeRole.allCases.map(\.rawValue),
            "/$defs/policy/properties/features/anyOf/1/propertyNames": features,
            "/$defs/unusedOpening/properties/feature/anyOf/1": features,
            "/$defs/connectionEntry/properties/direction_basis": DirectionBasis.allCases.map(\.rawValue),
            "/$defs/connectionEntry/properties/state": ConnectionState.allCases.map(\.rawValue),
            "/$defs/connectionEntry/properties/tunnel/anyOf/1": tunnels,
            // How a connection with traffic stood at its last packet (`Connection.ending`).
            "/$defs/connectionEntry/properties/ending/anyOf/1": [ConnectionState.closed, .reset, .established].map(\.rawValue),
            "/$defs/protocol": ProtocolName.allCases.map(\.name),
            "/$defs/tlsVersion": TLSVersion.allCases.map(\.name),
            "/$defs/portScan/properties/kind": PortScanSummary.Kind.allCases.map(\.rawValue),
            "/$defs/portScan/properties/type": PortScanSummary.ScanType.allCases.map(\.rawValue),
            "/$defs/capturePoint/properties/basis": CapturePoint.Basis.allCases.map(\.rawValue),
        ]
    }

    /// Each `enum` in `node`, by the JSON pointer of the object that holds it.
    private func enums(in node: Any, at pointer: String = "") -> [String: [String]] {
        var found: [String: [String]] = [:]
        if let object = node as? [String: Any] {
            if let values = object["enum"] as? [String] { found[pointer] = values }
            for (key, value) in object where key != "enum" { found.merge(enums(in: value, at: pointer + "/" + key)) { a, _ in a } }
        } else if let array = node as? [Any] {
            for (index, value) in array.enumerated() { found.merge(enums(in: value, at: "\(pointer)/\(index)")) { a, _ in a } }
        }
        return found
    }

    func testEveryEnumOfTheSchemaNamesExactlyWhatTheCodeWrites() throws {
        let data = try Data(contentsOf: repositoryRoot.appendingPathComponent("docs/result-schema.json"))
        let inSchema = enums(in: try JSONSerialization.jsonObject(with: data))
        let expected = schemaEnums
        XCTAssertEqual(Set(inSchema.keys), Set(expected.keys), "every enum of the schema is checked here, and only those")
        for (pointer, names) in expected.sorted(by: { $0.key < $1.key }) {
            let schema = inSchema[pointer] ?? []
            XCTAssertEqual(schema.count, Set(schema).count, "\(pointer) names a value twice")
            XCTAssertEqual(Set(schema).subtracting(names).sorted(), [], "\(pointer): in the schema, never written")
            XCTAssertEqual(Set(names).subtracting(schema).sorted(), [], "\(pointer): written, refused by the schema")
        }
        XCTAssertTrue(inSchema["/$defs/skipped/propertyNames"]?.contains(SkipReason.reassembled.name) == true)
        XCTAssertTrue(inSchema["/$defs/policy/properties/features/anyOf/1/propertyNames"]?.contains("shuffle-service") == true)
    }
}
