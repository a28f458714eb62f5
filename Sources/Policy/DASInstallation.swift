import Foundation

/// Reads the policy facts a DAS installation states about itself (`--das-home`):
/// - `repository/conf/carbon.xml`: the port offset (`<Ports><Offset>`), required;
/// - carbon.xml's other ports, data-bridge-config.xml, catalina-server.xml, etc/jmx.xml:
///   the ports the installation moves, and whether JMX runs (`InstallationPorts`);
/// - `repository/conf/analytics/spark/spark-defaults.conf` (SparkDefaults.swift): the Spark
///   mode (with axis2.xml's clustering), cores, `spark.port.maxRetries` and any moved `spark.*.port`;
/// - `repository/conf/event-processor.xml`: whether HA is on and its three ports;
/// - `repository/conf/axis2/axis2.xml`: whether Carbon clustering (Hazelcast) is on, and
///   its `localMemberPort`.
public enum DASInstallation {
    public static let carbonXML = "repository/conf/carbon.xml"
    public static let sparkDefaults = "repository/conf/analytics/spark/spark-defaults.conf"
    public static let eventProcessorXML = "repository/conf/event-processor.xml"
    public static let axis2XML = "repository/conf/axis2/axis2.xml"

    /// The offsets said outside the installation: `commandLine`, `--offset`, wins over
    /// carbon.xml's as `-DportOffset` does in DAS, so the node runs with it; `policyFile`,
    /// a policy file's `offset:`, stands when carbon.xml's is a `${…}` placeholder DAS fills
    /// in at start-up. Either makes such a placeholder readable, and the offset the node
    /// runs with is what jmx.xml's plain port numbers, which Carbon binds as they are, are
    /// stored against (`InstallationPorts`).
    public static func read(home: String, commandLineOffset: Int? = nil, policyFileOffset: Int? = nil) throws -> PolicySettings {
        try InstallationFolder.check(home)
        var settings = PolicySettings()
        // Missing optional files keep the defaults; files that exist but cannot be read
        // (permissions, a directory, a FIFO) are errors: ConfigurationFile tells them apart.
        let carbonPath = (home as NSString).appendingPathComponent(carbonXML)
        guard let carbon = try ConfigurationFile.read(carbonPath, required: false) else {
            throw PolicyError(source: carbonPath, message: "missing: is \(home.escapedForMessage) a DAS installation?")
        }
        let offset = try offset(carbon, source: carbonPath, filledIn: commandLineOffset != nil || policyFileOffset != nil,
                                notes: &settings.installationNotes)
        if let offset {
            settings.offset = offset.value
            settings.origins["offset"] = SettingOrigin(source: carbonPath, line: offset.line)
        }
        let running = commandLineOffset ?? offset?.value ?? policyFileOffset ?? 0
        try InstallationPorts.apply(home: home, carbon: carbon, carbonPath: carbonPath, offset: running, to: &settings)

        let eventPath = (home as NSString).appendingPathComponent(eventProcessorXML)
        if let data = try ConfigurationFile.read(eventPath, required: false) {
            try applyEventProcessor(data, source: eventPath, to: &settings)
        }
        let axis2Path = (home as NSString).appendingPathComponent(axis2XML)
        if let data = try ConfigurationFile.read(axis2Path, required: false) {
            try applyAxis2(data, source: axis2Path, to: &settings)
        }
        // After axis2.xml: with Carbon clustering on, `local` is DAS's own Spark cluster.
        let sparkPath = (home as NSString).appendingPathComponent(sparkDefaults)
        if let data = try ConfigurationFile.read(sparkPath, required: false) {
            try applySparkDefaults(String(decoding: data, as: UTF8.self), source: sparkPath, to: &settings)
        }
        return settings
    }

    /// `<Server><Ports><Offset>N</Offset>` (default namespace ignored) and its line; nil
    /// when it is a `${…}` placeholder, empty or missing and another source `filledIn`.
    ///
    /// A missing element, and an empty one (`<Offset></Offset>`, `<Offset/>`, spaces only),
    /// are no value to Carbon: `ServerConfiguration.readChildElements` keeps only elements
    /// with text, so `getFirstProperty("Ports.Offset")` is null, and the node starts only
    /// with `-DportOffset=N` (`CarbonBaseActivator` sets the `portOffset` system property
    /// from it, and a null one stops the start with a NullPointerException). Either is read
    /// as offset 0, with a note that says so and asks for `--offset`: a node that runs has
    /// been given an offset dasaudit cannot see.
    static func offset(_ data: Data, source: String, filledIn: Bool = false,
                       notes: inout [InstallationNote]) throws -> (value: Int, line: Int?)? {
        let root = try XMLElementTree.parse(data, source: source)
        guard let element = root.first(["Ports", "Offset"]) else {
            if filledIn { return nil }
            notes.append(noOffsetNote("is missing", origin: SettingOrigin(source: source, line: root.first(["Ports"])?.line)))
            return (0, nil)
        }
        if CarbonPlaceholder.isPlaceholder(element.trimmedText) {
            if filledIn { return nil }
            throw PolicyError(source: source, line: element.line, message: CarbonPlaceholder.offsetProblem(element.trimmedText))
        }
        if element.trimmedText.isEmpty {
            if filledIn { return nil }
            notes.append(noOffsetNote("is empty", origin: SettingOrigin(source: source, line: element.line)))
            return (0, element.line)
        }
        guard let value = Int(element.trimmedText), (0...Policy.offsetCeiling).contains(value) else {
            throw PolicyError(source: source, line: element.line, message: "<Ports><Offset> is '\(element.trimmedText.escapedForMessage)'; expected a whole number from 0 to \(Policy.offsetCeiling)")
        }
        return (value, element.line)
    }

    /// The note for a carbon.xml whose `<Ports><Offset>` gives Carbon no value (`what`:
    /// "is empty", "is missing"), said where it was read.
    private static func noOffsetNote(_ what: String, origin: SettingOrigin) -> InstallationNote {
        InstallationNote(origin: origin, text:
            "<Ports><Offset> \(what), which Carbon reads as no offset at all: the node starts only when -DportOffset=N "
            + "gives one (without it, Carbon stops at start-up with a NullPointerException setting portOffset); "
            + "dasaudit takes offset 0: give the node's -DportOffset with --offset N")
    }

    /// The mode DAS picks from event-processor.xml (`EventProcessorMode`): HA on or off,
    /// and the ports of the HA servers this node starts.
    static func applyEventProcessor(_ data: Data, source: String, to settings: inout PolicySettings) throws {
        let mode = try EventProcessorMode(root: XMLElementTree.parse(data, source: source), source: source)
        settings.features[.ha] = mode.isHA
        if let note = mode.distributedNote { settings.installationNotes.append(note) }
        settings.origins["features.ha"] = SettingOrigin(source: source, line: mode.line)
        settings.unboundKeys.formUnion(mode.unboundKeys)
        for (element, key, port) in mode.boundPorts {
            guard let port else { continue }
            guard let value = UInt16(port.trimmedText), value > 0 else {
                throw PolicyError(source: source, line: port.line, message: "<\(element)><port> is '\(port.trimmedText.escapedForMessage)'; expected a port from 1 to 65535")
            }
            settings.basePorts[key] = value
            settings.origins["ports.\(key)"] = SettingOrigin(source: source, line: port.line)
        }
    }

    /// `<clustering class="...HazelcastClusteringAgent" enable="…">`: the `clustering`
    /// feature on or off and, when on, its `<parameter name="localMemberPort">` (Hazelcast's
    /// base port) and how the members find each other (`membershipScheme`, `mcastPort`).
    static func applyAxis2(_ data: Data, source: String, to settings: inout PolicySettings) throws {
        let root = try XMLElementTree.parse(data, source: source)
        guard let clustering = root.all("clustering").first else { return }
        let enabled = Axis2Switch.isEnabled(clustering)
        settings.features[.clustering] = enabled
        settings.origins["features.clustering"] = SettingOrigin(source: source, line: clustering.line)
        guard enabled else { return }
        let parameters = clustering.all("parameter")
        let parameter = { (name: String) in parameters.first { $0.attributes["name"] == name } }
        if let port = parameter("localMemberPort") {
            settings.basePorts[Catalog.hazelcastMemberKey] = try axis2Port(port, named: "localMemberPort", source: source)
            settings.origins["ports.\(Catalog.hazelcastMemberKey)"] = SettingOrigin(source: source, line: port.line)
        }
        // As Carbon's HazelcastClusteringAgent: no scheme is multicast, and no mcastPort
        // leaves Hazelcast's own. Any other scheme (wka, aws, kubernetes) finds members over TCP.
        let scheme = parameter("membershipScheme")
        if scheme == nil || scheme?.trimmedText == "multicast" {
            let port = try parameter("mcastPort").map { try axis2Port($0, named: "mcastPort", source: source) }
            settings.hazelcastMembership = .multicast(port: port ?? HazelcastMembership.hazelcastDefaultMulticastPort)
        } else {
            settings.hazelcastMembership = .wellKnownAddresses
        }
        settings.origins["membership"] = SettingOrigin(source: source, line: scheme?.line ?? clustering.line)
    }

    /// A `<parameter>` of axis2.xml's clustering that holds a port.
    private static func axis2Port(_ parameter: XMLElementTree, named name: String, source: String) throws -> UInt16 {
        guard let value = UInt16(parameter.trimmedText), value > 0 else {
            throw PolicyError(source: source, line: parameter.line, message: "<parameter name=\"\(name)\"> is "
                + "'\(parameter.trimmedText.escapedForMessage)'; expected a port from 1 to 65535")
        }
        return value
    }
}
