import Audit
import Flows
import Protocols

extension AuditResult {
    /// The note a report gives when an input's snapshot length cut payloads before protocol
    /// recognition could read them (`InputSummary.wholeSampleSnaplen`), or nil when none
    /// did: "snapshot length 64 bytes, below the 192 that keep the payload bytes protocols
    /// are recognized by: payloads cut, 11 connections' protocols unknown". With several
    /// inputs the shortest length is named, with how many inputs are that short. A short
    /// length is not a finding: ports are audited from the headers alone, and what was cut
    /// is `unknown`, never a protocol mismatch.
    var shortSnaplenText: String? {
        let short = inputs.compactMap(\.snaplen).filter { $0 < InputSummary.wholeSampleSnaplen }
        guard let shortest = short.min() else { return nil }
        let which = inputs.count == 1 ? "" : " (\(short.count) of \(inputs.count) inputs)"
        let unknown = services.reduce(UInt64(0)) { $0.addingSaturated($1.protocols?[ProtocolName.unknown.name] ?? 0) }
        let unknownText = switch unknown {
        case 0 where coverage.connections == 0: "no connection to tell"
        case 0: "no connection's protocol unknown"
        case 1: "1 connection's protocol unknown"
        default: "\(unknown) connections' protocols unknown"
        }
        return "snapshot length \(shortest) bytes\(which), below the \(InputSummary.wholeSampleSnaplen) that keep the payload "
            + "bytes protocols are recognized by: payloads cut, \(unknownText)"
    }
}
