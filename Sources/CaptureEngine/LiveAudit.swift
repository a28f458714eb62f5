import Audit
import Dispatch
import Foundation
import Flows
import PcapKit
import Wire

/// A live capture audited as it happens: each packet is written to the evidence files (if
/// any) and then goes through the same per-packet work as a file (`CaptureReader.consume`)
/// into one connection table, in prefetched batches once the table is large
/// (`SegmentBatch`, flushed before every audit of it); a status is computed whenever one is
/// due, and `finish()` gives the audit of everything captured, with libpcap's drop counts
/// in its coverage (and every connection listed, for `dasaudit merge`, when asked for).
///
/// The loop runs on the calling thread; other threads reach it only through `control`.
public struct LiveAudit {
    public let capture: LiveCapture
    /// The auditor of every status and of the end; its own endpoints follow the host's
    /// addresses (`OwnEndpoints.addHostAddresses`, before each audit).
    public private(set) var auditor: Auditor
    /// Where the raw packets are kept, or nil without `--write`.
    public let writer: CaptureWriter?
    public let control: LiveAuditControl
    /// Whether the final result lists every connection (`dasaudit live --connections`).
    public let listsConnections: Bool
    /// How the input is named in the result: `live:DEVICE`.
    public let inputName: String

    private let decoder: PacketDecoder
    private var reader: CaptureReader
    /// The segments on their way into the reader's table.
    private let batch = SegmentBatch()
    private var counts = PacketCounts()
    private var failure: String?
    /// The reading on after a stop, once one was asked for.
    private var drain: StopDrain?
    private let started = DispatchTime.now().uptimeNanoseconds
    private var lastStatus: (time: UInt64, packets: UInt64)

    /// Sets up the audit of an opened device. Throws `LiveCaptureError.unsupportedLinkType`
    /// for a device whose frames dasaudit cannot decode, `.notLive` for one it reads from
    /// files only (`LinkType.isLive`). `listingConnections`: keep every
    /// connection for the final result's `connections` too; memory then grows with them.
    public init(capture: LiveCapture, auditor: Auditor, writer: CaptureWriter?, listingConnections: Bool = false) throws {
        let linkType = LinkType(rawValue: capture.linkType)
        guard linkType.isSupported else {
            throw LiveCaptureError.unsupportedLinkType(
                device: capture.settings.device, linkType: capture.linkType, name: capture.linkTypeName,
                readable: LinkType.supportedKinds(live: true))
        }
        guard linkType.isLive else {
            throw LiveCaptureError.notLive(device: capture.settings.device, linkType: capture.linkType, name: capture.linkTypeName)
        }
        self.capture = capture
        self.auditor = auditor
        self.writer = writer
        self.control = LiveAuditControl(capture: capture)
        self.listsConnections = listingConnections
        self.inputName = "live:\(capture.settings.device)"
        self.decoder = PacketDecoder(linkType: linkType, vxlanPorts: auditor.vxlanPorts)
        self.reader = CaptureReader(rules: auditor.directionRules, limits: LiveAudit.limits,
                                    keepingConnections: listingConnections)
        reader.deduplicates = auditor.deduplicates
        reader.expectCopies(of: decoder)
        self.lastStatus = (started, 0)
        // Each pcapng evidence file records the drops of its own window, from the same
        // counts the audit reports.
        writer?.statisticsSource = { [capture] in capture.statistics() }
    }

    /// Captures until a stop is asked for (`control`), `packetLimit` packets have been
    /// captured, or the capture fails; calls `report` on this thread whenever a status is
    /// due. Returns why it stopped.
    public mutating func run(packetLimit: UInt64? = nil, report: (LiveAuditStatus) -> Void) -> LiveAuditControl.StopReason {
        let limit = packetLimit ?? .max
        while true {
            let end = readPackets(limit: limit)
            if case .failed(let reason) = end {
                readWhatTheKernelStillHolds(limit: limit)
                failure = "\(inputName): capture failed after \(counts.packets) packets: \(reason)"
                return .captureFailed(reason)
            }
            if counts.packets >= limit { return .packetLimit }
            let (stop, statusDue) = control.take()
            if let stop {
                // The packets captured before the stop count too (`StopDrain`).
                guard var drain else {
                    let drain = StopDrain(packets: counts.packets, batchTimeoutMilliseconds: capture.settings.timeoutMilliseconds)
                    self.drain = drain
                    control.breakLoop(after: Double(drain.window) / 1e9)
                    continue
                }
                let (over, newWindow) = drain.isOver(packets: counts.packets)
                self.drain = drain
                if over { return stop }
                if newWindow { control.breakLoop(after: Double(drain.window) / 1e9) }
                continue
            }
            if statusDue { report(status()) }
        }
    }

    /// Reads the packets the capture has until it is interrupted or fails, `limit` at most
    /// in all: each goes to the evidence files and into the audit. After a stop, the first
    /// packet stamped after it ends the reading.
    private mutating func readPackets(limit: UInt64) -> ReadEnd {
        capture.forEachPacket { header, bytes in
            writer?.write(header, bytes)
            reader.consume(header, bytes, decoder: decoder, counts: &counts, batch: batch)
            if counts.packets >= limit || drain?.read(timestamp: header.timestamp) == true { capture.breakLoop() }
        }
    }

    /// After the capture failed (the interface was deleted: "The interface disappeared"),
    /// the packets of the block the kernel was still filling are in its ring, and libpcap
    /// hands them over once the block's timeout has retired it; a read before that fails
    /// at once. So the capture is read again every 10 ms, until a read gets packets or
    /// twice the batch timeout has passed (200 ms at most). Until December 2026 they were
    /// left there: `ip link del` right after a burst of 50 packets lost the burst and the
    /// packets before it in the same batch (54 to 87 of 450, `LiveInterfaceGoneTests`).
    private mutating func readWhatTheKernelStillHolds(limit: UInt64) {
        let window = StopDrain.window(batchTimeoutMilliseconds: capture.settings.timeoutMilliseconds)
        let deadline = DispatchTime.now().uptimeNanoseconds &+ window
        // A capture that works again is not read on past the deadline.
        control.breakLoop(after: Double(window) / 1e9)
        while counts.packets < limit && DispatchTime.now().uptimeNanoseconds < deadline {
            usleep(10_000)
            let before = counts.packets
            _ = readPackets(limit: limit)
            if counts.packets > before { return }
        }
    }

    /// Where the audit stands now: counts, drops, and the services and findings an audit
    /// of what was captured so far gives.
    public mutating func status() -> LiveAuditStatus {
        let result = audit(interim: true)
        let now = DispatchTime.now().uptimeNanoseconds
        let seconds = Double(now - lastStatus.time) / 1e9
        let rate = seconds > 0 ? Double(counts.packets - lastStatus.packets) / seconds : 0
        lastStatus = (now, counts.packets)
        return LiveAuditStatus(
            elapsedSeconds: Double(now - started) / 1e9, packets: counts.packets, packetsPerSecond: rate,
            drops: result.coverage.drops ?? Drops(kernel: 0, interface: 0), connections: result.coverage.connections,
            services: result.summary.services,
            unexpected: result.services.filter { $0.classification == .unexpected || $0.classification == .executorOutOfRange }.count,
            findings: result.summary.findings, result: result)
    }

    /// Stops the timers, closes the evidence files, and audits everything captured, with
    /// every connection listed when `listsConnections` (the status audits list none). The
    /// last file's statistics and the audit take libpcap's counts from one reading, so the
    /// drops the files record add up to the drops the result reports.
    public mutating func finish() -> AuditResult {
        control.cancelTimers()
        let statistics = capture.statistics()
        writer?.close(statistics: statistics)
        reader.flushFragments(counts: &counts, batch: batch)
        var result = audit(statistics: statistics)
        if listsConnections { result.connections = reader.table.connections().map(ConnectionEntry.init) }
        return result
    }

    /// The audit of the packets captured so far, with the drops libpcap counts now (or
    /// `statistics`, counted already). `interim`: a status audit while the capture runs, which
    /// leaves out the connect attempts younger than `pendingAttemptSeconds`
    /// (`FlowTable.statistics(pendingSince:)`).
    private mutating func audit(interim: Bool = false, statistics counted: LiveCapture.Statistics? = nil) -> AuditResult {
        let statistics = counted ?? capture.statistics()
        reader.flush(batch)
        var summary = counts.summary(
            path: inputName, linkType: capture.linkType, linkTypeName: capture.linkTypeName,
            snaplen: capture.snapshotLength, error: failure,
            drops: Drops(kernel: statistics.dropped, interface: statistics.interfaceDropped), dropsSource: .live,
            translations: reader.translations)
        summary.countUntracked(by: reader.table, retractedBefore: CaseCounts(), badChecksumsBefore: CaseCounts())
        if auditor.ownEndpoints.followsHostAddresses {
            auditor.ownEndpoints.addHostAddresses(HostAddresses.current().compactMap(IPAddress.init))
        }
        guard interim else {
            var table = reader.table
            return auditor.audit(table.takeStatistics(cuttingAttemptsAt: AttemptsCutByEnd.ends(of: [summary])), inputs: [summary])
        }
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        return auditor.audit(reader.table.statistics(pendingSince: now - LiveAudit.pendingAttemptSeconds * 1_000_000_000),
                             inputs: [summary])
    }

    /// How long a connect attempt waits for its answer before a status audit counts it
    /// unanswered: 3 s, the time Linux takes to send a SYN twice (the initial retransmission
    /// timeout is 1 s, doubled at each retry), so that a SYN answered by the server's first
    /// or second SYN-ACK, or retransmitted once because the first one was lost, is never
    /// an interim `expected-service-not-answering`. The final audit counts every attempt.
    static let pendingAttemptSeconds: Int64 = 3

    /// The flow table's limits for a live capture: the standard ones, except that no
    /// connection is held back for merging with another input's (a live table is never
    /// merged), so ended and idle connections are evicted into the service statistics from
    /// the start and memory stays bounded however long the capture runs (unless every
    /// connection is listed too, `listingConnections`). A result of one time window is
    /// still merged with the next window's by `dasaudit merge`, from the listed connections.
    static let limits = FlowLimits(continuationWindow: 0)
}
