import Audit
import Foundation
import Policy

/// The JSON form of `dasaudit ports`: the expected openings per scope (a declared node, or
/// every host), each with what the firewall rules make of it (`exposure`).
public struct ExpectedPortsDocument: Encodable {
    public struct Opening: Encodable {
        public var ports: String
        public var key: String
        public var group: String
        public var shifted: Bool
        public var normallyBound: Bool
        /// `cluster` (the nodes only) or `clients` (any source): what the firewall rules allow.
        public var exposure: String
        public var summary: String
        /// What the port speaks (docs/protocols.md); absent where the catalog states nothing.
        public var `protocol`: String?
    }

    public struct Scope: Encodable {
        /// The declared node; absent when the policy declares none.
        public var node: String?
        public var openings: [Opening]
    }

    public var profile: String
    public var offset: Int
    public var mode: String
    public var cores: Int
    /// Absent when the policy has no executor band (the `spark` profile, unpinned).
    public var executorBand: String?
    public var scopes: [Scope]

    public init(policy: Policy, openings: ExpectedOpenings) {
        profile = policy.profileName
        offset = policy.offset
        mode = policy.mode.rawValue
        cores = policy.coresPerNode
        executorBand = policy.executorBand?.description
        scopes = openings.scopes.map { scope in
            Scope(node: scope.node?.name, openings: scope.openings.map {
                Opening(ports: $0.ports.portText, key: $0.key, group: $0.group.rawValue, shifted: $0.shifted,
                        normallyBound: $0.normallyBound, exposure: $0.exposure.rawValue, summary: $0.summary,
                        protocol: policy.expectedProtocol(of: $0)?.name)
            })
        }
    }

    /// The document as pretty-printed JSON, keys in snake_case and sorted, as results are
    /// written (`ResultCoding`).
    public func render() throws -> String {
        String(decoding: JSONInvisibles.escaped(try ResultCoding.encoder().encode(self)), as: UTF8.self) + "\n"
    }
}
