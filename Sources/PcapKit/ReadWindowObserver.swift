/// Sees every byte of a pcap file that dasaudit reads in place (`readPcapRecords`), in the
/// window it is read into, without a copy of its own: the evidence hash of an input read
/// on one thread, which then hashes the bytes the audit read instead of reading the file
/// a second time.
///
/// The window's bytes stay as they are from `windowFilled` until `windowWillChange`, and
/// may be read from any thread meanwhile; `windowWillChange` must not return while another
/// thread still reads them. The calls come from the reading thread, once a megabyte.
public protocol ReadWindowObserver: AnyObject {
    /// The window now holds the file's bytes `offset ..< offset + bytes.count` (the file's
    /// header, read by libpcap, is not among them).
    func windowFilled(_ bytes: UnsafeRawBufferPointer, at offset: Int64)
    /// The window is about to be refilled or freed: be done with its bytes.
    func windowWillChange()
    /// No more windows of this file will come: the reading ended, however it ended.
    func readingEnded()
}
