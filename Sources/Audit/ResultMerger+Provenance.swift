import Foundation

/// What a merged result says of where its numbers came from: its sources' inputs, their
/// capture points, and the captures' fingerprints. All of it comes from the captured
/// inputs, never from the result files in between, so that any tree of merges of the same
/// audits says the same (docs/merge.md).
public struct MergedProvenance {
    /// Every source's inputs, each with its capture point, by capture point, then first
    /// packet, then path.
    public var inputs: [InputSummary]
    /// Each input's fingerprint from its source's evidence, in the order of `inputs`.
    public var inputEvidence: [Evidence.InputEvidence]
    /// The distinct capture points of the sources, by name.
    public var capturePoints: [CapturePoint]

    /// The provenance of merging `results` (named `names`); a result from before capture
    /// points stands for a point named after its file. Each of `unreadable` is an input of
    /// its own, with its reason and no fingerprint (`UnreadableResult`).
    public init(_ results: [AuditResult], names: [String], unreadable: [UnreadableResult] = []) {
        var rows: [(input: InputSummary, evidence: Evidence.InputEvidence)] = []
        var points = Set<CapturePoint>()
        for (result, name) in zip(results, names) {
            let own = result.capturePoints ?? [CapturePoint(name: name, basis: .fileName)]
            points.formUnion(own)
            let evidence = result.evidence?.inputs ?? []
            for (index, input) in result.inputs.enumerated() {
                var input = input
                if input.capturePoint == nil { input.capturePoint = own.count == 1 ? own[0].name : name }
                let fingerprint = index < evidence.count && evidence.count == result.inputs.count ? evidence[index]
                    : Evidence.InputEvidence(path: input.path, sha256: nil, sizeBytes: nil,
                                             note: "\(name) holds no evidence of this input")
                rows.append((input, fingerprint))
            }
        }
        for result in unreadable {
            points.insert(result.capturePoint)
            rows.append((result.input, result.evidence))
        }
        rows = Self.unreadableOnce(rows)
        rows.sort { x, y in
            let (a, b) = (x.input, y.input)
            if a.capturePoint != b.capturePoint { return (a.capturePoint ?? "") < (b.capturePoint ?? "") }
            if a.firstSeen?.nanoseconds != b.firstSeen?.nanoseconds {
                return (a.firstSeen?.nanoseconds ?? .min) < (b.firstSeen?.nanoseconds ?? .min)
            }
            if a.path != b.path { return a.path < b.path }
            return (x.evidence.sha256 ?? "") < (y.evidence.sha256 ?? "")
        }
        inputs = rows.map(\.input)
        inputEvidence = rows.map(\.evidence)
        capturePoints = points.sorted()
    }

    /// `rows` with each unreadable input named once (`UnreadableResult`: nothing read, no
    /// digest, an error). Two rack-level merges that were both given one node's unreadable
    /// result each name it, and a merge of the two named it twice, with two findings. With
    /// no digest to tell it by, it is told by what names it: its path, its capture point and
    /// its reason (which names the path and the problem). Two different files given under one
    /// path that fail for the same reason are then named once: either is missing all the same.
    static func unreadableOnce(_ rows: [(input: InputSummary, evidence: Evidence.InputEvidence)])
        -> [(input: InputSummary, evidence: Evidence.InputEvidence)] {
        var seen = Set<[String]>()
        return rows.filter { row in
            guard row.evidence.sha256 == nil, row.input.packets == 0, let error = row.input.error else { return true }
            return seen.insert([row.input.path, row.input.capturePoint ?? "", error]).inserted
        }
    }

    /// The evidence of the merged `result`: the command line, the policy digest, and the
    /// fingerprints of the captures behind every source.
    public func evidence(of result: AuditResult, arguments: [String], auditedAt: Timestamp) throws -> Evidence {
        Evidence(commandLine: ["dasaudit"] + arguments, policySha256: try result.policy.sha256(),
                        inputs: inputEvidence, auditedAt: auditedAt)
    }
}

extension ResultMerger {
    /// The merged result of `results` (named `names` in errors and for results from
    /// before capture points): their connections each counted once (`merge`), audited by
    /// `auditor`, with the sources' capture points, inputs and capture fingerprints, and
    /// the sightings listed so that it can be merged again. `arguments` is the command line
    /// for the evidence. With it, what the matching learnt that the result cannot show.
    /// `unreadable` are the results that could not be merged, named as inputs of their own.
    public func mergedResult(of results: [AuditResult], names: [String], unreadable: [UnreadableResult] = [], auditor: Auditor,
                             arguments: [String]) throws -> (result: AuditResult, observations: MergeObservations) {
        let merged = try merge(results, names: names)
        let provenance = MergedProvenance(results, names: names, unreadable: unreadable)
        // What each capture lost is no connection of the list: a result keeps its loss as
        // totals, not per connection or byte, so the bytes no point saw cannot be told. The
        // largest source's counts: summed, a connection two capture points both lost bytes
        // of counted twice. Never more than one source lost, and the same for every tree of
        // merges; less than was lost when sources lost bytes of different connections.
        let losses = results.compactMap { result in
            result.coverage.missedBytes.map { CaptureLoss(connections: result.coverage.connectionsWithMissedData ?? 0,
                                                          missedBytes: $0, payloadBytes: 0) }
        }
        let captureLoss = losses.max { ($0.missedBytes, $0.connections) < ($1.missedBytes, $1.connections) }
        var result = auditor.audit(merged.connections, inputs: provenance.inputs,
                                   window: MergedWindow(provenance.inputs, clock: merged.clock), captureLoss: captureLoss)
        if captureLoss == nil {  // sources too old to have counted it: not known, rather than 0
            result.coverage.connectionsWithMissedData = nil
            result.coverage.missedBytes = nil
        } else if let counted = result.coverage.connectionsWithMissedData {
            // A connection counted at both of its ends is one connection of the merge.
            result.coverage.connectionsWithMissedData = min(counted, UInt64(max(result.coverage.connections, 0)))
        }
        // The sources' tables evicted these before listing them; the merged list cannot tell.
        let evictedAtCap = results.compactMap(\.coverage.openConnectionsEvictedAtCap)
        if !evictedAtCap.isEmpty { result.coverage.openConnectionsEvictedAtCap = evictedAtCap.reduce(0) { $0.addingSaturated($1) } }
        // Lone RSTs are no connection, so the sources list none of them: their counts are summed.
        let loneResets = results.compactMap(\.coverage.loneResets)
        if !loneResets.isEmpty { result.coverage.loneResets = loneResets.reduce(0) { $0.addingSaturated($1) } }
        // Said in the result, not only on standard error, so that every report and a later
        // `render` state the bound. Counted from every sighting (merged results list theirs),
        // so a merge of merged results counts the same as one merge of them all.
        result.coverage.connectionsCountedLow = UInt64(merged.observations.countedLow(skew: skew))
        result.capturePoints = provenance.capturePoints
        result.connections = merged.entries
        result.evidence = try provenance.evidence(of: result, arguments: arguments, auditedAt: auditor.auditTime)
        return (result, merged.observations)
    }
}
