import Audit
import Foundation
import Reports
import XCTest

/// The `spark` profile on captures/spark43-execs-s200.pcap, a real Spark 4.3.0 standalone
/// cluster with pinned ports (master 7079, worker 11002, driver 13002, block managers
/// 12002 on the driver and 12002-12005 for 4 executors of 1 core on the worker). Plain
/// Spark's RPC and block manager ports are random unless pinned: the profile expects none
/// of them until the policy pins them, then judges them as the das profiles do; it has no
/// executor band before that, and no port offset at all.
final class SparkProfilePinningCaptureTests: XCTestCase {
    private func audit(_ options: [String]) throws -> (CommandResult, AuditResult?) {
        let run = try runDasaudit(["audit", capture("spark43-execs-s200.pcap"), "--format", "json"] + options)
        return (run, try? JSONReport.parse(Data(run.stdout.utf8)))
    }

    private func policyFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pinned-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testUnpinnedTheProfileHasNoExecutorBand() throws {
        let (run, parsed) = try audit(["--profile", "spark", "--cores", "2"])
        let result = try XCTUnwrap(parsed, run.stderr)
        XCTAssertNil(result.policy.executorAllowed)
        XCTAssertNil(result.policy.executorBand)
        let text = try runDasaudit(["audit", capture("spark43-execs-s200.pcap"), "--profile", "spark", "--cores", "2"])
        XCTAssertTrue(text.stdout.hasPrefix("dasaudit "), text.stdout)
        XCTAssertTrue(text.stdout.contains("2 cores per node, no executor band (spark.blockManager.port not pinned)\n"), text.stdout)
        XCTAssertFalse(text.stdout.contains("12000"), "no phantom band at 12000")
        for port: UInt16 in [12002, 12003, 12004, 12005] {
            XCTAssertEqual(result.services.first { $0.address == "127.0.0.2" && $0.port == port }?.classification, .unexpected)
        }
    }

    func testPinnedPortsAreJudgedWithAnExecutorBand() throws {
        let policy = try policyFile("""
            profile: spark
            cores: 4
            ports:
              spark.master.port: 7079
              spark.worker.port: 11002
              spark.driver.port: 13002
              spark.blockManager.port: 12002
            """)
        let (run, parsed) = try audit(["--policy", policy])
        let result = try XCTUnwrap(parsed, run.stderr)
        XCTAssertEqual(result.policy.executorAllowed, "12002-12006")
        XCTAssertEqual(result.policy.executorBand, "12002-12018")
        let classified = Dictionary(uniqueKeysWithValues: result.services.filter { $0.protocol == "spark-rpc" }.map {
            ("\($0.address):\($0.port)", "\($0.classification.rawValue) \($0.catalogKey ?? "-")")
        })
        XCTAssertEqual(classified, [
            "127.0.0.1:7079": "expected spark.master.port",
            "127.0.0.1:12002": "executor spark.blockManager.port",
            "127.0.0.1:13002": "expected spark.driver.port",
            "127.0.0.2:11002": "expected spark.worker.port",
            "127.0.0.2:12002": "executor spark.blockManager.port",
            "127.0.0.2:12003": "executor spark.blockManager.port",
            "127.0.0.2:12004": "executor spark.blockManager.port",
            "127.0.0.2:12005": "executor spark.blockManager.port",
        ])
        // With 2 cores, 12005 is above the allowed 12002-12004: out of range, as in the das profiles.
        let two = try XCTUnwrap(try audit(["--policy", policy, "--cores", "2"]).1)
        XCTAssertEqual(two.services.first { $0.address == "127.0.0.2" && $0.port == 12005 }?.classification, .executorOutOfRange)
    }

    func testTheProfileRefusesAnOffset() throws {
        let (run, _) = try audit(["--profile", "spark", "--offset", "2"])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("offset 2: profile spark has no port offset"), run.stderr)
    }
}
