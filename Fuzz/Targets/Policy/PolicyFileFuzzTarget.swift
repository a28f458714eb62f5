import Foundation
import FuzzSupport
import Policy

/// The libFuzzer entry point over a YAML policy file, as `--policy FILE` reads it: UTF-8
/// text (`PolicyFile.load` refuses anything else), composed by Yams (libyaml) and walked by
/// `PolicyFileReader`, then turned into a `Policy` and used the ways the commands use one:
/// the expected openings (`dasaudit ports`), the firewall rules of the whole cluster and
/// of each node in every dialect (`ports --firewall`), the direction
/// rules' expected ports and each node's executor range.
///
/// Beyond "does not crash": an input is either a policy or a `PolicyError` naming the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPolicyFileInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let text = String(data: Data(bytes: data, count: size), encoding: .utf8) else { return 0 }
    let policy: Policy
    do {
        policy = try PolicyFile.parse(text, path: "policy.yaml").makePolicy()
    } catch let error as PolicyError {
        require(!error.description.isEmpty, "an empty policy error")
        return 0
    } catch {
        fatalError("a policy file failed with something other than a PolicyError: \(error)")
    }
    _ = ExpectedOpenings(policy: policy)
    for nodeName in [nil] + policy.nodes.map(\.name) {
        // A policy that gives no rules for a node says so with an error; it must not crash.
        guard let rules = try? FirewallRuleSet(policy: policy, nodeName: nodeName, includeUnbound: true) else { continue }
        for dialect in FirewallRules.Dialect.allCases { _ = FirewallRules.render(rules, dialect: dialect) }
    }
    _ = policy.expectedPorts
    _ = policy.executorBand
    for node in policy.nodes { _ = policy.executorAllowed(on: node) }
    return 0
}
