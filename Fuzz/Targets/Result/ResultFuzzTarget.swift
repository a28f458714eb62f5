import Audit
import Flows
import Foundation
import FuzzSupport
import Policy
import Reports

/// The libFuzzer entry point over a saved JSON result, as `dasaudit render` and `dasaudit
/// merge` read it: `JSONReport.parse` (the `AuditResult` Codable tree, `ResultCoding`,
/// `Timestamp`), then a render in every `ReportFormat` (text in colour too), then a merge
/// of the result with itself (`ResultMerger`) audited again and rendered, as `merge` does.
///
/// Beyond "does not crash": what `render --format json` writes reads back to the same bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResultInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let result: AuditResult
    do {
        result = try JSONReport.parse(Data(bytes: data, count: size))
    } catch {
        return 0  // refused with a message: what `render` and `merge` do with it
    }
    do {
        for format in ReportFormat.allCases { _ = try format.render(result) }
        _ = try ReportFormat.text.render(result, color: true)
        let json = try JSONReport.render(result)
        let again = try JSONReport.render(try JSONReport.parse(Data(json.utf8)))
        require(again == json, "the JSON result changed when read back:\n\(json)\n\(again)")
    } catch {
        fatalError("a result that was read cannot be written again: \(error)")
    }
    guard result.connections != nil else { return 0 }
    // Merged as `merge` does it (a result with itself is refused as a repeat, so alone):
    // its connections matched, joined and audited again, then written in every format.
    let connections: [Connection]
    let merged: AuditResult
    do {
        let merger = ResultMerger()
        connections = try merger.merge([result], names: ["a.json"]).connections
        merged = try merger.mergedResult(of: [result], names: ["a.json"], auditor: ResultFuzzing.auditor, arguments: ["a.json"]).result
    } catch {
        return 0  // an address or a capture point that does not hold: refused with a message
    }
    do {
        for format in ReportFormat.allCases { _ = try format.render(merged) }
        for format in ConnectionExport.Format.allCases { _ = ConnectionExport.render(connections, as: format) }
    } catch {
        fatalError("a merged result cannot be written: \(error)")
    }
    return 0
}

/// What every input of the result target shares.
enum ResultFuzzing {
    /// `merge` audits the merged connections under the policy it is given: a cluster one,
    /// on a pinned day.
    nonisolated(unsafe) static let auditor: Auditor = {  // one input at a time, on one thread
        var settings = PolicySettings()
        settings.offset = 2
        settings.mode = .cluster
        settings.cores = 2
        return Auditor(policy: try! settings.makePolicy(), toolVersion: "fuzz", today: Day(year: 2026, month: 6, day: 1))
    }()
}
