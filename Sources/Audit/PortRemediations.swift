/// The remediation of an `unexpected-port` finding, made once per port and shared by the
/// findings on that port: a capture with tens of thousands of unexpected services has
/// them on far fewer distinct ports across its hosts, and each text is about 150 bytes.
struct PortRemediations {
    private var unexpectedPorts: [UInt16: String] = [:]

    /// What to do about an unexpected service on `port`.
    mutating func unexpectedPort(_ port: UInt16) -> String {
        if let made = unexpectedPorts[port] { return made }
        let made = """
            Find the process listening there (ss -ltnp 'sport = :\(port)'); stop it, \
            pin it to a catalog port, or allow the port in the policy with a reason.
            """
        unexpectedPorts[port] = made
        return made
    }
}
