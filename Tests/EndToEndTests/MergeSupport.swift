import Audit
import Foundation

/// A result as a command printed or wrote it (JSON).
func decodedResult(_ text: String) throws -> AuditResult {
    try ResultCoding.decoder().decode(AuditResult.self, from: Data(text.utf8))
}

/// What a merge must not change, per service: every count, the states and the bases of the
/// orientation (MergeTests, TranslatedMergeTests).
func serviceCounts(_ result: AuditResult) -> [String] {
    result.services.map {
        "\($0.address):\($0.port) \($0.classification) conns \($0.connections) packets \($0.packets) bytes \($0.bytes) "
            + "payload \($0.payloadBytes) clients \($0.clients) \($0.states.sorted { $0.key < $1.key }) "
            + "\($0.directionBasis.sorted { $0.key < $1.key })"
    }
}
