#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One pcapng evidence file of `live --write` being written (`CaptureWriter`), on a
/// descriptor the writer opened safely: its Section Header Block and Interface Description
/// Block when it starts, then each packet as an Enhanced Packet Block, and at its close an
/// Interface Statistics Block with the packets the capture lost during the file's window.
///
/// Each block goes to the file in one `write(2)` as it is made, with no buffer in between,
/// so the file always ends on a whole block, as the pcap files flushed packet by packet do.
/// A block that could not be written whole (a full disk) is cut off again
/// (`cutBack`), so the file stays readable up to its last whole packet.
@usableFromInline
final class PcapngEvidenceFile {
    let descriptor: Int32
    /// Bytes of whole blocks in the file.
    @usableFromInline private(set) var length: UInt64 = 0
    /// Where each Enhanced Packet Block is built: room for the largest packet the
    /// snapshot length lets through, allocated once.
    @usableFromInline let block: UnsafeMutableRawBufferPointer

    /// Writes the file's Section Header Block and Interface Description Block to
    /// `descriptor` (which it closes from now on), the file at `path`; throws the failure
    /// of a write.
    init(descriptor: Int32, path: String, linkType: Int32, snapshotLength: UInt32, interfaceName: String) throws {
        self.descriptor = descriptor
        block = .allocate(byteCount: Int(PcapngBlockEncoding.packetBlockLength(captured: snapshotLength)), alignment: 8)
        let opening = PcapngBlockEncoding.sectionHeader(application: "dasaudit live")
            + PcapngBlockEncoding.interfaceDescription(linkType: UInt16(truncatingIfNeeded: linkType),
                                                       snapshotLength: snapshotLength, name: interfaceName)
        if let code = append(opening) { throw CaptureWriter.Failure(path: path, reason: String(cString: strerror(code))) }
    }

    deinit {
        block.deallocate()
        _ = close(descriptor)
    }

    /// Writes one packet of `captured` bytes (at most the snapshot length) as an Enhanced
    /// Packet Block; the `errno` of a failure, or nil.
    @usableFromInline
    func writePacket(timestamp: Int64, captured: UInt32, wire: UInt32, bytes: UnsafeRawPointer?) -> Int32? {
        let count = PcapngBlockEncoding.packet(into: block.baseAddress!, timestamp: timestamp, captured: captured,
                                               wire: wire, bytes: bytes)
        return append(UnsafeRawBufferPointer(rebasing: block[..<count]))
    }

    /// Writes the Interface Statistics Block of the file's window; the `errno` of a
    /// failure, or nil.
    func writeStatistics(_ window: StatisticsWindow) -> Int32? {
        append(PcapngBlockEncoding.interfaceStatistics(window))
    }

    /// Cuts the file back to its last whole block, after a write that failed midway.
    @usableFromInline
    func cutBack() { _ = ftruncate(descriptor, off_t(length)) }

    /// Whether the file has been removed while it was written (its link count is 0).
    var isRemoved: Bool {
        var status = stat()
        return fstat(descriptor, &status) == 0 && status.st_nlink == 0
    }

    private func append(_ bytes: [UInt8]) -> Int32? {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Writes `bytes` whole; a write the file took only part of is cut off again.
    private func append(_ bytes: UnsafeRawBufferPointer) -> Int32? {
        errno = 0
        guard POSIXFile.write(descriptor, bytes) else {
            let code = errno == 0 ? ENOSPC : errno
            cutBack()
            return code
        }
        length &+= UInt64(bytes.count)
        return nil
    }
}
