extension PolicyInference {
    /// Every client-to-server dependency a draft saw, each once, sorted by client, server
    /// and port: a collection of `Dependency` values made as they are read. A million
    /// clients (`dasaudit-gen --preset services`, ten million packets) are a million
    /// dependencies; kept as values of two strings, a port and a key, sorted with a copy
    /// beside them, they took the draft 76 MB past the audit's own memory. Each is kept as
    /// its client and the place of its server among the servers (24 bytes), and the
    /// server's address, port and key once per server.
    public struct Dependencies: RandomAccessCollection, Equatable, Sendable {
        /// A client of the server at `server` in `servers`.
        private struct Use: Equatable, Sendable {
            var client: String
            var server: Int32
        }

        private var uses: [Use]
        /// The servers, sorted by address text and port, each once.
        private var servers: [(address: String, port: UInt16, key: String?)]

        /// The dependencies of `services`' clients on them (a client that is its service's
        /// own host is none), with `key(service)` the catalog key of each service's port.
        init(_ services: [Service], key: (Service) -> String?) {
            // The servers in order, a service listed twice one server; their places are
            // what the dependencies sort by after the client, as (address, port) would.
            let order = services.indices.sorted { (services[$0].address, services[$0].port) < (services[$1].address, services[$1].port) }
            var serverOfService = [Int32](repeating: 0, count: services.count)
            servers = []
            for index in order {
                let service = services[index]
                if let last = servers.last, last.address == service.address, last.port == service.port {
                    serverOfService[index] = Int32(servers.count - 1)
                } else {
                    serverOfService[index] = Int32(servers.count)
                    servers.append((service.address, service.port, key(service)))
                }
            }
            uses = []
            uses.reserveCapacity(services.reduce(0) { $0 + $1.clients.count })
            for (index, service) in services.enumerated() {
                for client in service.clients where client != service.address {
                    uses.append(Use(client: client, server: serverOfService[index]))
                }
            }
            // Sorted, then rid of repeats (a service listed twice, a client listed twice).
            uses.sort { ($0.client, $0.server) < ($1.client, $1.server) }
            var kept = 0
            for index in uses.indices where kept == 0 || uses[kept - 1] != uses[index] {
                uses[kept] = uses[index]
                kept += 1
            }
            uses.removeSubrange(kept...)
        }

        public var startIndex: Int { uses.startIndex }
        public var endIndex: Int { uses.endIndex }

        public subscript(position: Int) -> Dependency {
            let use = uses[position]
            let server = servers[Int(use.server)]
            return Dependency(client: use.client, server: server.address, port: server.port, key: server.key)
        }

        public static func == (lhs: Dependencies, rhs: Dependencies) -> Bool { lhs.elementsEqual(rhs) }
    }
}
