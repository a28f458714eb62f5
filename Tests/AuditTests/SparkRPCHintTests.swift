@testable import Audit
import Policy
import XCTest

/// The hint on an unexpected port that speaks Spark RPC: a known Spark key's port is named
/// as that key's (7337 is the external shuffle service, whichever policy does not expect
/// it); any other port gets the keys of the policy's own profile that would pin it.
final class SparkRPCHintTests: XCTestCase {
    func testAKnownKeysDefaultPortIsNamed() {
        let hint = ProtocolFindings(policy: Policy(offset: 2)).sparkRPCHint(port: 7337)
        XCTAssertEqual(hint, "it speaks Spark RPC: spark.shuffle.service.port's default port, the Spark external "
            + "shuffle service (only with spark.shuffle.service.enabled)")
    }

    func testTheShuffleServicesSetPortUnderTheOffsetIsNamed() {
        // 7337 is not shifted unless a configuration sets the key; set to 7337, DAS binds it
        // at 7337 plus the offset, past any retry at offset 100.
        let hint = ProtocolFindings(policy: Policy(offset: 100)).sparkRPCHint(port: 7437)
        XCTAssertEqual(hint, "it speaks Spark RPC: spark.shuffle.service.port's port under offset 100, the Spark external "
            + "shuffle service (only with spark.shuffle.service.enabled)")
    }

    func testAKnownKeysPortUnderTheOffsetSaysSo() {
        // 13000 is DAS's driver port; the spark profile has the key, but at a random port.
        let hint = ProtocolFindings(policy: Policy(profile: .spark)).sparkRPCHint(port: 13000)
        XCTAssertEqual(hint, "it speaks Spark RPC: spark.driver.port's default port in profile das, the Spark driver RPC")
    }

    func testOtherPortsListTheProfilesPinningKeys() {
        XCTAssertEqual(ProtocolFindings(policy: Policy()).sparkRPCHint(port: 40000),
                       "it speaks Spark RPC: a Spark service on a port no configuration pinned (pin it with "
                           + "spark.driver.port, spark.blockManager.port, or spark.executor.port)")
        XCTAssertEqual(ProtocolFindings(policy: Policy(profile: .spark)).sparkRPCHint(port: 40000),
                       "it speaks Spark RPC: a Spark service on a port no configuration pinned (pin it with "
                           + "spark.driver.port, spark.blockManager.port, or spark.driver.blockManager.port)")
        // spark.port.maxRetries is a count: it pins nothing, and is not offered.
    }

    func testAnAkkaPortIsNoSparkRPCKey() {
        // 13003 is das-3.1's sparkDriverActorSystem at offset 2, which speaks Akka: a Spark RPC
        // service there is a driver's port retry, not that key.
        let hint = ProtocolFindings(policy: Policy(offset: 2)).sparkRPCHint(port: 13003)
        XCTAssertTrue(hint.contains("no configuration pinned"), hint)
    }
}
