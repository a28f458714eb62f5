import Protocols

extension ProtocolFindings {
    /// How a protocol finding names the port: its catalog key, "an allowed port", and, when
    /// the policy's `allow:` entry states another protocol than the catalog's, that the
    /// policy said so ("thrift.tcp.port (allowed as tls in the policy)"), so the message
    /// never says a catalog port speaks what only this site's policy says.
    func portName(for service: ClassifiedService) -> String {
        guard let key = service.verdict.catalogKey else {
            return service.verdict.classification == .allowed ? "an allowed port" : "a catalog port"
        }
        guard let allowed = policy.allowedProtocols[service.endpoint.port], allowed != policy.expectedProtocol(key: key) else {
            return key
        }
        return "\(key) (allowed as \(allowed.name) in the policy)"
    }
}
