import Foundation

/// The CPU time the calling thread has used so far, in seconds (`CLOCK_THREAD_CPUTIME_ID`):
/// what `dasaudit audit --timings` says of the tracking thread and of the evidence hash,
/// whichever threads ran them (`StageTimings.cpuLine`). A system call of a fraction of a
/// microsecond, so it is read around whole runs of work (a tracking thread's life, a hash
/// chunk of 256 KiB), never per packet.
enum ThreadCPUTime {
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
