import Policy
import Wire
import XCTest

/// The policy file's `dependencies` and `features`: read, validated like the rest of the
/// file (file:line errors, nearest-key suggestions), and matched against endpoints.
final class DependencyPolicyTests: XCTestCase {
    let file = """
    offset: 2
    features:
      ha: on
      clustering: false
    nodes:
      - name: das1
        addresses: [10.0.0.1]
    dependencies:
      - name: analytics-db
        address: 10.0.5.20
        port: 5432
        reason: WSO2_ANALYTICS_EVENT_STORE_DB (PostgreSQL)
      - name: kafka
        address: 10.0.6.0/28
        port: 9092
        reason: event publisher to the Kafka cluster
    """

    private func error(_ text: String) -> String { policyFileError(text) }

    func testDependenciesAndFeaturesAreRead() throws {
        let settings = try PolicyFile.parse(file, path: "p.yaml")
        XCTAssertEqual(settings.features, [.ha: true, .clustering: false])
        XCTAssertEqual(settings.origins["features.ha"]?.line, 3)
        let policy = try settings.makePolicy()
        XCTAssertEqual(policy.dependencies.map(\.name), ["analytics-db", "kafka"])
        XCTAssertEqual(policy.dependencies[1].reason, "event publisher to the Kafka cluster")
        XCTAssertEqual(policy.dependency(at: IPAddress("10.0.5.20")!, port: 5432)?.name, "analytics-db")
        XCTAssertNil(policy.dependency(at: IPAddress("10.0.5.20")!, port: 5433), "another port")
        XCTAssertNil(policy.dependency(at: IPAddress("10.0.5.21")!, port: 5432), "another host")
        XCTAssertEqual(policy.dependency(at: IPAddress("10.0.6.14")!, port: 9092)?.name, "kafka", "inside the block")
        XCTAssertNil(policy.dependency(at: IPAddress("10.0.6.16")!, port: 9092), "outside the block")
        XCTAssertEqual(policy.expectedEntries(at: 4000), [], "clustering off: no Hazelcast")
        XCTAssertTrue(policy.mustBeBound(policy.catalog.first { $0.key == "ha.eventSync.port" }!), "HA on")
    }

    func testABadDependencyNamesTheFileAndLine() {
        XCTAssertEqual(error("""
        dependencies:
          - name: db
            address: 10.0.5.20
            reason: analytics database
        """), "p.yaml:2: a dependency needs 'port'")
        XCTAssertEqual(error("""
        dependencies:
          - name: db
            address: db.example.com
            port: 5432
            reason: analytics database
        """), "p.yaml:3: 'db.example.com' is not an IPv4 or IPv6 address or CIDR block; expected one like 10.0.0.20 or 10.0.2.0/24")
        XCTAssertEqual(error("""
        dependencies:
          - name: db
            address: 10.0.5.20
            port: 65536
            reason: analytics database
        """), "p.yaml:4: expected a port: a whole number from 1 to 65535")
        XCTAssertTrue(error("""
        dependencies:
          - name: db
            adress: 10.0.5.20
            port: 5432
            reason: analytics database
        """).hasPrefix("p.yaml:3: unknown key 'adress' in a dependency; did you mean address? expected one of name, address, port, reason"))
        XCTAssertTrue(error("""
        dependency:
          - name: db
        """).hasPrefix("p.yaml:1: unknown key 'dependency' in the policy; did you mean dependencies?"))
    }

    func testDependencyNamesAndReasonsCannotForgeReportLines() {
        XCTAssertTrue(error("""
        dependencies:
          - name: "db\\nNOT COMPLIANT"
            address: 10.0.5.20
            port: 5432
            reason: analytics database
        """).hasPrefix("p.yaml:2: dependency name 'db\\nNOT COMPLIANT' contains '\\n'"))
        XCTAssertTrue(error("""
        dependencies:
          - name: db
            address: 10.0.5.20
            port: 5432
            reason: "line one\\rline two"
        """).hasPrefix("p.yaml:5: the reason 'line one\\rline two' contains '\\r'"))
    }

    func testADependencyNameDeclaredTwiceIsRefusedAtTheSecond() {
        XCTAssertEqual(error("""
        dependencies:
          - {name: db, address: 10.0.5.20, port: 5432, reason: primary}
          - {name: db, address: 10.0.5.21, port: 5432, reason: replica}
        """), "p.yaml:3: dependency name 'db' is declared twice")
    }

    func testAPolicyMadeInCodeChecksItsDependencyNamesToo() {
        // As a policy read back from a result (merge) is: not only the policy file's reader checks.
        let policy = Policy(dependencies: [Dependency(name: "db\u{1b}[2J", address: AddressPattern("10.0.0.9")!, port: 5432,
                                                      reason: "r")])
        XCTAssertEqual(policy.validationErrors().count, 1)
        XCTAssertTrue(policy.validationErrors().first?.hasPrefix("dependency name 'db\\e[2J' contains") ?? false,
                      "\(policy.validationErrors())")
    }

    func testABadFeatureGetsTheNearestName() {
        XCTAssertEqual(error("""
        features:
          clustring: on
        """), "p.yaml:2: 'clustring' is not a deployment feature; did you mean clustering? expected one of ha, clustering, embedded-ldap, jmx, shuffle-service, spark-ui-https, cluster-deploy-mode, history-server, rest-submission, spark-ui")
        XCTAssertEqual(error("""
        features:
          ha: sometimes
        """), "p.yaml:2: 'sometimes' is not on or off; expected true or false")
    }

    func testALaterSourceOverridingAFeatureOrTheDependenciesIsNoted() throws {
        let file = try PolicyFile.parse("features: {ha: on}\ndependencies: [{name: db, address: 10.0.0.9, port: 5432, reason: r}]",
                                        path: "p.yaml")
        var installation = PolicySettings()
        installation.features[.ha] = false
        installation.dependencies = []
        let notes = file.overrides(by: installation).map(\.field)
        XCTAssertEqual(notes, ["features.ha", "dependencies"])
        XCTAssertEqual(file.overlaid(with: installation).features[.ha], false)
    }
}
