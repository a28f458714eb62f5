extension CaptureFile {
    /// Reads the rest of the input and folds every packet's time, lengths and captured bytes
    /// into one value, with how the read ended: what the tests and the capture fuzz target
    /// compare between the two ways of reading a file's records (`RecordReading`).
    package func recordDigest() -> RecordDigest {
        var value: UInt64 = 14_695_981_039_346_656_037  // FNV-1a, 64 bits
        func mix(_ byte: UInt8) { value = (value ^ UInt64(byte)) &* 1_099_511_628_211 }
        func mix<T: FixedWidthInteger>(_ field: T) { withUnsafeBytes(of: field.littleEndian) { $0.forEach(mix) } }
        let end = forEachPacket { header, bytes in
            mix(header.timestamp)
            mix(header.capturedLength)
            mix(header.wireLength)
            bytes.forEach(mix)
        }
        return RecordDigest(packets: packetsRead, value: value, end: end)
    }
}

/// What `CaptureFile.recordDigest` found.
package struct RecordDigest: Equatable, CustomStringConvertible {
    package var packets: Int
    package var value: UInt64
    package var end: ReadEnd

    package var description: String { "\(packets) packets, digest \(value), \(end)" }
}
