import Policy
import Wire

/// The node and the address text of the host of a service, remembered for the next
/// service: the auditor classifies services in endpoint order, so a host's services are
/// neighbours (hundreds of ports on one host on a port-scan-like capture), and its node
/// (a walk over the policy's nodes) and its text are found once per host, not per service.
struct HostOfServices {
    let policy: Policy
    private var last: (address: IPAddress, node: Node?, text: String)?

    init(policy: Policy) {
        self.policy = policy
    }

    /// `policy.node(for: address)` and `address`'s text (`AddressText`).
    mutating func nodeAndText(of address: IPAddress) -> (node: Node?, text: String) {
        if let last, last.address == address { return (last.node, last.text) }
        let found = (node: policy.node(for: address), text: AddressText.of(address))
        last = (address, found.node, found.text)
        return found
    }
}
