import Flows
import Wire

extension ResultMerger {
    /// The address translations the merged results name (each input's `translated`), and
    /// the connections other capture points saw before one of them, matched to the view
    /// the translating host audited (docs/merge.md, "Address translation between capture
    /// points").
    ///
    /// Why: a host that publishes a container's port audits each connection to it once, as
    /// it reached the container (10.28.20.2:9443), and names the published front it was
    /// addressed at (`10.28.0.1:19443 -> 10.28.20.2:9443`). The client's host captured the
    /// same connection at the front. The two sightings share the client's initial sequence
    /// number but not their endpoints, so they were never matched: the connection counted
    /// twice, and the front was audited as a service nothing listens on (an unexpected
    /// port, high).
    ///
    /// How: a sighting with an endpoint some input names as a translation's front (a server
    /// endpoint before destination translation, or a client address before masquerade) takes
    /// the endpoints of its *counterpart*: a sighting at another capture point with the same
    /// client initial sequence number whose endpoints are the front's translated (the server
    /// a translation of the front's, or the same; the client the same, a translation of the
    /// front's address, or, when the server was translated, any: a NodePort masquerades as it
    /// forwards). With several distinct counterparts it is left as it was. Without one (no
    /// handshake captured, or the translating host did not capture it), a front server
    /// endpoint with a single known translation takes that server, unless the sighting's own
    /// capture point named the translation: that point audited the translated view itself,
    /// and what it kept at the front was not translated there. A masqueraded client without a
    /// counterpart keeps its address (the port it left with is unknown). The sightings are
    /// matched after each point's windows are joined, so a later window's piece, without
    /// the handshake, goes with its first piece's.
    struct KnownTranslations {
        /// Per front server endpoint: the server endpoints its connections reached, sorted.
        private(set) var servers: [Endpoint: [Endpoint]] = [:]
        /// Per client address before masquerade: the addresses its connections left with.
        private(set) var clients: [IPAddress: Set<IPAddress>] = [:]
        /// Per front server endpoint: the capture points whose inputs named its translation.
        private(set) var namedAt: [Endpoint: Set<String>] = [:]

        /// The translations named by every input of `results` (a result's own point named
        /// as in `merge`: `names` for a result from before capture points). Names that do
        /// not parse, and `other`, are left out.
        init(_ results: [AuditResult], names: [String]) {
            var servers: [Endpoint: Set<Endpoint>] = [:]
            for (result, name) in zip(results, names) {
                let own = result.capturePoints?.count == 1 ? result.capturePoints![0].name : name
                for input in result.inputs {
                    for translation in (input.translated ?? [:]).keys.compactMap(Translation.init(name:)) {
                        if translation.ofClient {
                            clients[translation.from.address, default: []].insert(translation.to.address)
                        } else {
                            servers[translation.from, default: []].insert(translation.to)
                            namedAt[translation.from, default: []].insert(input.capturePoint ?? own)
                        }
                    }
                }
            }
            self.servers = servers.mapValues { $0.sorted() }
        }

        var isEmpty: Bool { servers.isEmpty && clients.isEmpty }

        /// Whether `connection` has an endpoint before a known translation.
        func isFront(_ connection: Connection) -> Bool {
            servers[connection.server] != nil || servers[connection.client] != nil || clients[connection.client.address] != nil
        }

        /// `sightings` with each front given the endpoints of the view the translating host
        /// audited (above); the others as they are.
        func matched(_ sightings: [Sighting]) -> [Sighting] {
            let fronts = sightings.indices.filter { isFront(sightings[$0].connection) }
            guard !fronts.isEmpty else { return sightings }
            // The sightings that may be a front's counterpart, by client ISN.
            let wanted = Set(fronts.compactMap { sightings[$0].connection.clientInitialSequence })
            var byISN: [UInt32: [Int]] = [:]
            for (index, sighting) in sightings.enumerated() {
                if let isn = sighting.connection.clientInitialSequence, wanted.contains(isn) { byISN[isn, default: []].append(index) }
            }
            var result = sightings
            for index in fronts {
                let front = sightings[index]
                var counterpart: (client: Endpoint, server: Endpoint)?
                var ambiguous = false
                for other in front.connection.clientInitialSequence.flatMap({ byISN[$0] }) ?? []
                where sightings[other].point != front.point && translates(front.connection, to: sightings[other].connection) {
                    let found = (client: sightings[other].connection.client, server: sightings[other].connection.server)
                    if let known = counterpart, known != found { ambiguous = true }
                    counterpart = found
                }
                if let counterpart, !ambiguous {
                    (result[index].connection.client, result[index].connection.server) = counterpart
                } else if !ambiguous {
                    result[index].connection = translatedAlone(front)
                }
            }
            return result
        }

        /// Whether `translated`, with the same client ISN, is `front` after known
        /// translations: each endpoint the same or translated, not both the same.
        func translates(_ front: Connection, to translated: Connection) -> Bool {
            let sameServer = translated.server == front.server
            let serverTranslated = servers[front.server]?.contains(translated.server) == true
            guard sameServer || serverTranslated else { return false }
            if translated.client == front.client { return serverTranslated }
            return serverTranslated || clients[front.client.address]?.contains(translated.client.address) == true
        }

        /// A front without a counterpart: its server endpoint translated when only one
        /// translation of it is known and its own point did not name it (the front endpoint
        /// on either side, for a sighting oriented without its handshake).
        func translatedAlone(_ front: Sighting) -> Connection {
            var connection = front.connection
            if let only = single(connection.server, at: front.point) {
                connection.server = only
            } else if let only = single(connection.client, at: front.point) {
                connection.client = only
            }
            return connection
        }

        private func single(_ endpoint: Endpoint, at point: String) -> Endpoint? {
            guard let targets = servers[endpoint], targets.count == 1, namedAt[endpoint]?.contains(point) != true else { return nil }
            return targets[0]
        }
    }
}
