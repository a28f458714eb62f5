import Foundation

/// The open-file limit every command needs, checked first thing: below it, runs failed in
/// ways that named no cause. At `ulimit -n 5` libdispatch's `eventfd` failed and the
/// process died on SIGILL; at 6 to 8, hundreds of inputs in a directory failed one by one
/// with "Too many open files" (the reading, the hash and the decompressors hold several
/// descriptors at once).
enum DescriptorLimit {
    /// What every command fits in, with its inputs read one at a time: measured, 16 ran
    /// 2,050 inputs (hunt28b); 8 did not.
    static let needed: rlim_t = 16
    /// Glibc declares the resource as an enum Swift imports apart from the `Int32` the
    /// functions take.
    private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)

    /// The most inputs read at once under the open-file limit (nil: no bound). Each
    /// reading thread holds the input, its hash's descriptor and, for a compressed input,
    /// the decompressor's pipe and error file: at `ulimit -n 16` and 18, two threads failed 49
    /// of 50 gzip-compressed inputs ("cannot create a pipe", "Too many open files"); one
    /// thread read all 50 at 16, two at 20 and up (hunt31). One thread up to 21, then one
    /// more per 4 descriptors.
    static func readingThreads() -> Int? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < 1024 else { return nil }
        return 1 + Int(limit.rlim_cur.subtractingReportingOverflow(18).overflow ? 0 : (limit.rlim_cur - 18) / 4)
    }

    /// Raises the soft limit to `needed` when the hard limit allows (`ulimit -Sn 8` is then
    /// no obstacle), and otherwise says what to do, for exit 2.
    static func ensure() -> String? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < needed else { return nil }
        if limit.rlim_max >= needed {
            var raised = limit
            raised.rlim_cur = needed
            if setrlimit(resource, &raised) == 0 { return nil }
        }
        return "the open-file limit is \(limit.rlim_cur) (hard limit \(limit.rlim_max)); dasaudit needs at least "
            + "\(needed): raise it (ulimit -n \(needed)) and run again"
    }
}
