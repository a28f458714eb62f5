/// Ports a node's roles need whose key is at 0: Spark's "any free port", picked anew at
/// every start. Stock Spark leaves the driver's RPC, the block managers' and the worker's
/// RPC there unless the configuration pins them (the `spark` profile's keys at 0, or a
/// DAS installation's key set to 0 under offset 0), so no expected opening names them and
/// no firewall rule can open them: the rules say so, since connections to them are
/// dropped, and those of the driver and the block managers are what every job needs.
extension Policy {
    /// The catalog entries `node` (nil: any host) would open but for their port being 0, in
    /// catalog order. `spark.driver.blockManager.port` at 0 is left out when
    /// `spark.blockManager.port` is pinned: the driver's block manager then takes that port.
    public func randomEntries(on node: Node?) -> [CatalogEntry] {
        let blockManagerPinned = catalog.contains { $0.key == "spark.blockManager.port" && $0.port(offset: offset) != 0 }
        return catalog.filter { entry in
            groups.contains(entry.group) && entry.modes.contains(mode) && featureKeepingOut(entry) == nil
                && (node?.plays(any: entry.roles) ?? true) && entry.port(offset: offset) == 0
                && !(entry.key == "spark.driver.blockManager.port" && blockManagerPinned)
        }
    }
}
