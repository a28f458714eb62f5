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
    let connections: [Connection]
    do {
        connections = try ResultMerger().merge([result, result], names: ["a.json", "b.json"])
    } catch {
        return 0  // an address that does not parse: refused with a message
    }
    var merged = ResultFuzzing.auditor.audit(connections, inputs: ResultMerger.inputs(of: [result, result], names: ["a.json", "b.json"]))
    merged.connections = connections.map(ConnectionEntry.init)
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
