import ArgumentParser
import Audit

/// `--capture-point NAME` for the commands that make a result (`audit`, `live`): where the
/// packets were captured, which `merge` uses to join a connection cut by time windows of
/// one point and to count a connection seen from two points once (docs/merge.md).
struct CapturePointOption: ParsableArguments {
    @Option(help: ArgumentHelp("Name the capture point this result comes from, e.g. the node's name (default: host/interface "
                                   + "for live, the first input's file name for files). Give the same name to each time window "
                                   + "of one node, so that 'merge' joins connections cut between them.",
                               valueName: "name"))
    var capturePoint: String?

    func validate() throws {
        if let capturePoint {
            do { _ = try CapturePoint.named(capturePoint) } catch { throw ValidationError("\(error)") }
        }
    }

    /// The point named with the option, else `fallback`.
    func point(or fallback: @autoclosure () -> CapturePoint) -> CapturePoint {
        capturePoint.flatMap { try? CapturePoint.named($0) } ?? fallback()
    }
}
