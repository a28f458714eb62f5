import Foundation

/// The open-file limit every command needs, checked first thing: below it, runs failed in
/// ways that named no cause. At `ulimit -n 5` libdispatch's `eventfd` failed and the
/// process died on SIGILL; at 6 to 8, hundreds of inputs in a directory failed one by one
/// with "Too many open files" (the reading, the hash and the decompressors hold several
/// descriptors at once). Descriptors the run inherited open below the limit (`exec 3<file`
/// in the shell that started it) take room too: at `ulimit -n 16` with six or seven held,
/// libdispatch's signal or timer descriptor could not be made and the process died on
/// SIGILL, or the capture could not be opened.
enum DescriptorLimit {
    /// What every command fits in, with its inputs read one at a time, with standard input,
    /// output and error its only descriptors at the start: measured, 16 ran 2,050 inputs
    /// (hunt28b); 8 did not.
    static let needed: rlim_t = 16
    /// The descriptors every process holds from the start, counted in `needed`.
    private static let standardStreams: rlim_t = 3
    /// What a run makes itself: `needed` less the standard streams.
    private static let made = needed - standardStreams
    /// Glibc declares the resource as an enum Swift imports apart from the `Int32` the
    /// functions take.
    private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    /// Without /proc, the open descriptors are found by asking the system of each number;
    /// not of those from here on, as no run inherits that many.
    private static let askedBelow: Int32 = 1 << 16

    /// The most inputs read at once under the open-file limit (nil: no bound). Each
    /// reading thread holds the input, its hash's descriptor and, for a compressed input,
    /// the decompressor's pipe and error file: at `ulimit -n 16` and 18, two threads failed 49
    /// of 50 gzip-compressed inputs ("cannot create a pipe", "Too many open files"); one
    /// thread read all 50 at 16, two at 20 and up (hunt31). One thread up to 21 (less any
    /// descriptor inherited below the limit), then one more per 4.
    static func readingThreads() -> Int? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < 1024 else { return nil }
        let room = limit.rlim_cur - held(below: limit.rlim_cur, among: inherited())
        return 1 + Int(room.subtractingReportingOverflow(18).overflow ? 0 : (room - 18) / 4)
    }

    /// Raises the soft limit to what the run needs (`needed`, and one more for each
    /// descriptor it inherited open below it) when the hard limit allows (`ulimit -Sn 8` is
    /// then no obstacle), and otherwise says what to do, for exit 2.
    static func ensure() -> String? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return nil }
        let open = inherited()
        // The least limit that leaves `made` numbers free: each inherited one below it takes one.
        var wanted = max(limit.rlim_cur, needed)
        while wanted - standardStreams - held(below: wanted, among: open) < made { wanted += 1 }
        guard limit.rlim_cur < wanted else { return nil }
        if limit.rlim_max >= wanted {
            var raised = limit
            raised.rlim_cur = wanted
            if setrlimit(resource, &raised) == 0 { return nil }
        }
        let holding = held(below: limit.rlim_cur, among: open)
        if holding == 0 {
            return "the open-file limit is \(limit.rlim_cur) (hard limit \(limit.rlim_max)); dasaudit needs at least "
                + "\(needed): raise it (ulimit -n \(needed)) and run again"
        }
        return "the open-file limit is \(limit.rlim_cur) (hard limit \(limit.rlim_max)), and \(holding) descriptor"
            + (holding == 1 ? " below it was" : "s below it were") + " already open when dasaudit started (inherited "
            + "from the program that started it, besides standard input, output and error); dasaudit needs \(made) "
            + "free beside those, \(wanted) in all: raise the limit (ulimit -n \(wanted)) or close the inherited "
            + "descriptors, and run again"
    }

    /// How many of `open` are numbered below `limit`: only those take numbers a new
    /// descriptor could have.
    private static func held(below limit: rlim_t, among open: [Int32]) -> rlim_t {
        rlim_t(open.filter { rlim_t($0) < limit }.count)
    }

    /// The descriptors open now beyond standard input, output and error: /proc/self/fd's
    /// entries but the listing's own, or else each number the system says is open.
    private static func inherited() -> [Int32] {
        let first = Int32(standardStreams)
        guard let listing = opendir("/proc/self/fd") else {
            return (first..<askedBelow).filter { fcntl($0, F_GETFD) != -1 }
        }
        defer { closedir(listing) }
        var open: [Int32] = []
        while let entry = readdir(listing) {
            let number = withUnsafeBytes(of: entry.pointee.d_name) { name in
                Int32(String(decoding: name.prefix { $0 != 0 }, as: UTF8.self))
            }
            if let number, number >= first, number != dirfd(listing) { open.append(number) }
        }
        return open
    }
}
