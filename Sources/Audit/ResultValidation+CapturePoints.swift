import Policy

extension AuditResult {
    /// The longest capture point name a result may hold (a file name is at most 255
    /// bytes; a host name and an interface, less).
    public static let maximumCapturePointLength = 512

    /// Throws the first capture point no audit or merge could have written: an empty or
    /// overlong name, an input or a connection entry naming a point the result does not
    /// list, or an entry whose `ending` is not `closed`, `reset` or `established`. Names are
    /// otherwise free text (file and host names), escaped wherever they are printed. (An
    /// input's point is what `merge` tells a node's time windows by: one naming a point of
    /// another result was refused as that node's capture of the same time.)
    func validateCapturePoints() throws {
        func checkName(_ path: String, _ name: String) throws {
            if name.isEmpty { throw ResultValidationError(path: path, problem: "is empty") }
            if name.unicodeScalars.count > AuditResult.maximumCapturePointLength {
                throw ResultValidationError(path: path, problem: "is \(name.unicodeScalars.count) characters long, above "
                    + "\(AuditResult.maximumCapturePointLength)")
            }
        }
        for (index, point) in (capturePoints ?? []).enumerated() { try checkName("capture_points[\(index)].name", point.name) }
        let listed = Set((capturePoints ?? []).map(\.name))
        func checkListed(_ path: String, _ name: String) throws {
            try checkName(path, name)
            if capturePoints != nil && !listed.contains(name) {
                throw ResultValidationError(path: path, problem: "'\(name.escapedForMessage)' is not one of the result's capture_points")
            }
        }
        for (index, input) in inputs.enumerated() {
            guard let name = input.capturePoint else { continue }
            try checkListed("inputs[\(index)].capture_point", name)
        }
        for (index, gap) in (coverage.captureGaps ?? []).enumerated() {
            let path = "coverage.capture_gaps[\(index)]"
            try checkListed(path + ".capture_point", gap.capturePoint)
            if gap.from > gap.to { throw ResultValidationError(path: path + ".from", problem: "\(gap.from) is after to \(gap.to)") }
            if !(gap.seconds.isFinite && gap.seconds >= 0) {
                throw ResultValidationError(path: path + ".seconds", problem: "\(gap.seconds) is not a length of time")
            }
        }
        if let clock = coverage.clockOf { try checkListed("coverage.clock_of", clock) }
        for (index, offset) in (coverage.clockOffsets ?? []).enumerated() {
            let path = "coverage.clock_offsets[\(index)]"
            try checkListed(path + ".capture_point", offset.capturePoint)
            try checkListed(path + ".clock_of", offset.clockOf)
            if !(offset.secondsAhead.isFinite && offset.secondsAhead.magnitude < 18_446_744_074) {
                throw ResultValidationError(path: path + ".seconds_ahead", problem: "\(offset.secondsAhead) is not an offset between clocks")
            }
        }
        if let joined = coverage.captureGapsJoined, !(joined.seconds.isFinite && joined.seconds >= 0) || joined.count > AuditResult.maximumCount {
            throw ResultValidationError(path: "coverage.capture_gaps_joined", problem: "\(joined.count) gaps of \(joined.seconds) s is not a count and a length of time")
        }
        for (index, entry) in (connections ?? []).enumerated() {
            let path = "connections[\(index)]"
            if let name = entry.capturePoint { try checkListed(path + ".capture_point", name) }
            if let ending = entry.ending, ![.closed, .reset, .established].contains(ending) {
                throw ResultValidationError(path: path + ".ending", problem: "'\(ending.rawValue)' is not closed, reset or established")
            }
        }
    }
}
