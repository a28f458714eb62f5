import Audit
import Flows
import Protocols

extension AuditResult {
    /// The note a report gives when an input's snapshot length cut payloads before protocol
    /// recognition could read them (`InputSummary.wholeSampleSnaplen`), or nil when none
    /// did: "snapshot length 64 bytes, below the 192 that keep the payload bytes protocols
    /// are recognized by: payloads cut, 11 connections' protocols unknown". With several
    /// inputs, the lengths of those below 192 are named, shortest to longest, with how many
    /// they are: "64 to 96 bytes (2 of 3 inputs)" (the shortest alone, "64 bytes (2 of 3
    /// inputs)", read as two inputs at 64 when one was at 96). A short
    /// length is not a finding: ports are audited from the headers alone, and what was cut
    /// is `unknown`, never a protocol mismatch.
    var shortSnaplenText: String? {
        let short = inputs.compactMap(\.snaplen).filter { $0 < InputSummary.wholeSampleSnaplen }
        guard let shortest = short.min(), let longest = short.max() else { return nil }
        let lengths = shortest == longest ? "\(shortest)" : "\(shortest) to \(longest)"
        let which = inputs.count == 1 ? "" : " (\(short.count) of \(inputs.count) inputs)"
        // Each service's count read in place: a service copied per step of a reduce cost
        // more than its lookup.
        let unknownName = ProtocolName.unknown.name
        var unknown: UInt64 = 0
        for index in services.indices { unknown = unknown.addingSaturated(services[index].protocols?[unknownName] ?? 0) }
        let unknownText = switch unknown {
        case 0 where coverage.connections == 0: "no connection to tell"
        case 0: "no connection's protocol unknown"
        case 1: "1 connection's protocol unknown"
        default: "\(unknown) connections' protocols unknown"
        }
        return "snapshot length \(lengths) bytes\(which), below the \(InputSummary.wholeSampleSnaplen) that keep the payload "
            + "bytes protocols are recognized by: payloads cut, \(unknownText)"
    }
}
