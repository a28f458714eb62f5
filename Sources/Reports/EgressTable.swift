import Audit

/// The cluster's egress, listed apart from its services in every report: each server
/// outside the cluster its nodes used (declared dependencies and undeclared ones), then
/// each declared dependency that saw no traffic. Cells are plain text; each renderer
/// escapes them for its sink.
enum EgressTable {
    static let headers = ["Address", "Port", "Dependency", "Connections", "Clients", "Reason"]
    /// Columns holding numbers (right-aligned).
    static let numeric: Set<Int> = [1, 3, 4]

    /// The rows, or none when the policy declares no dependency and nothing went out.
    static func rows(_ result: AuditResult) -> [[String]] {
        let declared = result.policy.dependencies ?? []
        let used = result.services.filter { $0.classification == .dependency || $0.classification == .undeclaredDependency }
        var rows = used.map { service -> [String] in
            let dependency = declared.first { $0.name == service.dependency }
            return [service.address, "\(service.port)", dependency?.name ?? "undeclared", "\(service.connections)",
                    "\(service.clients)", dependency?.reason ?? "not declared in the policy"]
        }
        for dependency in declared where !used.contains(where: { $0.dependency == dependency.name }) {
            rows.append([dependency.address, "\(dependency.port)", dependency.name, "0", "0",
                         dependency.reason + " (no traffic seen)"])
        }
        return rows
    }

    /// The section's title with its count.
    static func title(_ rows: [[String]]) -> String { "Egress: servers outside the cluster (\(rows.count))" }
}
