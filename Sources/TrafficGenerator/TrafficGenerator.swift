import Flows
import PcapKit
import Protocols

/// What a generation wrote: the ground truth an audit of the capture is checked against.
public struct GenerationSummary: Sendable, Equatable {
    public var packets = 0
    /// Connections started, by how they go (scan probes not included).
    public var complete = 0, reset = 0, open = 0, refused = 0, unanswered = 0
    /// Connections the packet limit cut before their last packet.
    public var cut = 0
    /// SYN probes sent by scanners.
    public var scanProbes = 0
    /// Service endpoints that answered a SYN at least once: what an audit lists as services.
    public var servicesAnswering = 0
    /// Of those, the ones on ports the catalog does not explain.
    public var unexpectedServicesAnswering = 0
    /// Endpoints (host, port) that refused or never answered a connection (a scan's probes
    /// not included: an audit folds the endpoints only a scanner tried into its scan).
    public var attemptEndpoints = 0
    /// Capture times of the first and last packet, nanoseconds since 1970.
    public var firstTime: Int64 = 0, lastTime: Int64 = 0

    public var connections: Int { complete + reset + open + refused + unanswered }
}

/// Writes the traffic of a `TrafficShape` through a `CaptureWriter`: Ethernet frames,
/// link type 1, nanosecond timestamps. Deterministic: the same shape gives the same bytes.
/// Allocates nothing per packet; 10 M packets take seconds.
public enum TrafficGenerator {
    /// One connection (or scan) in flight: its position in its script and its endpoints.
    private struct Slot {
        var kind: ConnectionScript.Kind
        var isScan = false
        var step = 0, length = 0
        /// The service it goes to (-1: a closed port).
        var service = -1
        var serverHost = 0, serverPort: UInt16 = 0
        var client: HostAddress, clientPort: UInt16 = 0
        var server: HostAddress
        var clientISN: UInt32 = 0, clientNext: UInt32 = 0, serverNext: UInt32 = 0
        var clientSpoke = false, serverSpoke = false
        var speaks = ProtocolName.other
    }

    /// Generates `shape` into `writer`; throws when the shape cannot be generated (before
    /// anything is written), naming the parameter.
    public static func generate(_ shape: TrafficShape, into writer: CaptureWriter) throws(ShapeError) -> GenerationSummary {
        let problems = shape.problems()
        guard problems.isEmpty else { throw ShapeError(problems.joined(separator: "; ")) }
        let plan = try ServicePlan(shape)
        var run = Run(shape: shape, plan: plan, writer: writer)
        run.generate()
        return run.summary
    }

    private struct Run: ~Copyable {
        let shape: TrafficShape
        let plan: ServicePlan
        let writer: CaptureWriter
        var random: SplitMix
        var frames: FrameBuilder
        var summary = GenerationSummary()
        var now: Int64
        let meanGap: Int64
        var started = 0
        /// Connections sent to services so far (`servicesInTurn`).
        var turn = 0
        var slots: [Slot] = []
        var clientPorts: [UInt16]
        var answered: [Bool]
        var attempts = Set<UInt32>()
        /// Payload starts by protocol (`ProtocolName.rawValue`), client's and server's.
        let clientStarts: [[UInt8]], serverStarts: [[UInt8]]

        init(shape: TrafficShape, plan: ServicePlan, writer: CaptureWriter) {
            self.shape = shape
            self.plan = plan
            self.writer = writer
            random = SplitMix(seed: shape.seed)
            frames = FrameBuilder(snaplen: shape.snaplen)
            now = shape.startTime * 1_000_000_000
            meanGap = max(1, 1_000_000_000 / Int64(shape.rate))
            clientPorts = Array(repeating: 32768, count: shape.clientHosts)
            answered = Array(repeating: false, count: plan.services.count)
            clientStarts = ProtocolName.allCases.map(PayloadStarts.client)
            serverStarts = ProtocolName.allCases.map(PayloadStarts.server)
        }

        var connectionLimit: Int { shape.connections ?? .max }
        var packetLimit: Int { shape.packets ?? .max }

        mutating func generate() {
            summary.firstTime = now
            for scanner in 0..<shape.scans { slots.append(scan(scanner)) }
            while slots.count < shape.connectionsInFlight + shape.scans, started < connectionLimit {
                slots.append(newConnection())
            }
            while summary.packets < packetLimit, !slots.isEmpty {
                now += meanGap / 2 + Int64(random.below(Int(meanGap) + 1))
                let index = random.below(slots.count)
                var slot = slots[index]
                let more = slot.isScan ? probe(&slot) : send(&slot)
                slots[index] = slot
                if !more {
                    if !slot.isScan && started < connectionLimit {
                        slots[index] = newConnection()
                    } else {
                        slots.swapAt(index, slots.count - 1)
                        slots.removeLast()
                    }
                }
            }
            summary.lastTime = now
            summary.cut = slots.filter { !$0.isScan }.count
            summary.servicesAnswering = answered.filter { $0 }.count
            summary.unexpectedServicesAnswering = zip(answered, plan.services).filter { $0.0 && !$0.1.expected }.count
            summary.attemptEndpoints = attempts.count
        }

        mutating func kind() -> ConnectionScript.Kind {
            var draw = Double(random.next() >> 11) * 0x1p-53
            for (kind, share) in [(ConnectionScript.Kind.refused, shape.refusedShare), (.unanswered, shape.unansweredShare),
                                  (.reset, shape.resetShare), (.open, shape.openShare)] {
                if draw < share { return kind }
                draw -= share
            }
            return .complete
        }

        mutating func newConnection() -> Slot {
            started += 1
            let kind = kind()
            let host: Int, port: UInt16, service: Int
            if kind == .refused || kind == .unanswered {
                host = random.below(shape.serverHosts)
                port = plan.closedPorts[random.below(plan.closedPorts.count)]
                service = -1
            } else {
                service = shape.servicesInTurn ? turn % plan.services.count : random.below(plan.services.count)
                turn += 1
                host = plan.services[service].host
                port = plan.services[service].port
            }
            switch kind {
            case .complete: summary.complete += 1
            case .reset: summary.reset += 1
            case .open: summary.open += 1
            case .refused: summary.refused += 1
            case .unanswered: summary.unanswered += 1
            }
            let ipv6 = plan.hostIsIPv6[host]
            let clientHost = random.below(shape.clientHosts)
            let clientPort = clientPorts[clientHost]
            clientPorts[clientHost] = clientPort >= 60999 ? 32768 : clientPort + 1
            let isn = UInt32(truncatingIfNeeded: random.next())
            return Slot(kind: kind, length: ConnectionScript.length(kind, packets: shape.packetsPerConnection),
                        service: service, serverHost: host, serverPort: port,
                        client: HostAddress(.client, clientHost, ipv6: ipv6), clientPort: clientPort,
                        server: HostAddress(.server, host, ipv6: ipv6), clientISN: isn, clientNext: isn,
                        serverNext: UInt32(truncatingIfNeeded: random.next() >> 32),
                        speaks: service >= 0 ? plan.services[service].speaks : .other)
        }

        func scan(_ scanner: Int) -> Slot {
            let host = scanner % shape.serverHosts
            let ipv6 = plan.hostIsIPv6[host]
            return Slot(kind: .refused, isScan: true, serverHost: host, serverPort: 1,
                        client: HostAddress(.scanner, scanner, ipv6: ipv6), clientPort: UInt16(40000 + scanner % 20000),
                        server: HostAddress(.server, host, ipv6: ipv6),
                        clientISN: UInt32(truncatingIfNeeded: scanner &* 0x9E37_79B9))
        }

        /// Sends a connection's next packet; false when it has sent its last.
        mutating func send(_ slot: inout Slot) -> Bool {
            let step = ConnectionScript.step(slot.kind, slot.step, packets: shape.packetsPerConnection)
            let syn = step.flags & ConnectionScript.syn != 0
            if step.fromServer {
                if syn, slot.service >= 0 { answered[slot.service] = true }
                let carries = step.payload > 0 && !slot.serverSpoke
                if step.payload > 0 { slot.serverSpoke = true }
                emit(slot, fromServer: true, step.flags, sequence: slot.serverNext, payload: step.payload,
                     start: carries ? serverStarts[Int(slot.speaks.rawValue)] : [])
                slot.serverNext &+= ConnectionScript.sequenceSpan(step)
            } else {
                if syn {
                    slot.clientNext = slot.clientISN  // a retransmitted SYN repeats its number
                    if slot.kind == .refused || slot.kind == .unanswered {
                        attempts.insert(ServicePlan.key(host: slot.serverHost, port: slot.serverPort))
                    }
                }
                let carries = step.payload > 0 && !slot.clientSpoke
                if step.payload > 0 { slot.clientSpoke = true }
                emit(slot, fromServer: false, step.flags, sequence: slot.clientNext, payload: step.payload,
                     start: carries ? clientStarts[Int(slot.speaks.rawValue)] : [])
                slot.clientNext &+= ConnectionScript.sequenceSpan(step)
            }
            slot.step += 1
            return slot.step < slot.length
        }

        /// Sends a scan's next packet: the SYN to the next port, the answer (SYN-ACK from a
        /// service, RST-ACK from a closed port), the scanner's RST after a SYN-ACK; false
        /// when the scan has probed its last port.
        mutating func probe(_ slot: inout Slot) -> Bool {
            let service = plan.serviceAt[ServicePlan.key(host: slot.serverHost, port: slot.serverPort)]
            let sequence = slot.clientISN &+ UInt32(slot.serverPort)
            switch slot.step {
            case 0:
                summary.scanProbes += 1
                emit(slot, fromServer: false, ConnectionScript.syn, sequence: sequence, payload: 0, start: [])
                slot.step = 1
                return true
            case 1 where service != nil:
                answered[service!] = true
                emit(slot, fromServer: true, ConnectionScript.syn | ConnectionScript.ack, sequence: ~sequence, acknowledgement: sequence &+ 1,
                     payload: 0, start: [])
                slot.step = 2
                return true
            case 1:
                emit(slot, fromServer: true, ConnectionScript.rst | ConnectionScript.ack, sequence: 0, acknowledgement: sequence &+ 1,
                     payload: 0, start: [])
            default:
                emit(slot, fromServer: false, ConnectionScript.rst, sequence: sequence &+ 1, payload: 0, start: [])
            }
            slot.step = 0
            guard Int(slot.serverPort) < shape.scanPorts else { return false }
            slot.serverPort += 1
            return true
        }

        mutating func emit(_ slot: Slot, fromServer: Bool, _ flags: UInt8, sequence: UInt32, acknowledgement: UInt32? = nil,
                           payload: Int, start: [UInt8]) {
            let ack = acknowledgement ?? (flags & ConnectionScript.ack != 0 ? (fromServer ? slot.clientNext : slot.serverNext) : 0)
            start.withUnsafeBytes { start in
                if fromServer {
                    frames.write(to: writer, time: now, source: slot.server, sourcePort: slot.serverPort,
                                 destination: slot.client, destinationPort: slot.clientPort, flags: flags, sequence: sequence,
                                 acknowledgement: ack, payload: payload, start: start)
                } else {
                    frames.write(to: writer, time: now, source: slot.client, sourcePort: slot.clientPort,
                                 destination: slot.server, destinationPort: slot.serverPort, flags: flags, sequence: sequence,
                                 acknowledgement: ack, payload: payload, start: start)
                }
            }
            summary.packets += 1
        }
    }
}
