import Foundation
import Policy
import XCTest

/// `--das-home` reads `spark.master.rest.enabled` as Spark does (a boolean, any case;
/// anything else refused with its line) into the `rest-submission` feature, which is on
/// unless said off: the master's REST port is expected in cluster mode until the file (or
/// the policy) turns the server off, the usual hardening.
final class RESTSubmissionSettingTests: XCTestCase {
    private let master = Node(name: "m", addresses: [AddressPattern("127.0.0.1")!], roles: [.master])

    func testFalseTakesTheRESTPortOut() throws {
        var read = try settings(sparkDefaults: "spark.master.rest.enabled FALSE\n")
        XCTAssertEqual(read.features[.restSubmission], false)
        XCTAssertEqual(read.origins["features.rest-submission"]?.line, 1)
        read.mode = .cluster
        let policy = try read.makePolicy()
        XCTAssertEqual(policy.expectedEntries(at: 6068, on: master), [], "6066 + offset 2, the server off")
        XCTAssertFalse(ExpectedOpenings(policy: policy).scopes.flatMap(\.openings).contains { $0.key == "spark.master.rest.port" })
    }

    func testUnsaidOrTrueKeepsItExpected() throws {
        for text in ["", "spark.master.rest.enabled true\n"] {
            var read = try settings(sparkDefaults: text)
            read.mode = .cluster
            let policy = try read.makePolicy()
            XCTAssertEqual(policy.expectedEntries(at: 6068, on: master).map(\.key), ["spark.master.rest.port"], text)
            XCTAssertTrue(policy.mustBeBound(policy.expectedEntries(at: 6068)[0]), "an unused one is low: \(text)")
        }
    }

    func testANonBooleanIsRefusedWithItsLine() {
        XCTAssertThrowsError(try settings(sparkDefaults: "# c\n\nspark.master.rest.enabled off\n")) { error in
            XCTAssertTrue("\(error)".hasSuffix("spark-defaults.conf:3: spark.master.rest.enabled is 'off'; expected true or false"),
                          "\(error)")
        }
    }

    func testThePolicyFileSaysItToo() throws {
        let file = try PolicyFile.parse("mode: cluster\nfeatures: {rest-submission: off}\n", path: "p.yaml")
        XCTAssertEqual(try file.makePolicy().expectedEntries(at: 6066), [])
    }
}
