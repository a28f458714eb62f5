import CPcap
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading a pcapng file in place, with libpcap stepping in for the blocks that are its own.
extension CaptureFile {
    /// Reads the packet blocks in place (`readPcapngRecords`); at each block libpcap must
    /// judge, libpcap reads the file from there up to its next packet, and the reading in
    /// place takes it back after that packet (`PcapngRecordFormat.advanced`).
    ///
    /// Why a step and not the rest of the file: a new interface is such a block, and a
    /// capture on several interfaces (`dumpcap -i a -i b`) describes them all before its
    /// first packet. Read by libpcap from there, its packets would say neither where they
    /// came from nor be read in place. libpcap keeps the state of the interfaces and sections
    /// it reads, so it judges every block given to it as it would have reading the whole
    /// file, error messages included.
    ///
    /// Ends as `readPcapngRecords` does, `.libpcapReadsOn` when the file stays libpcap's
    /// after its step (an interface past `PcapngRecordFormat.interfaceLimit`, more than
    /// `stepLimit` bytes read in the step).
    @inlinable
    func readPcapngInPlace(_ deliver: (PacketHeader, UnsafeRawBufferPointer) throws -> Bool) rethrows -> InPlaceReadEnd {
        var window = RecordWindow(observer: windowObserver, cutsOnStop: isCutOnStop)
        defer { window.deallocate() }
        while case .pcapng(let format) = recordFormat {
            let end = try readPcapngRecords(from: stream.file, format: format, window: &window, statistics: &statistics!,
                                            deliver)
            guard case .handOver(let offset) = end, offset >= 0 else { return end }
            if let stepEnd = try stepThroughLibpcap(from: offset, format: format, window: &window, deliver) {
                return stepEnd
            }
        }
        return .libpcapReadsOn
    }

    /// libpcap reads the file from `offset` up to its next packet, which goes to `deliver`;
    /// nil when the reading in place then goes on (`recordFormat` and `statistics` as the
    /// blocks read left them, `window` moved past them), how the reading ended otherwise.
    @usableFromInline
    func stepThroughLibpcap(from offset: Int64, format: PcapngRecordFormat, window: inout RecordWindow,
                            _ deliver: (PacketHeader, UnsafeRawBufferPointer) throws -> Bool) rethrows -> InPlaceReadEnd? {
        guard fseeko(stream.file, off_t(offset), SEEK_SET) == 0 else {
            return .failed("error reading dump file: " + POSIXFile.describe(errno))
        }
        var taken: (format: PcapngRecordFormat, statistics: PcapngStatistics, end: Int64)?
        var goOn = true
        let status = try packetLoop(handle, fractionScale: 1, onePacket: true) { header, bytes in
            var packet = header
            let here = Int64(ftello(stream.file))
            var noted = statistics!
            if let (next, interface) = blocksRead(from: offset, to: here, window: window)
                .flatMap({ $0.withUnsafeBytes { format.advanced(over: $0, statistics: &noted) } }) {
                packet.interface = interface
                taken = (next, noted, here)
            }
            goOn = try deliver(packet, bytes)
        }
        switch status {
        case 1:
            guard let taken else {
                // libpcap keeps the file; its statistics blocks are read after it from `offset`.
                libpcapTakesOver()
                handedOverAt = offset
                return goOn ? .libpcapReadsOn : .stopped
            }
            (recordFormat, statistics) = (.pcapng(taken.format), taken.statistics)
            guard window.resume(at: taken.end, in: stream.file) else {
                return .failed("error reading dump file: " + POSIXFile.describe(errno))
            }
            return goOn ? nil : .stopped
        case PCAP_ERROR_BREAK:
            // libpcap had the last word: the rest of the file held no packet.
            recordFormat = nil
            statistics!.walk(descriptor: fileno(stream.file), from: offset)
            return .endOfFile
        default:
            recordFormat = nil
            return .failed(String(cString: pcap_geterr(handle)))
        }
    }

    /// The most bytes libpcap may read in one step for the reading in place to take the file
    /// back after it (16 MiB is libpcap's largest block).
    @usableFromInline static var stepLimit: Int { 32 << 20 }

    /// The file's bytes from `offset` to `end`, which libpcap has just read: from `window`
    /// when it holds them, read again otherwise; nil past `stepLimit` or on a read error.
    func blocksRead(from offset: Int64, to end: Int64, window: RecordWindow) -> [UInt8]? {
        guard end > offset, end - offset <= Int64(Self.stepLimit) else { return nil }
        let count = Int(end - offset)
        if window.unreadOffset == offset, window.count >= count {
            return [UInt8](UnsafeRawBufferPointer(start: window.unread, count: count))
        }
        var bytes = [UInt8](repeating: 0, count: count)
        let got = bytes.withUnsafeMutableBytes { POSIXFile.read(fileno(stream.file), into: $0, at: Int(offset)) }
        return got == count ? bytes : nil
    }
}
