import Foundation
import Policy
import XCTest

/// Limits on configuration input: size, file type, XML depth and DTDs, YAML aliases.
final class ConfigurationLimitsTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("policy-limits-\(UUID())")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("repository/conf/analytics/spark"),
                                                withIntermediateDirectories: true)
        try write("repository/conf/carbon.xml", "<Server><Ports><Offset>2</Offset></Ports></Server>")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    @discardableResult
    private func write(_ name: String, _ text: String) throws -> String {
        let url = root.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    private func readError(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    // MARK: - Files

    func testMissingOptionalFilesKeepTheDefaults() throws {
        let settings = try DASInstallation.read(home: root.path)
        XCTAssertEqual(settings.offset, 2)
        XCTAssertNil(settings.mode)
        XCTAssertNil(try ConfigurationFile.read(root.appendingPathComponent("nothing").path, required: false))
    }

    /// Regression: a FIFO spark-defaults.conf was skipped (or blocked the read), and the
    /// audit fell back to local mode with 1 core.
    func testAFIFOIsAnErrorAndIsNeverOpenedForReading() throws {
        let path = root.appendingPathComponent(DASInstallation.sparkDefaults).path
        XCTAssertEqual(mkfifo(path, 0o644), 0)
        let started = Date()
        XCTAssertEqual(readError { try DASInstallation.read(home: root.path) }, "\(path): cannot be read: a FIFO, not a regular file")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "no blocking open or read")
    }

    /// Regression: a directory where event-processor.xml should be was skipped silently.
    func testADirectoryIsAnError() throws {
        let path = root.appendingPathComponent(DASInstallation.eventProcessorXML).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        XCTAssertEqual(readError { try DASInstallation.read(home: root.path) }, "\(path): cannot be read: a directory, not a regular file")
        XCTAssertEqual(readError { try PolicyFile.load(path: root.path) }, "\(root.path): cannot be read: a directory, not a regular file")
    }

    func testAFileOverTheSizeLimitIsRefused() throws {
        let path = try write("big.yaml", "# " + String(repeating: "x", count: ConfigurationFile.sizeLimit) + "\n")
        XCTAssertEqual(readError { try PolicyFile.load(path: path) },
                       "\(path): is \(ConfigurationFile.sizeLimit + 3) bytes; configuration files are limited to 4194304 bytes (4 MiB)")
        XCTAssertEqual(readError { try ConfigurationFile.read("/dev/zero") }, "/dev/zero: cannot be read: a character device, not a regular file")
    }

    // MARK: - XML

    /// Regression: a carbon.xml nested 70,000 deep overflowed the stack.
    func testDeepXMLIsRefusedWithoutRecursion() throws {
        let depth = 70_000
        let path = try write("repository/conf/carbon.xml",
                             "<Server>" + String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth) + "</Server>")
        XCTAssertEqual(readError { try DASInstallation.read(home: root.path) },
                       "\(path):1: elements nest deeper than 256 levels, the limit for configuration files")
    }

    func testXMLAtTheDepthLimitIsRead() throws {
        let depth = 250
        try write("repository/conf/carbon.xml", "<Server><Ports><Offset>4</Offset></Ports>" + String(repeating: "<a>", count: depth)
            + String(repeating: "</a>", count: depth) + "</Server>")
        XCTAssertEqual(try DASInstallation.read(home: root.path).offset, 4)
    }

    /// Regression: one entity referenced a million times cost a minute of CPU.
    func testADocumentTypeDeclarationIsRefused() throws {
        let flood = "<?xml version=\"1.0\"?>\n<!DOCTYPE Server [<!ENTITY e \"x\">]>\n<Server><Ports><Offset>2</Offset></Ports><D>"
            + String(repeating: "&e;", count: 1_000_000) + "</D></Server>"
        let path = try write("repository/conf/carbon.xml", flood)
        let started = Date()
        XCTAssertEqual(readError { try DASInstallation.read(home: root.path) }, "\(path):2: has a document type declaration "
            + "(<!DOCTYPE>); DTDs and entity declarations are refused in configuration files")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        try write("repository/conf/carbon.xml", "<!DOCTYPE x SYSTEM \"file:///etc/passwd\"><Server/>")
        XCTAssertTrue(readError { try DASInstallation.read(home: root.path) }.contains("has a document type declaration"), "XXE")
    }

    func testDocumentTypeTextInACommentIsNoDeclaration() throws {
        try write("repository/conf/carbon.xml", "<!-- <!DOCTYPE x> --><Server><![CDATA[<!DOCTYPE y>]]><Ports><Offset>3</Offset></Ports></Server>")
        XCTAssertEqual(try DASInstallation.read(home: root.path).offset, 3)
    }

    // MARK: - Text in messages

    func testSparkDefaultsValuesAreEscapedInMessages() throws {
        let path = try write(DASInstallation.sparkDefaults, "carbon.spark.master kube\u{1B}[2J\nspark.worker.cores two\n")
        XCTAssertEqual(readError { try DASInstallation.read(home: root.path) },
                       "\(path):1: carbon.spark.master 'kube\\e[2J' is not a master DAS knows (it refuses to start Spark); "
                        + "expected local, local[N], carbon, spark://host:port, yarn-client or mesos://host:port")
    }

    func testSparkDefaultsRecordWhereEachValueCameFrom() throws {
        let path = try write(DASInstallation.sparkDefaults, "# comment\ncarbon.spark.master carbon\nspark.worker.cores 4\n")
        let settings = try DASInstallation.read(home: root.path)
        XCTAssertEqual(settings.origins["cores"], SettingOrigin(source: path, line: 3))
        XCTAssertEqual(settings.origins["mode"], SettingOrigin(source: path, line: 2))
        XCTAssertEqual(settings.origins["offset"], SettingOrigin(source: root.appendingPathComponent(DASInstallation.carbonXML).path, line: 1))
        var commandLine = PolicySettings()
        commandLine.offset = 7
        commandLine.origins["offset"] = SettingOrigin(source: "--offset")
        XCTAssertEqual(settings.overrides(by: commandLine).map(\.description),
                       ["offset 7 from --offset overrides 2 from \(root.appendingPathComponent(DASInstallation.carbonXML).path):1"])
    }

    // MARK: - YAML

    /// Regression: nested aliases took hundreds of MB (walked copies) or minutes (hashed keys).
    func testAnAliasBombIsRefusedBeforeItIsComposed() {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...9 { lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]") }
        lines.append("m: {? *a9 : 1}")
        let started = Date()
        XCTAssertEqual(readError { try PolicyFile.parse(lines.joined(separator: "\n"), path: "bomb.yaml") },
                       "bomb.yaml:5: the document has more than 100000 YAML nodes with its aliases expanded, "
                       + "the limit for a policy file; use fewer aliases or a smaller file")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    /// Regression: 1500 nodes sharing one aliased list of 2000 addresses took 210 MB.
    func testNodesSharingOneBigAliasedListAreCountedInFull() {
        let addresses = (0..<200).map { "10.0.\($0 / 250).\($0 % 250)" }.joined(separator: ", ")
        var lines = ["nodes:", "  - {name: n0, addresses: &big [\(addresses)]}"]
        for index in 1..<1000 { lines.append("  - {name: n\(index), addresses: *big}") }
        XCTAssertTrue(readError { try PolicyFile.parse(lines.joined(separator: "\n"), path: "p.yaml") }
            .contains("more than 100000 YAML nodes with its aliases expanded"))
    }

    /// Regression (policy fuzz target): nested complex keys, some equal, made Yams sort them
    /// for its duplicate-key message by comparing them in full: minutes for a 2 KB file.
    func testAKeyThatIsAListOrAMappingIsRefusedBeforeItIsComposed() {
        let refusal = "a key here is a list or a mapping, not a name: a policy's keys are names (docs/policy.md)"
        XCTAssertEqual(readError { try PolicyFile.parse("ports:\n  ? [a, b]\n  : 1\n", path: "p.yaml") }, "p.yaml:2: " + refusal)
        XCTAssertEqual(readError { try PolicyFile.parse("offset: 2\nm: {? {a: 1} : 2}\n", path: "p.yaml") }, "p.yaml:2: " + refusal)
        XCTAssertEqual(readError { try PolicyFile.parse("l: &l [a]\nm: {*l : 1}\n", path: "p.yaml") }, "p.yaml:2: " + refusal,
                       "an alias of a list in a key's place")
        var nested = ""
        for depth in 0..<40 { nested += String(repeating: "  ", count: depth) + "? - x\n" + String(repeating: "  ", count: depth) + "  ? - x\n" }
        let started = Date()
        XCTAssertEqual(readError { try PolicyFile.parse(nested, path: "p.yaml") }, "p.yaml:1: " + refusal)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    func testAnAliasOfANameMayStandForAKey() {
        // The preflight lets it through; the reader then names the key it does not know.
        XCTAssertEqual(readError { try PolicyFile.parse("a: &k b\nc: {*k : 1}\n", path: "p.yaml") },
                       "p.yaml:1: unknown key 'a' in the policy; expected one of profile, offset, mode, cores, ephemeral_range, "
                       + "port_retries, expect, ports, features, nodes, external_cluster, membership, multicast_port, dependencies, allow, waivers, scan")
    }

    func testAFewAliasesAreFine() throws {
        // Two nodes may not share an address list (overlapping nodes are refused): the
        // aliases are of roles and of a reason.
        let text = "nodes:\n  - {name: a, addresses: [10.0.0.1], roles: &r [worker]}\n  - {name: b, addresses: [10.0.0.2], roles: *r}\n"
            + "allow:\n  - {port: 22, reason: &why ssh}\n  - {port: 2222, reason: *why}\n"
        let settings = try PolicyFile.parse(text, path: "p.yaml")
        XCTAssertEqual(settings.nodes?.map(\.roles), [[.worker], [.worker]])
        XCTAssertEqual(settings.allowedPorts[2222], "ssh")
    }
}
