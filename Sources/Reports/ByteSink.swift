import Audit

/// Where a report's bytes go while it is produced: a fixed 64 KiB buffer, handed to
/// `drain` (a file, standard output, memory) each time it fills and once at the end. A
/// report of any size is written in constant memory and without building one string of
/// it, so a 40,000-service result costs the buffer and not the whole text.
///
/// Writing never throws, so renderers stay plain code: the first failure of `drain` (a
/// full disk, a closed pipe) is kept, everything after it is dropped, and `finish`
/// throws it. The caller decides what a failed report means (`OutputFile` removes the
/// partial file it was writing).
public final class ByteSink {
    /// The buffer's size: large enough that a write call is rare per byte, small enough to
    /// stay in the cache.
    public static let capacity = 65_536

    @exclusivity(unchecked) private var buffer: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var count = 0
    private let drain: (UnsafeRawBufferPointer) throws -> Void
    /// The first error `drain` threw; nil while every write succeeded.
    public private(set) var failure: (any Error)?
    /// Bytes handed over so far, the buffered ones included.
    @exclusivity(unchecked) public private(set) var bytesWritten: UInt64 = 0

    /// A sink whose bytes go to `drain`, in order, in pieces of up to `capacity` bytes
    /// (a larger single write goes straight through).
    public init(drain: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.drain = drain
        buffer = .allocate(capacity: ByteSink.capacity)
    }

    deinit { buffer.deallocate() }

    /// Renders into memory: what `produce` writes to a sink, as one string. For tests and
    /// for callers that want the text itself; output goes through a draining sink instead.
    public static func collect(_ produce: (ByteSink) throws -> Void) rethrows -> String {
        final class Collected { var bytes: [UInt8] = [] }
        let collected = Collected()
        let sink = ByteSink { collected.bytes.append(contentsOf: $0) }
        try produce(sink)
        sink.flush()
        return String(decoding: collected.bytes, as: UTF8.self)
    }

    // MARK: Writing

    /// Appends raw bytes.
    @inline(__always)
    public func write(_ bytes: UnsafeRawBufferPointer) {
        bytesWritten &+= UInt64(bytes.count)
        if bytes.count <= ByteSink.capacity - count {
            if let base = bytes.baseAddress {
                (buffer + count).update(from: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
            }
            count += bytes.count
            return
        }
        flush()
        if bytes.count >= ByteSink.capacity {
            deliver(bytes)
        } else {
            buffer.update(from: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), count: bytes.count)
            count = bytes.count
        }
    }

    /// Appends `text`'s UTF-8.
    @inline(__always)
    public func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// Appends a literal given as `StaticString` (a plain string literal is a `String`).
    @inline(__always)
    public func write(_ text: StaticString) {
        write(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends one byte.
    @inline(__always)
    public func write(byte: UInt8) {
        if count == ByteSink.capacity { flush() }
        buffer[count] = byte
        count += 1
        bytesWritten &+= 1
    }

    /// Appends `byte` `repeating` times (indentation).
    @inline(__always)
    public func write(byte: UInt8, repeating times: Int) {
        guard times > 0 else { return }
        if times > ByteSink.capacity - count { flush() }
        guard times <= ByteSink.capacity else {
            for _ in 0..<times { write(byte: byte) }
            return
        }
        (buffer + count).initialize(repeating: byte, count: times)
        count += times
        bytesWritten &+= UInt64(times)
    }

    /// Appends `value` in decimal, as `"\(value)"` writes it, without making a string.
    @inline(__always)
    public func write(decimal value: UInt64) {
        if value < 10 { return write(byte: UInt8(truncatingIfNeeded: value) &+ 48) }
        // 20 digits hold UInt64.max.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var value = value, position = 20
            while value > 0 {
                position -= 1
                let (quotient, remainder) = value.quotientAndRemainder(dividingBy: 10)
                digits[position] = UInt8(truncatingIfNeeded: remainder) &+ 48
                value = quotient
            }
            write(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(digits)[position...]))
        }
    }

    /// Appends `value` in decimal, a minus sign first when it is negative.
    @inline(__always)
    public func write(decimal value: Int64) {
        if value < 0 { write(byte: UInt8(ascii: "-")) }
        write(decimal: value.magnitude)
    }

    // MARK: Delivering

    /// Hands the buffered bytes to `drain`.
    public func flush() {
        guard count > 0 else { return }
        deliver(UnsafeRawBufferPointer(start: buffer, count: count))
        count = 0
    }

    /// Flushes, then throws the first failure of `drain`, if any.
    public func finish() throws {
        flush()
        if let failure { throw failure }
    }

    private func deliver(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil else { return }
        do {
            try drain(bytes)
        } catch {
            failure = error
        }
    }
}

extension ByteSink {
    /// Appends `text` as `String.htmlEscaped` makes it, without making that string: a value
    /// with nothing to escape is copied as it is, any other in runs between its escapes.
    func write(htmlEscaping text: String) {
        // No check first: a value with nothing to escape is one run, written after one pass.
        String.escapingHTML(text) { write($0) }
    }
}

extension ByteSink {
    /// Appends a time as its `description` (RFC 3339, nine fractional digits), written in
    /// place (`Timestamp.write(into:)`) without a string made for it: two a service, in
    /// every format that lists services.
    @inline(__always)
    func write(_ time: Timestamp) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Timestamp.textLength) { text in
            time.write(into: UnsafeMutableRawBufferPointer(text))
            write(UnsafeRawBufferPointer(text))
        }
    }
}
