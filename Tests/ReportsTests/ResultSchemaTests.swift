import Audit
import CaptureEngine
import Foundation
import Policy
import Reports
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
        var bare = syntheticAudit(services: 3)
        bare.evidence = nil
        let results: [(String, AuditResult)] = [
            ("spark cluster", try auditedCapture()), ("das offset 3", try auditedCapture("das-offset3-any.pcap", offset: 3, mode: .local, cores: 1)),
            ("cluster with nodes and waivers", try auditedCluster()), ("500 services", syntheticAudit(services: 500)),
            ("without evidence", bare), ("live-like, with drops", try liveLikeResult()), ("missing and standard inputs", incomplete), ("hostile text", try hostileResult()), ("jmx off", jmxOff),
            ("ignored installation keys", ignored),
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
        XCTAssertEqual(JSONSchemaValidator(root: ["type": "object", "minProperties": 1]).errors([:] as [String: Any]),
                       ["$: schema keyword 'minProperties' is not checked by this validator"])
    }
}
