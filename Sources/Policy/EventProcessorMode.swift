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
/// - a port is read only for a server that starts: DAS never reads the others.
struct EventProcessorMode {
    /// Whether the node runs in HA mode.
    var isHA: Bool
    /// The line that decided it: the first enabled `<mode>` (nil when none is enabled).
    var line: Int?
    /// HA catalog keys the node binds, each with its element of event-processor.xml and
    /// that element's `<port>` (nil when absent: DAS then binds the key's default).
    var boundPorts: [(element: String, key: String, port: XMLElementTree?)]

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
}
