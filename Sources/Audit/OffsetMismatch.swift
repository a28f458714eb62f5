import Policy
import Wire

/// A host whose service ports all fit another offset: a declared node, over all its
/// addresses, or an address no node declares.
///
/// By node, not by address: a dual-stack node (`[fd00::2, 10.0.0.2]`) configured with a
/// wrong offset serves some of its ports on one address and some on the other, and each
/// address alone may show a single moved port, too few to name an offset (two must
/// agree). Until December 5, 2026 services were grouped by address, so such a node got
/// one `unexpected-port` finding per port and no offset-mismatch at all. A node declared
/// with a CIDR block stays grouped by address: a block may be many hosts, each with its
/// own configuration.
struct OffsetMismatch: Hashable {
    let offset: Int
    let ports: [UInt16]
    /// The addresses its services were seen on, in address order (at least one).
    let addresses: [IPAddress]
    /// The declared node they belong to, if any.
    let node: Node?

    /// Hosts (`OffsetMismatch`) with at least one service the policy does not explain,
    /// whose ports all fit one other offset, by each of the host's addresses (a node's
    /// addresses all name its one mismatch).
    static func find(in services: [ClassifiedService], policy: Policy) -> [IPAddressKey: OffsetMismatch] {
        let fit = OffsetFit(policy: policy)
        // Nodes grouped over their addresses: those declared by single addresses only.
        var nodeNumbers: [String: Int] = [:]
        for (number, node) in policy.nodes.enumerated() where node.addresses.allSatisfy(\.isSingleAddress) {
            nodeNumbers[node.name] = number
        }
        /// A service's host: its node's number, or (no node, or one declared by a block)
        /// past every node's, then its address.
        func group(_ index: Int) -> Int { services[index].node.flatMap { nodeNumbers[$0.name] } ?? Int.max }
        var result: [IPAddressKey: OffsetMismatch] = [:]
        // Each host's services as a run of indices: no service is copied.
        let order = services.indices.sorted {
            (group($0), services[$0].endpoint.address) < (group($1), services[$1].endpoint.address)
        }
        var start = order.startIndex
        while start < order.endIndex {
            let first = order[start], host = group(first)
            var end = start
            while end < order.endIndex, group(order[end]) == host,
                  host != Int.max || services[order[end]].endpoint.address == services[first].endpoint.address { end += 1 }
            let hosted = order[start..<end]
            defer { start = end }
            guard hosted.contains(where: { !services[$0].verdict.isExplained }) else { continue }
            let ports = Set(hosted.map { services[$0].endpoint.port })
            guard let offset = fit.offset(explaining: ports) else { continue }
            // In address order already (the run is sorted by address): neighbours alike are one.
            var addresses: [IPAddress] = []
            for index in hosted where addresses.last != services[index].endpoint.address {
                addresses.append(services[index].endpoint.address)
            }
            let mismatch = OffsetMismatch(offset: offset, ports: ports.sorted(), addresses: addresses,
                                          node: services[first].node)
            for address in addresses { result[address] = mismatch }
        }
        return result
    }
}
