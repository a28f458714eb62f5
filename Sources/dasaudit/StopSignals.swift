import Audit
import CaptureEngine
import Dispatch
import Foundation
import PcapKit

/// Ctrl-C (SIGINT), SIGTERM and SIGHUP (the terminal or the ssh session gone) during
/// `dasaudit live`, or while `audit`, `flows` or `infer` read captures. The first asks the
/// capture (`capturing`) or the reading of the inputs (`reading`, `InputStop`) to stop
/// cleanly, so what was captured or read is still audited and every report written; a
/// second ends the run at once, without them, as the signal's default action does
/// (`PacketWriteGate.quit`: the evidence files of `live` are complete up to their last
/// packet, each flushed as it is written and the one being written waited for; the
/// reports' temporary files are removed). Started under nohup, it leaves SIGHUP ignored.
///
/// Once the capture or the reading is over (`writingOutputs`), nothing is left to stop but
/// the writing of the outputs: the first signal then gives up those whose reader takes
/// nothing (`OutputStop`: a full pipe or standard output, a FIFO no process opened), and
/// says so; the other outputs are written.
///
/// The signals are taken by dispatch sources, not handlers, so the work runs on a normal
/// thread; it wakes the capture thread through `LiveAuditControl` (`pcap_breakloop`), the
/// reading threads through `InputStop`, the writes through `OutputStop`. Its notes are
/// written only if standard error takes them at once: waiting there on a reader that does
/// not read would leave the next signal untaken.
final class StopSignals {
    private let queue = DispatchQueue(label: "dasaudit.signals")
    private var sources: [DispatchSourceSignal] = []
    private var received = 0
    /// What the first signal stops ("the capture", "the reading"); what is over once
    /// `writingOutputs` is called.
    private let stopping: String
    /// Set by `writingOutputs`, read on `queue`.
    private var writing = false

    /// For `live`: the first signal stops the capture.
    static func capturing(_ control: LiveAuditControl) -> StopSignals {
        StopSignals(stopping: "the capture", then: "the final audit follows", quitting: "without the final audit") {
            control.requestStop(.signal($0))
        }
    }

    /// For the commands that read captures: the first signal stops the reading, and `then`
    /// says what follows (`the audit of what was read follows`).
    static func reading(then: String, quitting: String) -> StopSignals {
        StopSignals(stopping: "the reading", then: then, quitting: quitting) { InputStop.request(signal: $0) }
    }

    /// For a command that writes its output as it reads (`flows`): the first signal stops
    /// the reading and, at once, the writing of an output whose reader takes nothing, which
    /// would otherwise hold the reading where it stands.
    static func readingWhileWriting(then: String, quitting: String) -> StopSignals {
        StopSignals(stopping: "the reading", then: then, quitting: quitting) {
            InputStop.request(signal: $0)
            OutputStop.request(signal: $0)
        }
    }

    /// The capture or the reading is over: from now on a first signal stops the writing of
    /// the outputs whose reader takes nothing (`OutputStop`), not what is over.
    func writingOutputs() {
        queue.sync { writing = true }
    }

    /// For the commands that only read results and write reports (`render`, `merge`,
    /// `diff`): there is nothing to stop cleanly, so the first signal quits at once, as its
    /// default action would, but removes the temporary files of the reports being written
    /// first. Killed by the default action, a run left each one behind, hidden and as large
    /// as the report.
    static func quitting(without what: String) -> StopSignals {
        StopSignals(stopping: "", then: "", quitting: what, stop: nil)
    }

    /// `stop`: what the first signal does; nil when the first signal quits at once.
    private init(stopping: String, then: String, quitting: String, stop: ((String) -> Void)?) {
        self.stopping = stopping
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP")] {
            let previous = signal(number, SIG_IGN)
            // Under nohup SIGHUP is ignored from the start, and stays so: the run outlives its session.
            if number == SIGHUP && unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) { continue }
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [unowned self] in  // the cycle with `source` ends at cancel()
                received += Int(source.data)
                if received == 1, writing {
                    printErrorIfRoom("\(name): \(self.stopping) is over; stopping the writing of any output whose reader "
                        + "takes nothing (a full pipe or standard output, a FIFO no process opened), the others are written "
                        + "(again to quit at once)", label: "note")
                    OutputStop.request(signal: name)
                } else if received == 1, let stop {
                    printErrorIfRoom("\(name): stopping \(stopping); \(then) (again to quit at once)", label: "note")
                    stop(name)
                } else {
                    printErrorIfRoom("\(name)\(received > 1 ? " again" : ""): quitting \(quitting)")
                    PacketWriteGate.quit(signal: number)
                }
            }
            // A signal that came before the source is registered would be lost (ignored):
            // wait for the registration, so none is once `init` returns.
            let registered = DispatchSemaphore(value: 0)
            source.setRegistrationHandler { registered.signal() }
            source.resume()
            registered.wait()
            sources.append(source)
        }
    }

    deinit {
        sources.forEach { $0.cancel() }
    }
}
