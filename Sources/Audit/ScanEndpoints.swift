import Flows
import Wire

/// The endpoints port-scan detection looks at (every attempt and every service), numbered
/// in address and port order, with what a scan's summary needs of each as plain values.
///
/// Numbered so that a probe carries its endpoint as a number: sorting probes by (client,
/// endpoint number) is sorting them by (client, host, port), and a scan's summary adds up
/// its endpoints by index instead of looking each up in the dictionaries (and copying its
/// set of clients) once per probe.
struct ScanEndpoints {
    /// What an endpoint that only saw failed connects adds to a scan's counts.
    struct Attempt {
        /// Its only client; nil with several (or none counted, past the clients bound): its
        /// counts and times are then not one scanner's.
        var soleClient: IPAddress?
        var refused: UInt64
        var unanswered: UInt64
        var firstSeen: Int64
        var lastSeen: Int64
        /// The client port every connect came from (`AttemptCounts.clientPort`, and for
        /// probes without a SYN `TrafficCounts.probeClientPorts`); nil with several
        /// (`ProbeSourcePort`).
        var clientPort: UInt16? = nil
        /// The two client ports its connects came from, when there were exactly two (nmap's
        /// probe and its retry from a second source port, `SoleClientPort.pair`).
        var clientPortPair: (UInt16, UInt16)? = nil

        /// Counts its connects as one scanner's: adds its refused and unanswered ones to
        /// `refused` and `unanswered` (saturating) and widens the window `first`...`last` by
        /// its times. The one place a scan takes connects it knows are its own, whether they
        /// are an endpoint's attempts (it alone tried it) or its probes without a SYN (it
        /// alone sent such probes there).
        func count(into refused: inout UInt64, _ unanswered: inout UInt64, widening first: inout Int64, _ last: inout Int64) {
            refused.addSaturated(self.refused)
            unanswered.addSaturated(self.unanswered)
            first = min(first, firstSeen)
            last = max(last, lastSeen)
        }

        /// Both endpoints' connects as one (an endpoint refused SYNs and probes without one).
        func adding(_ other: Attempt) -> Attempt {
            Attempt(soleClient: soleClient == other.soleClient ? soleClient : nil,
                    refused: refused.addingSaturated(other.refused), unanswered: unanswered.addingSaturated(other.unanswered),
                    firstSeen: min(firstSeen, other.firstSeen), lastSeen: max(lastSeen, other.lastSeen),
                    clientPort: clientPort == other.clientPort ? clientPort : nil,
                    clientPortPair: clientPortPair.flatMap { mine in
                        other.clientPortPair.flatMap { $0 == mine ? mine : nil }
                    })
        }
    }

    /// What a service tells about a scan that found it open.
    struct Service {
        /// Its only client; nil with several (or none counted).
        var soleClient: IPAddress?
        /// No payload in either direction: a SYN scan's or a connect scan's handshake.
        var payloadless: Bool
        var connections: UInt64
        /// Those the client left half open (`Connection.halfOpen`).
        var halfOpenConnections: UInt64
        /// Those that were only a probe without a SYN (the scanner's FIN to an open port
        /// that said nothing, in a service that served other connections).
        var probesWithoutSyn: UInt64
        /// Those of them the server answered with a RST: a listening port answers an ACK
        /// (nmap's ACK, Window or Maimon probe) so, never a FIN, NULL or Xmas probe.
        var probesWithoutSynReset: UInt64
        var firstSeen: Int64
        var lastSeen: Int64
        /// Every connection carried the client's payload (`TrafficCounts.onlyClientPayload`):
        /// none was a raw-socket scan's probe (`ProbeSourcePort`).
        var onlyClientPayload = false

        /// Whether its connections are `scanner`'s probes: it alone connected, and nothing
        /// was sent, or each connection was left half open (a SYN scan's probes that carry
        /// payload, `nmap --data-length`). A service the scanner also used for real (a
        /// client that sends a request, then scans the host) says nothing of how or when
        /// it scanned.
        func answeredOnlyProbes(of scanner: IPAddress) -> Bool {
            soleClient == scanner && (payloadless || halfOpenConnections == connections)
        }
    }

    /// The endpoints by number, in (address, port) order.
    private(set) var endpoints: [Endpoint] = []
    /// Each endpoint's host as a number into `hostAddresses`, which are in address order.
    private(set) var hosts: [UInt32] = []
    private(set) var hostAddresses: [IPAddress] = []
    /// Each endpoint's place in (port, address) order: sorting by it sorts by port, then host.
    private(set) var portMajorOrder: [UInt32] = []
    /// Each endpoint's attempt, if it is one; its service, if it is one (an endpoint can be both).
    /// A service whose connections were all probes without a SYN (`probedOnly`) is not one
    /// here: its probes count as refused (RST back) or unanswered connects, in `attempts`
    /// (added to the endpoint's refused and unanswered connects if it is one too).
    private(set) var attempts: [Attempt?] = []
    private(set) var services: [Service?] = []
    /// Of an endpoint's attempt, its probes without a SYN alone (those of a `probedOnly`
    /// service), with their only client: they are not in the attempts' client tallies, so a
    /// scan that probed an endpoint other clients connected to too counts its probes from here.
    private(set) var probesWithoutSyn: [Attempt?] = []
    /// Whether the endpoint is a service whose every connection was a probe without a SYN
    /// (`TrafficCounts.onlyProbesWithoutSyn`): a port scan that probed it folds it, service
    /// and all.
    private(set) var probedOnly: [Bool] = []
    /// Each endpoint's position in the attempts and in the services it was built from
    /// (-1: not one), where its clients are.
    private(set) var attemptPositions: [Int32] = []
    private(set) var servicePositions: [Int32] = []

    /// The endpoints of `services` and `attempts` (both in endpoint order) merged in one
    /// pass: no sort, no lookup, and each value's fields read in place (through buffers),
    /// not the value copied.
    init(services: EndpointList<ServiceTraffic>, attempts: EndpointList<ServiceAttempts>) {
        let most = services.count + attempts.count
        endpoints.reserveCapacity(most)
        hosts.reserveCapacity(most)
        self.attempts.reserveCapacity(most)
        self.services.reserveCapacity(most)
        probesWithoutSyn.reserveCapacity(most)
        attemptPositions.reserveCapacity(most)
        probedOnly.reserveCapacity(most)
        servicePositions.reserveCapacity(most)
        services.values.withUnsafeBufferPointer { serviceValues in
            attempts.values.withUnsafeBufferPointer { attemptValues in
                merge(services.endpoints, serviceValues, attempts.endpoints, attemptValues)
            }
        }
        // Numbers are in (address, port) order, so a stable sort by port keeps the addresses in order.
        let byPort = endpoints.indices.stablySorted(by: { Int(endpoints[$0].port) }, keyCount: 1 << 16)
        portMajorOrder = [UInt32](repeating: 0, count: endpoints.count)
        for (place, number) in byPort.enumerated() { portMajorOrder[number] = UInt32(place) }
    }

    /// Appends the endpoints of both lists in order, each once with what it is.
    private mutating func merge(_ serviceEndpoints: [Endpoint], _ services: UnsafeBufferPointer<ServiceTraffic>,
                                _ attemptEndpoints: [Endpoint], _ attempts: UnsafeBufferPointer<ServiceAttempts>) {
        var nextService = 0, nextAttempt = 0
        while nextService < services.count || nextAttempt < attempts.count {
            let endpoint = nextAttempt == attempts.count
                || (nextService < services.count && serviceEndpoints[nextService] < attemptEndpoints[nextAttempt])
                ? serviceEndpoints[nextService] : attemptEndpoints[nextAttempt]
            if hostAddresses.last != endpoint.address { hostAddresses.append(endpoint.address) }
            endpoints.append(endpoint)
            hosts.append(UInt32(hostAddresses.count - 1))
            // Where the endpoint is among the attempts and the services, if it is one.
            let attempt = nextAttempt < attempts.count && attemptEndpoints[nextAttempt] == endpoint ? nextAttempt : nil
            let service = nextService < services.count && serviceEndpoints[nextService] == endpoint ? nextService : nil
            var tries = attempt.map { position in
                let counts = attempts[position].counts
                return Attempt(soleClient: attempts[position].clients.sole, refused: counts.refused,
                               unanswered: counts.unanswered, firstSeen: counts.firstSeen, lastSeen: counts.lastSeen,
                               clientPort: counts.clientPort, clientPortPair: counts.clientPortPair)
            }
            let probed = service.map { services[$0].counts.onlyProbesWithoutSyn } ?? false
            let probes = service.flatMap { position -> Attempt? in
                guard probed else { return nil }
                let counts = services[position].counts
                return Attempt(soleClient: services[position].clients.sole, refused: counts.probesWithoutSynReset,
                               unanswered: counts.probesWithoutSyn - counts.probesWithoutSynReset,
                               firstSeen: counts.firstSeen, lastSeen: counts.lastSeen,
                               clientPort: counts.probeClientPorts.port, clientPortPair: counts.probeClientPorts.pair)
            }
            if let probes { tries = tries.map { $0.adding(probes) } ?? probes }
            self.attempts.append(tries)
            probesWithoutSyn.append(probes)
            self.services.append(service.flatMap { position in
                guard !probed else { return nil }
                let clients = services[position].clients
                return Service(soleClient: clients.sole,
                               payloadless: services[position].counts.payloadBytes == 0,
                               connections: services[position].counts.connections,
                               halfOpenConnections: services[position].counts.halfOpenConnections,
                               probesWithoutSyn: services[position].counts.probesWithoutSyn,
                               probesWithoutSynReset: services[position].counts.probesWithoutSynReset,
                               firstSeen: services[position].counts.firstSeen, lastSeen: services[position].counts.lastSeen,
                               onlyClientPayload: services[position].counts.onlyClientPayload)
            })
            probedOnly.append(probed)
            attemptPositions.append(Int32(attempt ?? -1))
            servicePositions.append(Int32(service ?? -1))
            if attempt != nil { nextAttempt += 1 }
            if service != nil { nextService += 1 }
        }
    }

    var count: Int { endpoints.count }
}

private extension ClientAddresses {
    /// The only address; nil with several or none.
    var sole: IPAddress? { count == 1 ? first : nil }
}
