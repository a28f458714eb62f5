import Dispatch

/// Runs `first` and `second` and returns both results: at the same time on two threads
/// when `inParallel`, else one after the other on this one.
///
/// The end stage has passes that read the same services but not each other's results (the
/// findings and the services' summaries; the port scans and the classification; the
/// sorting of the first and the second half of the services' client lists). Once the
/// packet loop has ended, the reading and tracking threads' cores are free: two such
/// passes at once take the time of the longer one. Each must touch nothing the other
/// writes.
package func bothAtOnce<First, Second>(inParallel: Bool, _ first: () -> First, _ second: () -> Second) -> (First, Second) {
    guard inParallel else {
        let firstResult = first()
        return (firstResult, second())
    }
    return withoutActuallyEscaping(first) { first in
        withoutActuallyEscaping(second) { second in
            let pair = ClosurePair(first: first, second: second)
            DispatchQueue.concurrentPerform(iterations: 2) { pair.run($0) }
            return (pair.firstResult!, pair.secondResult!)
        }
    }
}

/// Two closures and their results, shared by the two threads of `bothAtOnce`.
// Unchecked Sendable: thread 0 runs `first` and writes `firstResult` only, thread 1 the
// same for `second`; both results are read after `concurrentPerform` has returned, which
// waits for both threads. The closures touch nothing the other writes (`bothAtOnce`).
private final class ClosurePair<First, Second>: @unchecked Sendable {
    let first: () -> First
    let second: () -> Second
    var firstResult: First?
    var secondResult: Second?

    init(first: @escaping () -> First, second: @escaping () -> Second) {
        self.first = first
        self.second = second
    }

    func run(_ which: Int) {
        if which == 0 { firstResult = first() } else { secondResult = second() }
    }
}
