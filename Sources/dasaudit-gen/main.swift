import ArgumentParser
import Foundation
import PcapKit
import TrafficGenerator

/// `dasaudit-gen`: writes a synthetic capture of any traffic shape (the benchmark matrix's,
/// the report scripts', the tests'), or repeats a real capture up to a packet count.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dasaudit-gen",
        abstract: "Write a deterministic synthetic capture of a DAS/Spark cluster's TCP traffic, of a given shape.",
        discussion: """
        The same options give the same bytes. A preset sets the shape of the benchmark matrix \
        (docs/performance.md); every other option changes one parameter of it. With --repeat, the \
        capture is a real one repeated up to --packets packets, each copy shifted in time and its \
        clients given new addresses (198.18.0.0/15, 2001:2::/48). A summary of what was written \
        goes to standard error. Exit status 0; 2 when an option or the output is wrong.
        """
    )

    @Argument(help: ArgumentHelp("The pcap file to write (replaced if it exists).", valueName: "out"))
    var output: String

    @Option(help: ArgumentHelp("A named shape: \(TrafficPreset.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "name"))
    var preset: String = TrafficPreset.cluster.rawValue

    @Option(help: "Packets to write (default 1000000; with --connections alone, until they end).")
    var packets: Int?
    @Option(help: "Connections to start in all (default: as many as --packets allows).")
    var connections: Int?
    @Option(name: .customLong("in-flight"), help: "Connections open at once, their packets interleaved.")
    var inFlight: Int?
    @Option(name: .customLong("packets-per-connection"), help: "Packets of a complete connection (at least 4).")
    var packetsPerConnection: Int?
    @Option(help: "Server endpoints (host, port) connections go to.")
    var services: Int?
    @Flag(name: .customLong("in-turn"), help: "Connections go to the services in turn, not at random.")
    var inTurn = false
    @Option(name: .customLong("unexpected-share"), help: "Share of the services on ports the catalog does not explain (0-1).")
    var unexpectedShare: Double?
    @Option(name: .customLong("refused-share"), help: "Share of connections refused (0-1).")
    var refusedShare: Double?
    @Option(name: .customLong("unanswered-share"), help: "Share of connections never answered (0-1).")
    var unansweredShare: Double?
    @Option(name: .customLong("reset-share"), help: "Share of connections reset after data (0-1).")
    var resetShare: Double?
    @Option(name: .customLong("open-share"), help: "Share of connections left open (0-1).")
    var openShare: Double?
    @Option(help: "Scanners, each sending SYN probes to ports 1...--scan-ports of one server host.")
    var scans: Int?
    @Option(name: .customLong("scan-ports"), help: "Ports each scanner probes.")
    var scanPorts: Int?
    @Option(help: "Server hosts the services are spread over.")
    var hosts: Int?
    @Option(help: "Client hosts the connections come from.")
    var clients: Int?
    @Option(name: .customLong("ipv6-share"), help: "Share of the server hosts reached over IPv6 (0-1).")
    var ipv6Share: Double?
    @Option(help: "Port offset of the cluster (expected services sit on the catalog ports moved by it).")
    var offset: Int?
    @Option(help: "Bytes kept of each packet (0: whole packets).")
    var snaplen: Int?
    @Flag(name: .customLong("no-payloads"), help: "Payloads of zeros only, no protocol starts.")
    var noPayloads = false
    @Option(help: "Mean packets per second of capture time.")
    var rate: Int?
    @Option(help: "Capture time of the first packet, seconds since 1970.")
    var start: Int64?
    @Option(help: "Seed of every random choice.")
    var seed: UInt64?
    @Option(name: .customLong("repeat"), help: ArgumentHelp("Repeat this capture up to --packets packets instead.", valueName: "capture"))
    var source: String?

    func shape() throws -> TrafficShape {
        guard let preset = TrafficPreset(rawValue: preset) else {
            throw ValidationError("--preset \(self.preset): no such preset (\(TrafficPreset.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var shape = preset.shape(packets: packets ?? 1_000_000)
        if let connections {
            shape.connections = connections
            if packets == nil { shape.packets = nil }
        }
        func set<T>(_ value: T?, _ path: WritableKeyPath<TrafficShape, T>) { if let value { shape[keyPath: path] = value } }
        set(inFlight, \.connectionsInFlight)
        set(packetsPerConnection, \.packetsPerConnection)
        set(services, \.services)
        set(unexpectedShare, \.unexpectedShare)
        set(refusedShare, \.refusedShare)
        set(unansweredShare, \.unansweredShare)
        set(resetShare, \.resetShare)
        set(openShare, \.openShare)
        set(scans, \.scans)
        set(scanPorts, \.scanPorts)
        set(hosts, \.serverHosts)
        set(clients, \.clientHosts)
        set(ipv6Share, \.ipv6Share)
        set(offset, \.offset)
        set(snaplen, \.snaplen)
        set(rate, \.rate)
        set(start, \.startTime)
        set(seed, \.seed)
        if inTurn { shape.servicesInTurn = true }
        if noPayloads { shape.payloads = false }
        return shape
    }

    func run() throws {
        let began = Date()
        if let source {
            let summary = try fail(output) {
                try CaptureRepeater.repeatCapture(source, to: output, packets: packets ?? 1_000_000, snaplen: snaplen ?? 0)
            }
            report("\(summary.packets) packets, \(summary.copies) copies of \(source) (\(summary.sourcePackets) packets, "
                + "\(summary.sourceConnections) TCP connections)", since: began)
            return
        }
        let shape = try shape()
        if let problem = shape.problems().first { throw ValidationError(problem) }
        let summary = try fail(output) {
            let writer = try CaptureWriter(path: output, linkType: 1, snapshotLength: Int32(shape.snaplen))
            let summary = try TrafficGenerator.generate(shape, into: writer)
            try writer.finish()
            return summary
        }
        let seconds = Double(summary.lastTime - summary.firstTime) / 1e9
        report("\(summary.packets) packets over \(String(format: "%.1f", seconds)) s of capture time; connections: "
            + "\(summary.complete) complete, \(summary.reset) reset, \(summary.open) open, \(summary.refused) refused, "
            + "\(summary.unanswered) unanswered (\(summary.cut) cut by the packet limit); \(summary.scanProbes) scan probes; "
            + "\(summary.servicesAnswering) services answered (\(summary.unexpectedServicesAnswering) unexpected), "
            + "\(summary.attemptEndpoints) endpoints refused or never answered", since: began)
    }

    /// Runs `body`; a failure is said with the output's name, and the run exits 2.
    func fail<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            FileHandle.standardError.write(Data("dasaudit-gen: \(path): \(error)\n".utf8))
            try? FileManager.default.removeItem(atPath: path)
            throw ExitCode(2)
        }
    }

    func report(_ text: String, since began: Date) {
        FileHandle.standardError.write(Data("dasaudit-gen: \(output): \(text); \(String(format: "%.1f", Date().timeIntervalSince(began))) s\n".utf8))
    }
}

// A usage error (an unknown option, a value out of range) exits 2, as dasaudit's do.
do {
    var command = try GenerateCommand.parseAsRoot()
    try command.run()
} catch {
    if GenerateCommand.exitCode(for: error).rawValue == ExitCode.validationFailure.rawValue {
        FileHandle.standardError.write(Data((GenerateCommand.fullMessage(for: error) + "\n").utf8))
        exit(2)
    }
    GenerateCommand.exit(withError: error)
}
