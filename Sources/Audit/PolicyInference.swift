import Policy
import Protocols

/// A policy drafted from traffic (`dasaudit infer`, `audit --offset auto`): the profile and
/// port offset that explain the most server endpoints, the Spark mode, the cores, each
/// host's roles from the catalog ports it serves, the hosts that fit another offset, and
/// who connected to whom. It is a draft for a person to review, and says how sure it is.
///
/// The offset fit counts, for every candidate offset, the services whose port is exactly a
/// shifted catalog port at that offset, plus each host's executor ports from the band's
/// first port on without a gap. Ports the offset does not move (Hazelcast 4000) and
/// executor ports alone never make an offset a candidate (12005 is both offset 5's first
/// slot and offset 4's second).
public struct PolicyInference: Sendable {
    /// How many client addresses of each service `infer` reads, lowest first
    /// (`Auditor.sampleClientsPerService`): far more than the five a result names, so that a
    /// node above a service's five lowest client addresses is not left out of the draft, and
    /// bounded, since each address read costs about 0.37 KB of memory until the draft is
    /// written (24 MB over the audit's own at 65,320 clients of one service, unbounded
    /// before December 7, 2026). A service
    /// with more is listed in the draft (`clientsNotRead`).
    public static let clientsReadPerService = 4096

    /// One server endpoint as a result lists it, with the addresses of its clients (the
    /// lowest `clientsReadPerService` of them) and what it speaks (nil: not known).
    public struct Service: Sendable {
        public var address: String
        public var port: UInt16
        public var clients: [String]
        /// Its clients beyond `clients`, not read (`clientsReadPerService`).
        public var clientsNotRead: Int
        public var speaks: ProtocolName?

        public init(address: String, port: UInt16, clients: [String], clientsNotRead: Int = 0, speaks: ProtocolName? = nil) {
            self.address = address
            self.port = port
            self.clients = clients
            self.clientsNotRead = clientsNotRead
            self.speaks = speaks
        }

        public init(_ summary: ServiceSummary) {
            self.init(address: summary.address, port: summary.port, clients: summary.sampleClients,
                      clientsNotRead: max(0, summary.clients - summary.sampleClients.count),
                      speaks: summary.protocol.flatMap(ProtocolName.init(name:)))
        }
    }

    /// A host and what it serves at the offset that fits it.
    public struct Host: Sendable {
        public var address: String
        /// The offset its own ports fit; the cluster's unless it is misconfigured.
        public var offset: Int
        /// Its ports that are catalog ports at `offset`, with their keys.
        public var catalogPorts: [(port: UInt16, key: String)]
        public var roles: Set<NodeRole>
        /// The executor ports it serves from the first one on without a gap.
        public var executorRun: Int
    }

    /// A host whose own ports fit another offset than the cluster's.
    public struct Misfit: Sendable {
        public var address: String
        public var offset: Int
        /// Its ports that fit `offset` exactly, with their keys.
        public var ports: [(port: UInt16, key: String)]
    }

    /// One client-to-server dependency seen: a host that connected to another's service.
    public struct Dependency: Hashable, Sendable {
        public var client: String
        public var server: String
        public var port: UInt16
        public var key: String?
    }

    public var profile: Profile
    public var offset: Int
    /// Services whose port is exactly a shifted catalog port at `offset`, and the distinct ports among them.
    public var supportingServices: Int
    public var supportingPorts: [UInt16]
    /// The best other offset and the services it explains, when one explains any.
    public var runnerUp: (offset: Int, services: Int)?
    public var mode: SparkMode
    public var cores: Int
    public var hosts: [Host]
    /// Features the draft says are on because a host serves a port of theirs: only those a
    /// policy must say on before their ports are expected (the shuffle service), with the
    /// hosts and ports that showed it.
    public var features: [(feature: DeploymentFeature, seen: [(address: String, port: UInt16)])]
    /// Keys the draft pins because a host served them where only a configuration that sets
    /// the key puts them: the shuffle service at 7337 plus the offset, not Spark's unshifted
    /// 7337 (`Catalog.shuffleService`), is `spark.shuffle.service.port` set to 7337.
    public var pinnedPorts: [(key: String, basePort: UInt16, seen: [(address: String, port: UInt16)])]
    public var misfits: [Misfit]
    public var dependencies: Dependencies
    /// Endpoints no catalog port explains at their host's offset (`offset`, or a misfit's
    /// own): left to the audit to report.
    public var unexplained: [(address: String, port: UInt16)]
    /// Services with more clients than were read (`Service.clientsNotRead`), with how many
    /// were read and how many not: a node among those not read that used such a service is
    /// not named as its client, nor a host that used a node's cluster-only port.
    public var clientsNotRead: [(address: String, port: UInt16, read: Int, notRead: Int)]

    /// The services some offset explains (a shifted catalog port at an offset from 0 to the
    /// ceiling, or an executor port run after one): the candidates the offset was chosen among.
    public var candidateServices: Int

    /// The chosen offset's share of the candidate services, 0 to 1: how much of the traffic
    /// that could be DAS traffic at all this offset accounts for.
    public var confidence: Double {
        candidateServices == 0 ? 0 : Double(supportingServices) / Double(candidateServices)
    }

    /// `high`: three or more supporting ports, at least 60% of the candidate services, and
    /// no other offset explaining half as many services or more (the catalog's ports 500
    /// apart give offset+500 about half by construction; a rival at half is not beaten
    /// clearly enough); `medium`: two or more ports and more services than any other
    /// offset; `low` otherwise (docs/infer.md).
    public var confidenceWord: String {
        Self.confidenceWord(ports: supportingPorts.count, services: supportingServices, candidates: candidateServices,
                            rival: runnerUp?.services ?? 0)
    }

    /// The rule of `confidenceWord` on its four numbers, in integers so that the boundaries
    /// (exactly 60%, a rival at exactly half) do not depend on rounding.
    static func confidenceWord(ports: Int, services: Int, candidates: Int, rival: Int) -> String {
        if ports >= 3 && services * 5 >= candidates * 3 && rival * 2 < services { return "high" }
        return ports >= 2 && services > rival ? "medium" : "low"
    }

    /// Drafts a policy for `services`. `profiles` are the catalogs to choose among (the one
    /// explaining the most services wins, the first on a tie); `offsetCeiling` bounds the fit.
    public init(services: [Service], profiles: [Profile] = Profile.all, offsetCeiling: Int = Policy.offsetCeiling) {
        var best: (profile: Profile, fit: OffsetScores.Best, explained: Int, scores: OffsetScores)?
        for profile in profiles {
            let scores = OffsetScores(services: services, catalog: profile.inferableCatalog, ceiling: offsetCeiling)
            guard let fit = scores.best else { continue }
            let explained = CatalogMatch(catalog: profile.inferableCatalog, offset: fit.offset)
                .explainedCount(services, profileName: profile.name)
            if best == nil || explained > best!.explained { best = (profile, fit, explained, scores) }
        }
        profile = best?.profile ?? Profile.default
        let scores = best?.scores ?? OffsetScores(services: services, catalog: profile.inferableCatalog, ceiling: offsetCeiling)
        offset = best?.fit.offset ?? 0
        supportingServices = best?.fit.services ?? 0
        supportingPorts = best?.fit.ports ?? []
        runnerUp = scores.runnerUp(besides: offset)
        candidateServices = scores.candidates

        // Each host: the cluster's offset, unless its own ports fit another one better.
        let byHost = Dictionary(grouping: services, by: \.address)
        var hosts: [Host] = [], misfits: [Misfit] = []
        for address in byHost.keys.sorted(by: IPOrder.precedes) {
            let hosted = byHost[address]!
            let own = OffsetScores(services: hosted, catalog: profile.inferableCatalog, ceiling: offsetCeiling)
            let atCluster = own.services(at: offset)
            var hostOffset = offset
            if let mine = own.best, mine.offset != offset, mine.ports.count >= 2, mine.services > atCluster {
                hostOffset = mine.offset
                misfits.append(Misfit(address: address, offset: mine.offset,
                                      ports: CatalogMatch(catalog: profile.inferableCatalog, offset: mine.offset).exactKeys(hosted)))
            }
            hosts.append(CatalogMatch(catalog: profile.inferableCatalog, offset: hostOffset).host(address, serving: hosted))
        }
        let clusterKeys = CatalogMatch.clusterOnlyKeys(profile.inferableCatalog)
        let clusterSeen = hosts.contains { host in host.catalogPorts.contains { clusterKeys.contains($0.key) } }
        mode = clusterSeen || profile.mode == .cluster ? .cluster : .local
        // A driver's run holds its own slot and N executors; a worker's, N executors.
        cores = max(1, hosts.map { $0.roles.contains(.driver) || $0.roles.contains(.master) ? $0.executorRun - 1 : $0.executorRun }.max() ?? 1)
        self.hosts = hosts
        self.misfits = misfits
        let needsSaying = Dictionary(profile.inferableCatalog.compactMap { entry in
            entry.feature.flatMap { $0.isExpectedWhenNotSaid ? nil : (entry.key, $0) }
        }, uniquingKeysWith: { first, _ in first })
        var seen: [DeploymentFeature: [(address: String, port: UInt16)]] = [:]
        for host in hosts {
            for (port, key) in host.catalogPorts { if let feature = needsSaying[key] { seen[feature, default: []].append((host.address, port)) } }
        }
        features = DeploymentFeature.allCases.compactMap { feature in seen[feature].map { (feature, $0) } }
        let unshifted = Dictionary(profile.catalog.filter { !$0.shiftedByOffset }.map { ($0.key, $0.basePort) },
                                   uniquingKeysWith: { first, _ in first })
        var pinned: [String: (basePort: UInt16, seen: [(address: String, port: UInt16)])] = [:]
        for host in hosts {
            for (port, key) in host.catalogPorts where key == Catalog.shuffleServiceKey && unshifted[key] != port {
                pinned[key, default: (UInt16(clamping: Int(port) - host.offset), [])].seen.append((host.address, port))
            }
        }
        pinnedPorts = pinned.keys.sorted().map { ($0, pinned[$0]!.basePort, pinned[$0]!.seen) }

        let match = CatalogMatch(catalog: profile.inferableCatalog, offset: offset)
        // A service's key at its host's own offset (a misconfigured host's ports are still its roles' ports).
        let hostOffsets = Dictionary(uniqueKeysWithValues: hosts.map { ($0.address, $0.offset) })
        let (inferable, clusterOffset, drafted) = (profile.inferableCatalog, offset, self.cores)
        dependencies = Dependencies(services) { service in
            CatalogMatch(catalog: inferable, offset: hostOffsets[service.address] ?? clusterOffset)
                .key(for: service.port, executorCores: drafted)
        }
        clientsNotRead = services.filter { $0.clientsNotRead > 0 }
            .map { ($0.address, $0.port, $0.clients.count, $0.clientsNotRead) }
            .sorted { ($0.address, $0.port) < ($1.address, $1.port) }
        // At its host's own offset: a host at another offset is written with the ports that
        // fit it, and a port that fits neither (a rogue on that host) is still unexplained.
        // Leaving such hosts out whole kept their rogue ports out of the draft.
        let cores = self.cores, catalog = profile.inferableCatalog
        unexplained = services.filter { service in
            let own = hostOffsets[service.address].map { CatalogMatch(catalog: catalog, offset: $0) } ?? match
            return own.key(for: service.port, executorCores: cores) == nil
        }.map { ($0.address, $0.port) }.sorted { ($0.address, $0.port) < ($1.address, $1.port) }
    }
}

/// How many services each candidate offset explains exactly (shifted, non-executor catalog
/// ports only).
///
/// Each service (address and port) counts once, however often the list names it. Services
/// are counted by their place (one per address and port), not by their text: with tens of thousands of services each
/// offset's list, and the set of the candidates, held a string per entry, 70 MB of the
/// 117 MB `infer` took on a million packets of 39,000 services (December 7, 2026).
struct OffsetScores {
    struct Best {
        var offset: Int
        var services: Int
        var ports: [UInt16]
    }

    /// For each offset, the places of the services it explains (`port`).
    private var explained: [Int: [Int32]] = [:]
    /// Each place's port.
    private let port: [UInt16]
    /// Places: one for each distinct address and port among the services.
    private let places: Int
    /// The offsets, best first (`best`), each with its services and distinct ports counted
    /// once: counted in the sort's comparison instead, a capture of 36,069 services spent
    /// 83% of `infer`'s 10 s there (December 7, 2026).
    private var ranked: [(offset: Int, services: Int, distinctPorts: Int)] = []

    init(services: [PolicyInference.Service], catalog: [CatalogEntry], ceiling: Int) {
        // Each distinct address and port has one place; the ports of each address by place.
        var placeOf: [String: [UInt16: Int32]] = [:]
        var port: [UInt16] = []
        for service in services where placeOf[service.address]?[service.port] == nil {
            placeOf[service.address, default: [:]][service.port] = Int32(port.count)
            port.append(service.port)
        }
        self.port = port
        places = port.count
        let bases = Set(catalog.filter { $0.shiftedByOffset && !$0.isExecutorBand }.map { Int($0.basePort) })
        for (place, servicePort) in port.enumerated() {
            for base in bases {
                let offset = Int(servicePort) - base
                if (0...ceiling).contains(offset) { explained[offset, default: []].append(Int32(place)) }
            }
        }
        // An offset with exact votes also explains each host's executor ports from its band's
        // first port on without a gap: 12007 counts for offset 7 on a host serving 12007, not
        // for offset 507, where the catalog's ports 500 apart would otherwise make it tie.
        // Walked from each host's ports that start a run at an offset with votes, not from
        // every such offset for every host: with tens of thousands of services nearly every
        // offset has votes.
        if let band = catalog.first(where: { $0.isExecutorBand && $0.shiftedByOffset }) {
            let base = Int(band.basePort)
            let voted = Set(explained.keys)
            for ports in placeOf.values {
                for first in ports.keys where voted.contains(Int(first) - base) {
                    var next = Int(first)
                    while next <= Int(UInt16.max), let place = ports[UInt16(next)] {
                        explained[Int(first) - base]!.append(place)
                        next += 1
                    }
                }
            }
        }
        ranked = explained.map { offset, places in (offset, places.count, Set(places.map { port[Int($0)] }).count) }
            .sorted { lhs, rhs in
                let left = (lhs.services, lhs.distinctPorts), right = (rhs.services, rhs.distinctPorts)
                return left != right ? left > right : lhs.offset < rhs.offset
            }
    }

    func services(at offset: Int) -> Int { explained[offset]?.count ?? 0 }

    /// How many services (address and port) at least one offset explains.
    var candidates: Int {
        var explainedSomewhere = [Bool](repeating: false, count: places)
        for places in explained.values { for place in places { explainedSomewhere[Int(place)] = true } }
        return explainedSomewhere.count { $0 }
    }

    /// The offset explaining the most services; on a tie, the one with more distinct
    /// ports, then the smaller offset. Nil when no service is a shifted catalog port.
    var best: Best? {
        ranked.first.map { Best(offset: $0.offset, services: $0.services, ports: Set(explained[$0.offset]!.map { port[Int($0)] }).sorted()) }
    }

    func runnerUp(besides offset: Int) -> (offset: Int, services: Int)? {
        ranked.first { $0.offset != offset }.map { ($0.offset, $0.services) }
    }
}

/// A profile's catalog under one offset, as inference reads it: which key a port is, and
/// which roles a host serving some ports plays.
struct CatalogMatch {
    let catalog: [CatalogEntry]
    let offset: Int

    /// The keys of the entries only a Spark standalone cluster opens (master, worker).
    static func clusterOnlyKeys(_ catalog: [CatalogEntry]) -> Set<String> {
        Set(catalog.filter { $0.modes == [.cluster] || $0.group == .sparkCluster }.map(\.key))
    }

    /// The entries at exactly `port`, Spark cluster keys first (as the classifier orders them).
    func exactEntries(at port: UInt16) -> [CatalogEntry] {
        catalog.filter { !$0.isExecutorBand && $0.ports(offset: offset, cores: 1).lowerBound == port }
            .sorted { ($0.group == .sparkCluster ? 0 : 1) < ($1.group == .sparkCluster ? 0 : 1) }
    }

    /// The first executor port, when the catalog has an executor band.
    var executorBase: UInt16? { catalog.first(where: \.isExecutorBand).map { $0.port(offset: offset) } }

    /// The key naming `port`: an exact catalog port, or an executor port within
    /// `executorCores` of the base (the driver's slot and N executors).
    func key(for port: UInt16, executorCores: Int) -> String? {
        if let entry = exactEntries(at: port).first { return entry.key }
        if let base = executorBase, (Int(base)...Int(base) + executorCores).contains(Int(port)) {
            return catalog.first(where: \.isExecutorBand)?.key
        }
        return catalog.first { $0.perCore && $0.ports(offset: offset, cores: executorCores).contains(port) }?.key
    }

    /// The services of `hosted` on exact catalog ports, with their keys, by port.
    func exactKeys(_ hosted: [PolicyInference.Service]) -> [(port: UInt16, key: String)] {
        Set(hosted.map(\.port)).sorted().compactMap { port in exactEntries(at: port).first.map { (port, $0.key) } }
    }

    /// How many of `services` an exact catalog port, an unshifted one, or the executor band
    /// explains, and whose protocol does not contradict that port's under `profileName`: a
    /// service that speaks Spark RPC on 13003 is no Spark 1.6 `sparkDriverActorSystem`
    /// (Akka) of offset 2, so it does not draw a Spark 4 cluster to das-3.1 (docs/infer.md).
    func explainedCount(_ services: [PolicyInference.Service], profileName: String) -> Int {
        services.filter { service in
            guard let key = key(for: service.port, executorCores: 16) else { return false }
            guard let spoken = service.speaks, let expected = PortProtocols.expected(key: key, profileName: profileName) else {
                return true
            }
            return !spoken.contradicts(expected)
        }.count
    }

    /// A host's catalog ports and roles: each exact port gives the roles of its first
    /// entry (ports every role opens give none); executor ports make a worker unless the
    /// host already plays a role they belong to (worker or driver). A master or a receiver
    /// serving them is a worker too: without the role, the audit of the very window the
    /// draft came from reports each executor port as a `role-mismatch` (docs/infer.md).
    func host(_ address: String, serving hosted: [PolicyInference.Service]) -> PolicyInference.Host {
        let ports = Set(hosted.map(\.port))
        var roles = Set<NodeRole>()
        var keys: [(port: UInt16, key: String)] = []
        for port in ports.sorted() {
            guard let entry = exactEntries(at: port).first else { continue }
            keys.append((port, entry.key))
            if entry.roles != Set(NodeRole.allCases) { roles.formUnion(entry.roles.count == 1 ? entry.roles : []) }
        }
        var run = 0
        if let base = executorBase {
            while ports.contains(UInt16(clamping: Int(base) + run)) && run < 1024 { run += 1 }
        }
        if run > 0 && roles.isDisjoint(with: [.worker, .driver]) { roles.insert(.worker) }
        return PolicyInference.Host(address: address, offset: offset, catalogPorts: keys, roles: roles, executorRun: run)
    }
}

/// Addresses in a stable human order: IPv4 before IPv6, then numerically.
enum IPOrder {
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        switch (IPAddress(lhs), IPAddress(rhs)) {
        case let (left?, right?): (left.isIPv4 ? 0 : 1, left.high, left.low) < (right.isIPv4 ? 0 : 1, right.high, right.low)
        default: lhs < rhs
        }
    }
}

import Wire

extension Profile {
    /// The catalog entries a server seen on its port is evidence of: not those of a feature
    /// whose port is as often something else (the cluster-deploy-mode driver's,
    /// `spark.driver.port` + 1, is a second driver's retry too), which would draw a profile
    /// or draft a feature on nothing sure.
    ///
    /// The shuffle service is evidence at Spark's unshifted 7337, and at 7337 plus the
    /// offset too, where a configuration that sets `spark.shuffle.service.port` to Spark's
    /// own value has DAS bind it (`Catalog.shuffleService`): the draft then pins the key
    /// (`PolicyInference.pinnedPorts`).
    var inferableCatalog: [CatalogEntry] {
        let evidence = catalog.filter { $0.feature?.namesItsPortWhenNotExpected ?? true }
        return evidence + evidence.filter { $0.key == Catalog.shuffleServiceKey && !$0.shiftedByOffset }.map { entry in
            var pinned = entry
            pinned.shiftedByOffset = true
            return pinned
        }
    }
}
