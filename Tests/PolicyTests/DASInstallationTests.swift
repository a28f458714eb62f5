import Foundation
import Policy
import XCTest

/// Reads a realistic DAS 3.1 configuration tree (Tests/Fixtures/das-home).
final class DASInstallationTests: XCTestCase {
    let home = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/das-home").path

    func testTheInstallationStatesOffsetModeCoresAndPorts() throws {
        let settings = try DASInstallation.read(home: home)
        XCTAssertEqual(settings.offset, 3, "carbon.xml <Ports><Offset> under its default namespace")
        XCTAssertEqual(settings.mode, .cluster, "carbon.spark.master carbon")
        XCTAssertEqual(settings.cores, 2, "spark.worker.cores")
        XCTAssertEqual(settings.portRetries, 10, "spark.port.maxRetries")
        XCTAssertEqual(settings.basePorts["spark.driver.port"], 13100)
        XCTAssertEqual(settings.basePorts["ha.management.port"], 10105, "event-processor.xml <management><port>")
        XCTAssertEqual(settings.features[.ha], true)
    }

    func testThePolicyFromTheInstallationShiftsTheConfiguredPorts() throws {
        var settings = try DASInstallation.read(home: home)
        settings.profile = "das-3.1"
        let policy = try settings.makePolicy()
        XCTAssertEqual(policy.expectedEntries(at: 13103).map(\.key), ["spark.driver.port"])
        XCTAssertEqual(policy.expectedEntries(at: 13104).map(\.key), ["sparkDriverActorSystem"], "driver port + 1")
        XCTAssertEqual(policy.expectedEntries(at: 10108).map(\.key), ["ha.management.port"])
        XCTAssertEqual(policy.executorBand, PortRange(12003, 12013))
    }

    func testThePortOffsetOptionWinsOverCarbonXML() throws {
        var commandLine = PolicySettings()
        commandLine.offset = 7
        let policy = try DASInstallation.read(home: home).overlaid(with: commandLine).makePolicy()
        XCTAssertEqual(policy.offset, 7)
    }

    func testHADisabledDropsTheHAPorts() throws {
        let directory = try scratchHome(carbon: "<Server><Ports><Offset>1</Offset></Ports></Server>",
                                        eventProcessor: "<c><mode name=\"HA\" enable=\"false\"/></c>")
        let policy = try DASInstallation.read(home: directory).makePolicy()
        XCTAssertEqual(policy.features[.ha], false)
        XCTAssertEqual(policy.expectedEntries(at: 10006), [], "ha.management.port")
        XCTAssertEqual(policy.expectedEntries(at: 11225), [], "ha.eventSync.port")
        XCTAssertEqual(policy.offset, 1)
    }

    func testBrokenFilesAreNamed() throws {
        let noCarbon = try scratchHome(carbon: nil, eventProcessor: nil)
        XCTAssertThrowsError(try DASInstallation.read(home: noCarbon)) { error in
            XCTAssertTrue("\(error)".hasSuffix("repository/conf/carbon.xml: missing: is \(noCarbon) a DAS installation?"), "\(error)")
        }
        let badOffset = try scratchHome(carbon: "<Server><Ports><Offset>two</Offset></Ports></Server>", eventProcessor: nil)
        XCTAssertThrowsError(try DASInstallation.read(home: badOffset)) { error in
            XCTAssertTrue("\(error)".contains("<Ports><Offset> is 'two'"), "\(error)")
        }
        let notXML = try scratchHome(carbon: "<Server><Ports>", eventProcessor: nil)
        XCTAssertThrowsError(try DASInstallation.read(home: notXML)) { error in
            XCTAssertTrue("\(error)".contains("carbon.xml"), "\(error)")
            XCTAssertTrue("\(error)".contains("not well-formed XML"), "\(error)")
        }
        XCTAssertThrowsError(try DASInstallation.read(home: "/nonexistent")) { error in
            XCTAssertTrue("\(error)".hasPrefix("/nonexistent: does not exist"), "\(error)")
        }
    }

    func testAxis2SaysWhetherClusteringIsOnAndItsMemberPort() throws {
        let directory = try scratchHome(carbon: "<Server><Ports><Offset>1</Offset></Ports></Server>", eventProcessor: nil)
        let axis2 = URL(fileURLWithPath: directory).appendingPathComponent("repository/conf/axis2")
        try FileManager.default.createDirectory(at: axis2, withIntermediateDirectories: true)
        let file = axis2.appendingPathComponent("axis2.xml")
        try Data("""
        <axisconfig name="AxisJava2.0">
            <clustering class="org.wso2.carbon.core.clustering.hazelcast.HazelcastClusteringAgent"
                        enable="true">
                <parameter name="membershipScheme">wka</parameter>
                <parameter name="localMemberPort">4100</parameter>
            </clustering>
        </axisconfig>
        """.utf8).write(to: file)
        let settings = try DASInstallation.read(home: directory)
        XCTAssertEqual(settings.features[.clustering], true)
        XCTAssertEqual(settings.origins["ports.hazelcast.localMemberPort"]?.line, 5)
        let policy = try settings.makePolicy()
        let hazelcast = policy.catalog.first { $0.key == "hazelcast.localMemberPort" }!
        XCTAssertEqual(policy.ports(of: hazelcast).lowerBound, 4100, "moved, and never shifted by the offset")
        XCTAssertTrue(policy.mustBeBound(hazelcast), "clustering on: an unused member port is drift")

        try Data("<axisconfig><clustering enable=\"true\"><parameter name=\"localMemberPort\">40x0</parameter></clustering></axisconfig>"
            .utf8).write(to: file)
        XCTAssertThrowsError(try DASInstallation.read(home: directory)) { error in
            XCTAssertEqual("\(error)", "\(file.path):1: <parameter name=\"localMemberPort\"> is '40x0'; expected a port from 1 to 65535")
        }
        try Data("<axisconfig><clustering enable=\"false\"/></axisconfig>".utf8).write(to: file)
        let off = try DASInstallation.read(home: directory).makePolicy()
        XCTAssertEqual(off.expectedEntries(at: 4000), [], "clustering off: no Hazelcast")
    }

    /// How the members find each other, as Carbon's HazelcastClusteringAgent reads it: no
    /// `membershipScheme` is multicast, no `mcastPort` leaves Hazelcast's 54327, and any
    /// scheme but `multicast` (wka, aws, kubernetes) finds them over TCP.
    func testAxis2SaysHowTheMembersFindEachOther() throws {
        let directory = try scratchHome(carbon: "<Server><Ports><Offset>1</Offset></Ports></Server>", eventProcessor: nil)
        let axis2 = URL(fileURLWithPath: directory).appendingPathComponent("repository/conf/axis2")
        try FileManager.default.createDirectory(at: axis2, withIntermediateDirectories: true)
        let file = axis2.appendingPathComponent("axis2.xml")
        let cases: [(parameters: String, membership: HazelcastMembership)] = [
            ("<parameter name=\"membershipScheme\"> multicast </parameter><parameter name=\"mcastPort\">45564</parameter>",
             .multicast(port: 45564)),
            ("<parameter name=\"mcastPort\">45570</parameter>", .multicast(port: 45570)),
            ("", .multicast(port: 54327)),
            ("<parameter name=\"membershipScheme\">wka</parameter><parameter name=\"mcastPort\">45564</parameter>",
             .wellKnownAddresses),
            ("<parameter name=\"membershipScheme\">kubernetes</parameter>", .wellKnownAddresses),
        ]
        for (parameters, membership) in cases {
            try Data("<axisconfig><clustering enable=\"true\">\(parameters)</clustering></axisconfig>".utf8).write(to: file)
            XCTAssertEqual(try DASInstallation.read(home: directory).makePolicy().hazelcastMembership, membership, parameters)
        }
        try Data("<axisconfig><clustering enable=\"true\"><parameter name=\"mcastPort\">0</parameter></clustering></axisconfig>"
            .utf8).write(to: file)
        XCTAssertThrowsError(try DASInstallation.read(home: directory)) { error in
            XCTAssertEqual("\(error)", "\(file.path):1: <parameter name=\"mcastPort\"> is '0'; expected a port from 1 to 65535")
        }
        // DAS 3.2.0's own file, clustering switched on as an operator does: multicast on 45564.
        let stock = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/das-stock-conf/axis2-3.2.0.xml"), encoding: .utf8)
        let enabled = stock.replacingOccurrences(of: "enable=\"false\">\r\n\r\n        <!--\r\n           This parameter indicates",
                                                 with: "enable=\"true\">\r\n\r\n        <!--\r\n           This parameter indicates")
        XCTAssertNotEqual(enabled, stock)
        try Data(enabled.utf8).write(to: file)
        XCTAssertEqual(try DASInstallation.read(home: directory).makePolicy().hazelcastMembership, .multicast(port: 45564))
    }

    private func scratchHome(carbon: String?, eventProcessor: String?) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("das-home-\(UUID())")
        let conf = root.appendingPathComponent("repository/conf")
        try FileManager.default.createDirectory(at: conf, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        if let carbon { try Data(carbon.utf8).write(to: conf.appendingPathComponent("carbon.xml")) }
        if let eventProcessor { try Data(eventProcessor.utf8).write(to: conf.appendingPathComponent("event-processor.xml")) }
        return root.path
    }
}
