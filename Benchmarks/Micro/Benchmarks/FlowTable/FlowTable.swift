// The connection table's two costs, apart: the per-packet path (`FlowTable.add`) on a
// table small enough for the caches and on one that is not, and the end stage (records
// folded into per-service statistics, protocol recognition included). Heap allocations
// are counted by malloc-interposer: the per-packet path must make none in steady state.
import Benchmark
import Flows
import Wire

let rules = DirectionRules(expectedServerPorts: [])

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuUser, .mallocCountTotal, .peakMemoryResident],
        maxDuration: .seconds(10), maxIterations: 10)

    // 1 M packets each; 256 connections open at once (the caches hold them) against 50,000
    // (the records do not fit: every packet's record is a cache miss).
    for (name, inFlight) in [("few open", 256), ("50k open", 50_000)] {
        let traffic = SyntheticTraffic(packets: 1_000_000, inFlight: inFlight, packetsPerConnection: 40, services: 7_000)
        Benchmark("Packet loop, \(name) (1 M packets)", configuration: .init(scalingFactor: .mega)) { benchmark in
            var table = FlowTable(rules: rules)
            benchmark.startMeasurement()
            traffic.feed(&table)
            benchmark.stopMeasurement()
            blackHole(table.count)
        }
    }

    // The end stage: 100,000 finished connections held by the table (their capture spans
    // under a minute, so nothing was evicted yet) folded into statistics, which the audit
    // classifies per service. Not scaled: divide the time by 100,000 for the cost per
    // connection (1 ms is 10 ns per connection).
    let closed = SyntheticTraffic(packets: 600_000, inFlight: 256, packetsPerConnection: 6, services: 1_000, gap: 50_000)
    Benchmark("End stage, 100 k connections to 1 k services") { benchmark in
        var table = FlowTable(rules: rules)
        closed.feed(&table)
        benchmark.startMeasurement()
        blackHole(table.statistics())
        benchmark.stopMeasurement()
    }

    // The same connections, short-lived, evicted while the capture is read (a 10 s sweep
    // grid, 60 s linger): the end stage spread over the packet loop, as on a long capture.
    let spread = SyntheticTraffic(packets: 600_000, inFlight: 256, packetsPerConnection: 6, services: 1_000, gap: 1_000_000)
    Benchmark("Packet loop with eviction, 100 k short connections (600 k packets)") { benchmark in
        var table = FlowTable(rules: rules)
        benchmark.startMeasurement()
        spread.feed(&table)
        blackHole(table.statistics())
        benchmark.stopMeasurement()
    }

    // Folding connections into per-service statistics alone (`ServiceStatistics.add`), as
    // eviction does: 1 M connections to 40,000 services from 100,000 clients, built
    // beforehand. Scaled per connection; the allocations are those of the tables' growth
    // (a few dozen), none per connection.
    let folded = (0..<1_000_000).map { (number: Int) -> Connection in
        let client = Endpoint(address: IPAddress(ipv4: 0xC0A8_0000 + UInt32(number * 7_919 % 100_000)), port: 40_000)
        let server = Endpoint(address: IPAddress(ipv4: 0x0A00_0001 + UInt32(number % 4)), port: UInt16(20_000 + number % 10_000))
        return Connection(client: client, server: server, directionBasis: .policy, state: .closed,
                          packetsToServer: 5, packetsToClient: 5, bytesToServer: 500, bytesToClient: 500,
                          payloadBytesToServer: 100, payloadBytesToClient: 100,
                          firstSeen: Int64(number), lastSeen: Int64(number) + 1_000)
    }
    Benchmark("ServiceStatistics.add, 1 M connections to 40 k services", configuration: .init(scalingFactor: .mega)) { benchmark in
        var statistics = ServiceStatistics()
        benchmark.startMeasurement()
        for connection in folded { statistics.add(connection) }
        benchmark.stopMeasurement()
        blackHole(statistics.clientAddressesRecorded)
    }

    // What the end stage builds of per-service statistics shaped like the services shape's:
    // 1 M connections to 40,000 services (4 hosts, 10,000 ports), each from a client of its
    // own, so 25 clients a service and 1 M (service, client) pairs; the services, each with
    // its sorted clients, and the attempts are taken out of a copy as `Auditor.audit` takes
    // them. Not scaled: divide by 1 M for the cost per connection (1 ms is 1 ns each).
    var manyServices = ServiceStatistics()
    for number in 0..<1_000_000 {
        let client = Endpoint(address: IPAddress(ipv4: 0xC000_0000 + UInt32(number * 7_919 % 4_000_037)), port: 40_000)
        let server = Endpoint(address: IPAddress(ipv4: 0x0A00_0001 + UInt32(number % 4)),
                              port: UInt16(20_000 + number / 4 % 10_000))
        manyServices.add(Connection(client: client, server: server, directionBasis: .policy, state: .closed,
                                    packetsToServer: 5, packetsToClient: 5, bytesToServer: 500, bytesToClient: 500,
                                    payloadBytesToServer: 100, payloadBytesToClient: 100,
                                    firstSeen: Int64(number), lastSeen: Int64(number) + 1_000))
    }
    let endStageInput = manyServices
    Benchmark("End stage dictionaries, 1 M client pairs of 40 k services") { benchmark in
        var statistics = endStageInput
        benchmark.startMeasurement()
        blackHole(statistics.takeServicesAndAttempts())
        benchmark.stopMeasurement()
    }
}
