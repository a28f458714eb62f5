import Audit
import CaptureEngine
import Dispatch
import Foundation
import PcapKit

/// Ctrl-C (SIGINT), SIGTERM and SIGHUP (the terminal or the ssh session gone) during
/// `dasaudit live`. The first asks the capture to stop cleanly, so the final audit is still
/// written in every requested format; a second exits at once, without it (the evidence
/// files are complete up to their last packet: each packet is flushed as it is written,
/// and the exit waits for the one being written, `PacketWriteGate`). Started under nohup, it leaves SIGHUP ignored.
///
/// The signals are taken by dispatch sources, not handlers, so the work runs on a normal
/// thread; it wakes the capture thread through `LiveAuditControl` (`pcap_breakloop`).
final class StopSignals {
    private let queue = DispatchQueue(label: "dasaudit.live.signals")
    private var sources: [DispatchSourceSignal] = []
    private var received = 0

    init(control: LiveAuditControl) {
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP")] {
            let previous = signal(number, SIG_IGN)
            // Under nohup SIGHUP is ignored from the start, and stays so: the run outlives its session.
            if number == SIGHUP && unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) { continue }
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [unowned self] in  // the cycle with `source` ends at cancel()
                received += Int(source.data)
                if received == 1 {
                    printError("\(name): stopping the capture; the final audit follows (again to quit at once)", label: "note")
                    control.requestStop(.signal(name))
                } else {
                    printError("\(name) again: quitting without the final audit")
                    PacketWriteGate.quit(128 + number)
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
