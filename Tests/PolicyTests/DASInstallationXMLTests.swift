import Foundation
import Policy
import XCTest

/// `--das-home` reads event-processor.xml, axis2.xml and carbon.xml the way DAS does, on
/// the stock WSO2 files (Tests/Fixtures/das-stock-conf, SOURCES.txt) edited as an operator
/// would: which mode DAS picks, which HA servers it starts, when clustering is on, CDATA,
/// `${…}` placeholders, UTF-16, and the errors that name a broken installation.
final class DASInstallationXMLTests: XCTestCase {
    let stock = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/das-stock-conf")

    // MARK: - event-processor.xml

    func testHAOnWhileSingleModeStaysOnFirstIsSingleNode() throws {
        for version in ["3.0.1", "3.2.0"] {
            let file = try stockText("event-processor-\(version).xml")
                .replacingOccurrences(of: "<mode name=\"HA\" enable=\"false\">", with: "<mode name=\"HA\" enable=\"true\">")
            let settings = try DASInstallation.read(home: home(eventProcessor: file))
            XCTAssertEqual(settings.features[.ha], false, "\(version): the Single mode before HA is the one DAS takes")
            XCTAssertEqual(settings.origins["features.ha"]?.line, 21 + (version == "3.2.0" ? 1 : 0), version)
            let policy = try settings.makePolicy()
            XCTAssertEqual(policy.expectedEntries(at: 11224), [], "\(version): ha.eventSync.port is not bound")
        }
    }

    func testHAWithTheWorkerNodeTypeExpectsEventSyncAndManagementOnly() throws {
        let settings = try DASInstallation.read(home: home(eventProcessor: try haOn(worker: true, presenter: false)))
        XCTAssertEqual(settings.features[.ha], true)
        let policy = try settings.makePolicy()
        XCTAssertEqual(policy.expectedEntries(at: 11224).map(\.key), ["ha.eventSync.port"])
        XCTAssertEqual(policy.expectedEntries(at: 10005).map(\.key), ["ha.management.port"])
        XCTAssertEqual(policy.expectedEntries(at: 11000).map(\.key), [], "a worker never starts the presenter server")
        XCTAssertTrue(policy.unexpectedCatalogEntries(at: 11000).map(\.key).contains("ha.presenter.port"))
    }

    func testHAWithBothNodeTypesIsAWorkerAndWithThePresenterOnlyBindsThePresenterPort() throws {
        let both = try DASInstallation.read(home: home(eventProcessor: try haOn(worker: true, presenter: true))).makePolicy()
        XCTAssertEqual(both.expectedEntries(at: 11000), [], "presenter server only when the node is not a worker")
        XCTAssertEqual(both.expectedEntries(at: 11224).map(\.key), ["ha.eventSync.port"])
        let presenter = try DASInstallation.read(home: home(eventProcessor: try haOn(worker: false, presenter: true))).makePolicy()
        XCTAssertEqual(presenter.expectedEntries(at: 11000).map(\.key), ["ha.presenter.port"])
        XCTAssertEqual(presenter.expectedEntries(at: 11224), [])
        XCTAssertEqual(presenter.expectedEntries(at: 10005), [], "the snapshot server (management) starts on workers only")
    }

    func testModeNamesAndEnableAreReadWithoutRegardToCase() throws {
        let file = try haOn(worker: true, presenter: false)
            .replacingOccurrences(of: "<mode name=\"HA\" enable=\"true\">", with: "<mode name=\"ha\" enable=\"TRUE\">")
        XCTAssertEqual(try DASInstallation.read(home: home(eventProcessor: file)).features[.ha], true)
    }

    func testPortsOfServersDASDoesNotStartAreNotRead() throws {
        // HA off: its ports are never read.
        let off = try stockText("event-processor-3.2.0.xml").replacingOccurrences(of: "<port>11224</port>", with: "<port>x</port>")
        XCTAssertEqual(try DASInstallation.read(home: home(eventProcessor: off)).features[.ha], false)
        // A worker never reads the presentation port; it does read eventSync's.
        let worker = try haOn(worker: true, presenter: false)
        XCTAssertNoThrow(try DASInstallation.read(home: home(eventProcessor: worker.replacingOccurrences(
            of: "<port>11000</port>", with: "<port>x</port>"))))
        XCTAssertThrowsError(try DASInstallation.read(home: home(eventProcessor: worker.replacingOccurrences(
            of: "<port>11224</port>", with: "<port>x</port>")))) { error in
            XCTAssertTrue("\(error)".hasSuffix(":41: <eventSync><port> is 'x'; expected a port from 1 to 65535"), "\(error)")
        }
    }

    func testAnHAPortInCDATAIsRead() throws {
        let file = try haOn(worker: true, presenter: false)
            .replacingOccurrences(of: "<port>11224</port>", with: "<port><![CDATA[11300]]></port>")
        XCTAssertEqual(try DASInstallation.read(home: home(eventProcessor: file)).basePorts["ha.eventSync.port"], 11300)
    }

    // MARK: - axis2.xml

    func testClusteringWithoutEnableOrWithSpacesOrCapitalsIsOn() throws {
        let stockAxis2 = try stockText("axis2-3.2.0.xml")
        for (attribute, on) in [("", true), (" enable=\" true \"", true), (" enable=\"TRUE\"", true),
                                (" enable=\"false\"", false), (" enable=\"yes\"", false)] {
            let file = stockAxis2.replacingOccurrences(of: "\(agent)\r\n                enable=\"false\">", with: "\(agent)\(attribute)>")
            XCTAssertNotEqual(file, stockAxis2)
            let settings = try DASInstallation.read(home: home(axis2: file))
            XCTAssertEqual(settings.features[.clustering], on, "<clustering\(attribute)>")
            XCTAssertEqual(settings.basePorts["hazelcast.localMemberPort"], on ? 4000 : nil, "<clustering\(attribute)>")
        }
    }

    func testClusteringOffDoesNotReadItsParameters() throws {
        let file = try stockText("axis2-3.2.0.xml").replacingOccurrences(
            of: "<parameter name=\"localMemberPort\">4000</parameter>", with: "<parameter name=\"localMemberPort\">40x0</parameter>")
        XCTAssertEqual(try DASInstallation.read(home: home(axis2: file)).features[.clustering], false)
    }

    func testTheMemberPortInCDATAIsRead() throws {
        let file = try stockText("axis2-3.2.0.xml")
            .replacingOccurrences(of: "\(agent)\r\n                enable=\"false\">", with: "\(agent) enable=\"true\">")
            .replacingOccurrences(of: "<parameter name=\"localMemberPort\">4000</parameter>",
                                  with: "<parameter name=\"localMemberPort\"><![CDATA[4100]]></parameter>")
        XCTAssertEqual(try DASInstallation.read(home: home(axis2: file)).basePorts["hazelcast.localMemberPort"], 4100)
    }

    // MARK: - carbon.xml

    func testTheOffsetInCDATAIsRead() throws {
        let settings = try DASInstallation.read(home: home(carbon: carbon("<![CDATA[3]]>")))
        XCTAssertEqual(settings.offset, 3)
    }

    func testAPlaceholderOffsetNeedsTheOffsetOptionOrThePolicyFiles() throws {
        for placeholder in ["${portOffset}", "${DAS_PORT_OFFSET}"] {
            let directory = try home(carbon: carbon(placeholder))
            XCTAssertThrowsError(try DASInstallation.read(home: directory)) { error in
                XCTAssertTrue("\(error)".contains("<Ports><Offset> is '\(placeholder)', which DAS replaces at start-up"), "\(error)")
                XCTAssertTrue("\(error)".hasSuffix("give the offset with --offset N (or offset: N in the policy file)"), "\(error)")
            }
            for settings in [try DASInstallation.read(home: directory, commandLineOffset: 3),
                             try DASInstallation.read(home: directory, policyFileOffset: 3)] {
                XCTAssertNil(settings.offset, "--offset or the policy file supplies it")
                XCTAssertNil(settings.origins["offset"])
            }
        }
    }

    /// `offset: 3` in the policy file stands for the placeholder: the installation says no
    /// offset, so the layered policy keeps the file's.
    func testAPolicyFileOffsetFillsInAPlaceholder() throws {
        let directory = try home(carbon: carbon("${portOffset}"))
        let file = try PolicyFile.parse("offset: 3\n", path: "p.yaml")
        let installation = try DASInstallation.read(home: directory, policyFileOffset: file.offset)
        XCTAssertEqual(try file.overlaid(with: installation).makePolicy().offset, 3)
    }

    func testAUTF16CarbonXMLWithAByteOrderMarkIsRead() throws {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n" + carbon("5")
        for (mark, encoding) in [([UInt8]([0xFF, 0xFE]), String.Encoding.utf16LittleEndian), ([0xFE, 0xFF], .utf16BigEndian)] {
            let data = Data(mark) + text.data(using: encoding)!
            XCTAssertEqual(try DASInstallation.read(home: home(carbonData: data)).offset, 5, "\(encoding)")
        }
        let broken = Data([0xFF, 0xFE, 0x3C]) // a byte order mark and half a character
        XCTAssertThrowsError(try DASInstallation.read(home: home(carbonData: broken))) { error in
            XCTAssertTrue("\(error)".contains("nor UTF-16 with a byte order mark"), "\(error)")
            XCTAssertTrue("\(error)".hasSuffix("save it as UTF-8"), "\(error)")
        }
    }

    func testADocumentTypeInUTF16IsRefusedToo() throws {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<!DOCTYPE x [<!ENTITY a \"1\">]>\n" + carbon("&a;")
        let data = Data([0xFF, 0xFE]) + text.data(using: .utf16LittleEndian)!
        XCTAssertThrowsError(try DASInstallation.read(home: home(carbonData: data))) { error in
            XCTAssertTrue("\(error)".contains(":2: has a document type declaration"), "\(error)")
        }
    }

    // MARK: - The installation itself

    func testAMissingOrEmptyHomeIsNamedAsSuch() throws {
        XCTAssertThrowsError(try DASInstallation.read(home: "/nonexistent")) { error in
            XCTAssertEqual("\(error)", "/nonexistent: does not exist (expected a DAS installation, the folder holding repository/conf)")
        }
        XCTAssertThrowsError(try DASInstallation.read(home: "")) { error in
            XCTAssertEqual("\(error)", "--das-home: is empty (''); expected a DAS installation, the folder holding repository/conf")
        }
        let file = try home(carbon: carbon("0")) + "/repository/conf/carbon.xml"
        XCTAssertThrowsError(try DASInstallation.read(home: file)) { error in
            XCTAssertTrue("\(error)".hasSuffix("carbon.xml: is not a directory (expected a DAS installation, the folder holding repository/conf)"),
                          "\(error)")
        }
    }

    func testADanglingSymbolicLinkIsAnErrorNotAMissingFile() throws {
        let directory = try home(carbon: carbon("0"))
        let spark = directory + "/repository/conf/analytics/spark"
        try FileManager.default.createDirectory(atPath: spark, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: spark + "/spark-defaults.conf", withDestinationPath: "/nonexistent/x")
        XCTAssertThrowsError(try DASInstallation.read(home: directory)) { error in
            XCTAssertEqual("\(error)", "\(spark)/spark-defaults.conf: is a symbolic link to '/nonexistent/x', which does not exist")
        }
    }

    // MARK: - Helpers

    /// The stock `<clustering class="...">` (axis2.xml has CRLF line ends).
    private let agent = "HazelcastClusteringAgent\""

    private func stockText(_ name: String) throws -> String {
        try String(decoding: Data(contentsOf: stock.appendingPathComponent(name)), as: UTF8.self)
    }

    /// The stock 3.2.0 event-processor.xml with Single off, HA on and this node type.
    private func haOn(worker: Bool, presenter: Bool) throws -> String {
        try stockText("event-processor-3.2.0.xml")
            .replacingOccurrences(of: "<mode name=\"Single\" enable=\"true\">", with: "<mode name=\"Single\" enable=\"false\">")
            .replacingOccurrences(of: "<mode name=\"HA\" enable=\"false\">", with: "<mode name=\"HA\" enable=\"true\">")
            .replacingOccurrences(of: "<worker enable=\"true\"/>\n            <presenter enable=\"false\"/>",
                                  with: "<worker enable=\"\(worker)\"/>\n            <presenter enable=\"\(presenter)\"/>")
    }

    private func carbon(_ offset: String) -> String {
        "<Server xmlns=\"http://wso2.org/projects/carbon/carbon.xml\"><Ports><Offset>\(offset)</Offset></Ports></Server>\n"
    }

    /// A scratch DAS home with these files (carbon.xml at offset 0 unless given).
    private func home(carbon: String? = nil, carbonData: Data? = nil, eventProcessor: String? = nil,
                      axis2: String? = nil) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("das-home-xml-\(UUID())")
        let conf = root.appendingPathComponent("repository/conf")
        try FileManager.default.createDirectory(at: conf.appendingPathComponent("axis2"), withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        try (carbonData ?? Data((carbon ?? self.carbon("0")).utf8)).write(to: conf.appendingPathComponent("carbon.xml"))
        if let eventProcessor { try Data(eventProcessor.utf8).write(to: conf.appendingPathComponent("event-processor.xml")) }
        if let axis2 { try Data(axis2.utf8).write(to: conf.appendingPathComponent("axis2/axis2.xml")) }
        return root.path
    }
}
