import Foundation

/// One field of the `policy` section that two results give differently: what `dasaudit
/// diff` lists as `policy_changes`, and what `merge` names when it refuses results of two
/// policies. A diff of results audited under different policies (another `nodes:` list,
/// other `allow:` entries, waivers, features) lists findings as new or resolved that only
/// the policy change made; without this, nothing in the diff said so.
public struct PolicyChange: Codable, Sendable, Equatable {
    /// The field of the section, as the result names it (`allowed_ports`, `nodes`, `offset`).
    public var field: String
    /// Its value in each result, as canonical JSON (keys sorted, no whitespace; a string as
    /// itself): `[{"port":31338,"protocol":null,"reason":"approved"}]`; `none` when the
    /// result gives null.
    public var baseline: String
    public var current: String

    public init(field: String, baseline: String, current: String) {
        self.field = field
        self.baseline = baseline
        self.current = current
    }

    /// The longest value the text, Markdown and HTML reports and `merge`'s refusal show of
    /// one side, in characters; longer ones end in `...` there (the JSON and CSV diffs keep
    /// them whole).
    public static let shownLength = 60

    /// `value` as the reports show it: whole up to `shownLength` characters, else cut
    /// to fit with `...`.
    public static func shown(_ value: String) -> String {
        value.count <= shownLength ? value : "\(value.prefix(shownLength - 3))..."
    }

    /// "allowed_ports [] against [{...}]": this change in the words of a refusal or a
    /// report line, each side cut as `shown` cuts it.
    public var brief: String { "\(field) \(Self.shown(baseline)) against \(Self.shown(current))" }
}

extension PolicySummary {
    /// The fields in which the sections `baseline` and `current` differ, by field name,
    /// compared as `comparable()` writes them: without `fail_on` (each diff and each audit
    /// chooses its own), whether a waiver had expired on the day of each audit (the diff
    /// reports a waiver that lapsed as its findings, unwaived) and the installations' unread
    /// keys (no part of the policy). Fields that one result does not record because an
    /// older version wrote it (`base_ports` null) are not compared; features and
    /// dependencies null read as none, as `comparable()` reads them. Empty when both
    /// results were audited under one policy.
    public static func changes(from baseline: PolicySummary, to current: PolicySummary) -> [PolicyChange] {
        var (before, after) = (baseline, current)
        if before.basePorts == nil || after.basePorts == nil { (before.basePorts, after.basePorts) = (nil, nil) }
        guard let old = try? before.comparable(), let new = try? after.comparable() else { return [] }
        return changes(old, new)
    }

    /// The fields in which two sections as `comparable()` writes them differ, with each one's
    /// value in both, by field name.
    static func changes(_ baseline: Data, _ current: Data) -> [PolicyChange] {
        func fields(_ data: Data) -> [String: Any] { (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:] }
        let (x, y) = (fields(baseline), fields(current))
        // Each value as canonical JSON (a string as itself): equal values give equal text.
        func json(_ value: Any?) -> String {
            if let text = value as? String { return text }
            guard let value, !(value is NSNull),
                  let data = try? JSONSerialization.data(withJSONObject: value,
                                                         options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes])
            else { return "none" }
            return String(decoding: data, as: UTF8.self)
        }
        return Set(x.keys).union(y.keys).sorted().compactMap { field in
            let (old, new) = (json(x[field]), json(y[field]))
            return old == new ? nil : PolicyChange(field: field, baseline: old, current: new)
        }
    }
}
