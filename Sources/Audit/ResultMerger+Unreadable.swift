import Foundation

/// A result `merge` was given but could not merge: not JSON, cut short, another schema, a
/// value no audit writes (`AuditResult.validate`), or no `connections` section. The
/// others are merged without it, as `audit` audits the captures it can read beside one it
/// cannot: the result names it as an input of its own, at a capture point named after its
/// file, with the reason, so that every report says which node's traffic is missing (an
/// `incomplete-input` finding, and a `no-traffic` one for its capture point, so the
/// verdict is never compliant), and the command exits 2 (docs/merge.md).
public struct UnreadableResult: Error, CustomStringConvertible, Sendable {
    /// The result's path as given (`-` for standard input).
    public var path: String
    /// Why it could not be merged, naming the path: "b.json is not a readable dasaudit
    /// result: connections[0].client: ...".
    public var error: String

    public init(path: String, error: String) {
        self.path = path
        self.error = error
    }

    public var description: String { error }

    /// What a result that could not be read says, with the problem (the field, where the
    /// JSON was read), as `render` and `diff` say it too.
    public init(path: String, problem: String) {
        self.init(path: path, error: "\(path) is not a readable dasaudit result: \(problem)")
    }

    /// Its capture point: the machine that captured it is unknown, so its file name, as an
    /// audit of files names its point (`CapturePoint.files`).
    public var capturePoint: CapturePoint { CapturePoint.files([path]) }

    /// Its row in the merged result's `inputs`: nothing read, incomplete, the reason.
    public var input: InputSummary {
        var input = InputSummary(path: path, packets: 0, tcpSegments: 0, skipped: [:], complete: false, error: error)
        input.capturePoint = capturePoint.name
        return input
    }

    /// Its row in the merged result's `evidence.inputs`: no digest, since the captures
    /// behind it are unknown.
    public var evidence: Evidence.InputEvidence {
        Evidence.InputEvidence(path: path, sha256: nil, sizeBytes: nil,
                               note: "not a readable dasaudit result: the captures behind it are unknown")
    }
}

extension ResultMerger {
    /// Why a result that was read cannot be merged (it has no `connections` section), or
    /// nil when it can: what `merge` refuses, and what the command names as an unreadable
    /// input.
    public static func unmergeableProblem(_ result: AuditResult, name: String) -> String? {
        guard result.connections == nil else { return nil }
        // Name the command that made the result: it is the one to run again.
        let command = result.inputs.contains { $0.dropsSource == .live } ? "live" : "audit"
        return "\(name) has no connections section: make it with `dasaudit \(command) --connections`, so that a "
            + "connection seen at both ends, or cut between time windows, is counted once"
    }
}
