/// What event-processor.xml makes a DAS node do, read the way DAS reads it
/// (`ManagementModeConfigurationLoader` and `CarbonEventManagementService`, in
/// carbon-analytics-common 5.0.8, 5.1.3 and 5.1.37 alike; docs/ports.md has the lines):
///
/// - DAS takes the **first** `<mode>` whose `enable` is `true` (any case), in document
///   order, and is in HA mode only when that mode's `name` is `HA` (any case). The stock
///   3.0.1 and 3.2.0 files put `SingleNode`/`Single` on before HA, so turning HA on alone
///   leaves the node in single-node mode;
/// - in HA mode, `<nodeType><worker enable>` and `<presenter enable>` decide which servers
///   start: a worker binds `eventSync` and `management` (the snapshot server), a presenter
///   that is not a worker binds `presentation`, and a node that is neither binds none;
/// - a port is read only for a server that starts: DAS never reads the others;
/// - the Distributed mode (Storm, `ManagementModeConfigurationLoader.getDistributedConfiguration`)
///   is not HA, and its ports are in no catalog: `distributedNote` names them.
struct EventProcessorMode {
    /// Whether the node runs in HA mode.
    var isHA: Bool
    /// The line that decided it: the first enabled `<mode>` (nil when none is enabled).
    var line: Int?
    /// HA catalog keys the node binds, each with its element of event-processor.xml and
    /// that element's `<port>` (nil when absent: DAS then binds the key's default).
    var boundPorts: [(element: String, key: String, port: XMLElementTree?)]

    /// When the node runs the Distributed mode: the ports it opens beyond the catalog.
    var distributedNote: InstallationNote?

    /// Every HA catalog key, with the element of event-processor.xml that configures it.
    static let haKeys: [(element: String, key: String)] = [
        ("eventSync", "ha.eventSync.port"), ("management", "ha.management.port"), ("presentation", "ha.presenter.port"),
    ]

    /// The mode DAS picks from the document root, or an error when a `<mode>` DAS reads
    /// before the enabled one lacks `name` or `enable` (DAS refuses the file then).
    init(root: XMLElementTree, source: String) throws {
        var chosen: XMLElementTree?
        for mode in root.all("mode") {
            guard mode.attributes["name"] != nil, let enable = mode.attributes["enable"] else {
                throw PolicyError(source: source, line: mode.line, message: "<mode> without a name or enable attribute; "
                    + "DAS refuses the file (ManagementModeConfigurationLoader)")
            }
            if enable.lowercased() == "true" {
                chosen = mode
                break
            }
        }
        line = chosen?.line
        guard let chosen, chosen.attributes["name"]?.lowercased() == "ha" else {
            isHA = false
            boundPorts = []
            if let chosen, chosen.attributes["name"]?.lowercased() == "distributed" {
                distributedNote = Self.distributedNote(chosen, source: source)
            }
            return
        }
        isHA = true
        func isOn(_ role: String) -> Bool {
            chosen.first(["nodeType", role])?.attributes["enable"]?.lowercased() == "true"
        }
        let worker = isOn("worker")
        let presenter = isOn("presenter")
        let bound: Set<String> = worker ? ["eventSync", "management"] : presenter ? ["presentation"] : []
        boundPorts = Self.haKeys.filter { bound.contains($0.element) }.map { element, key in
            (element, key, chosen.first([element, "port"]))
        }
    }

    /// The HA keys the node does not bind although HA is on.
    var unboundKeys: Set<String> {
        guard isHA else { return [] }
        return Set(Self.haKeys.map(\.key)).subtracting(boundPorts.map(\.key))
    }

    /// The note for a node in the Distributed mode, naming the ports it opens as
    /// carbon-analytics-common's loader reads them (5.0.8 to 5.1.37; `DistributedConfiguration`
    /// adds no port offset to any): `<nodeType><manager enable="true">`'s `<port>` (8904 in
    /// the stock file), the Storm manager service; `<presenter enable="true">`'s `<port>`
    /// (11000), the presenter server `CarbonEventManagementService` starts; and for a
    /// `<worker enable="true"/>`, the event listeners of the Storm receivers and CEP
    /// publishers, in `<transport><portRange>` `<min>`-`<max>` (15000-15100).
    static func distributedNote(_ mode: XMLElementTree, source: String) -> InstallationNote {
        func isOn(_ role: String) -> XMLElementTree? {
            mode.first(["nodeType", role]).flatMap { $0.attributes["enable"]?.lowercased() == "true" ? $0 : nil }
        }
        func text(_ element: XMLElementTree?, _ stock: String) -> String {
            element.map { $0.trimmedText.escapedForMessage } ?? stock
        }
        var opened: [String] = []
        if let manager = isOn("manager") { opened.append("the Storm manager service on \(text(manager.first(["port"]), "8904"))") }
        if let presenter = isOn("presenter") { opened.append("the presenter on \(text(presenter.first(["port"]), "11000"))") }
        if isOn("worker") != nil {
            let range = mode.first(["transport", "portRange"])
            opened.append("event listeners in the transport port range \(text(range?.first(["min"]), "15000"))-"
                + "\(text(range?.first(["max"]), "15100"))")
        }
        let ports = opened.isEmpty ? "no server of its own (no <nodeType> role is enabled)"
            : opened.joined(separator: ", ") + ", as the file gives them (no port offset is added)"
        return InstallationNote(origin: SettingOrigin(source: source, line: mode.line), text:
            "the Distributed mode (event processing on Storm) is the first mode enabled, so HA is off and this node opens "
            + ports + "; no catalog port is one of them, so dasaudit does not expect them: allow the ones the node uses "
            + "with `allow:` in a policy file")
    }
}
