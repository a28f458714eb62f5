import Audit
import Policy
import XCTest

final class PortClassifierTests: XCTestCase {
    let cluster = PortClassifier(policy: Policy(offset: 2, mode: .cluster, coresPerNode: 2))

    func testCatalogPortsUnderTheOffsetAreExpectedWithTheirKey() {
        XCTAssertEqual(cluster.classify(7079).classification, .expected)
        XCTAssertEqual(cluster.classify(7079).catalogKey, "spark.master.port")
        XCTAssertEqual(cluster.classify(7713).catalogKey, "thrift.ssl.port")
        XCTAssertEqual(cluster.classify(4042).catalogKey, "spark.ui.port")
    }

    func testTheAmbiguous11000CarriesBothMeanings() {
        let verdict = cluster.classify(11002)
        XCTAssertEqual(verdict.classification, .expected)
        XCTAssertEqual(verdict.catalogKey, "spark.worker.port")
        XCTAssertEqual(verdict.alsoCatalogKeys, ["ha.presenter.port"])
    }

    func testExecutorPortsInsideTheAllowedRange() {
        for port: UInt16 in 12002...12004 {
            XCTAssertEqual(cluster.classify(port).classification, .executor, "port \(port)")
            XCTAssertEqual(cluster.classify(port).catalogKey, "spark.blockManager.port")
        }
    }

    func testExecutorPortsAboveTheAllowedRangeUpToTheRetryBand() {
        XCTAssertEqual(cluster.classify(12005).classification, .executorOutOfRange)
        XCTAssertEqual(cluster.classify(12018).classification, .executorOutOfRange)
        XCTAssertEqual(cluster.classify(12019).classification, .unexpected)
        XCTAssertEqual(cluster.classify(12001).classification, .unexpected)
    }

    func testClusterPortsInLocalModeAreNotInMode() {
        let local = PortClassifier(policy: Policy(offset: 2, mode: .local))
        XCTAssertEqual(local.classify(7079).classification, .notInMode)
        XCTAssertEqual(local.classify(7079).catalogKey, "spark.master.port")
        XCTAssertEqual(local.classify(11002).classification, .expected, "HA presenter is expected in every mode")
    }

    func testAPortWithoutMeaningIsUnexpected() {
        let verdict = cluster.classify(31337)
        XCTAssertEqual(verdict.classification, .unexpected)
        XCTAssertNil(verdict.catalogKey)
        XCTAssertNil(verdict.hint)
    }

    func testASparkPortRetryIsHinted() {
        XCTAssertEqual(cluster.classify(4043).classification, .unexpected)
        XCTAssertEqual(cluster.classify(4043).hint?.hasPrefix("spark.ui.port+1"), true)
        XCTAssertEqual(cluster.classify(13003).hint?.hasPrefix("spark.driver.port+1"), true)
        XCTAssertEqual(cluster.classify(13019).hint, nil, "beyond spark.port.maxRetries")
    }

    func testAllowedPortsAreAllowed() {
        let classifier = PortClassifier(policy: Policy(offset: 2, allowedPorts: [22: "ssh for operators"]))
        XCTAssertEqual(classifier.classify(22).classification, .allowed)
    }

    func testWithoutTheSparkGroupTheBandIsNotExpected() {
        let classifier = PortClassifier(policy: Policy(offset: 0, groups: [.receivers]))
        XCTAssertEqual(classifier.classify(12000).classification, .notInMode)
        XCTAssertEqual(classifier.classify(12001).classification, .unexpected)
    }
}
