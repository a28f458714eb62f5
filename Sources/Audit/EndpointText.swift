/// "address:port", with an IPv6 address in brackets (`[::1]:7079`) as in a URL, as
/// `Endpoint.description` writes it: how results and reports name a service endpoint
/// (`PortScanSummary.openPorts`, the reports' tables).
public func endpointText(_ address: String, _ port: UInt16) -> String {
    address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)"
}

extension ServiceSummary {
    /// "address:port", with IPv6 addresses in brackets.
    public var endpoint: String { endpointText(address, port) }
}
