import Foundation

/// A JSON Schema (draft 2020-12) validator for the keywords docs/result-schema.json uses,
/// and only those: a schema that uses any other keyword is reported, so the schema cannot
/// lean on a rule that nothing here checks.
struct JSONSchemaValidator {
    let root: [String: Any]

    static let annotations: Set<String> = ["$schema", "$id", "title", "description", "$comment", "$defs"]
    static let assertions: Set<String> = ["type", "properties", "required", "additionalProperties", "items", "enum", "const",
                                          "$ref", "anyOf", "minimum", "maximum", "pattern", "propertyNames"]

    /// Every way `instance` breaks the schema, as "path: problem"; empty when it conforms.
    func errors(_ instance: Any) -> [String] { errors(instance, root, "$") }

    private func errors(_ value: Any, _ schema: [String: Any], _ path: String) -> [String] {
        var found: [String] = []
        for keyword in schema.keys where !Self.annotations.contains(keyword) && !Self.assertions.contains(keyword) {
            found.append("\(path): schema keyword '\(keyword)' is not checked by this validator")
        }
        if let reference = schema["$ref"] as? String {
            guard let target = resolve(reference) else { return found + ["\(path): unresolvable $ref \(reference)"] }
            found += errors(value, target, path)
        }
        if let types = schema["type"] {
            let names = (types as? [String]) ?? [types as! String]
            if !names.contains(where: { Self.matches(value, type: $0) }) {
                found.append("\(path): \(Self.describe(value)) is not of type \(names.joined(separator: " or "))")
            }
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: { Self.equal($0, value) }) {
            found.append("\(path): \(Self.describe(value)) is not one of \(options)")
        }
        if let constant = schema["const"], !Self.equal(constant, value) {
            found.append("\(path): \(Self.describe(value)) is not \(constant)")
        }
        if let alternatives = schema["anyOf"] as? [[String: Any]],
           !alternatives.contains(where: { errors(value, $0, path).isEmpty }) {
            found.append("\(path): \(Self.describe(value)) matches none of anyOf: "
                + alternatives.map { errors(value, $0, path).joined(separator: "; ") }.joined(separator: " | "))
        }
        if let number = Self.number(value) {
            if let minimum = schema["minimum"].flatMap(Self.number), number < minimum { found.append("\(path): \(number) < \(minimum)") }
            if let maximum = schema["maximum"].flatMap(Self.number), number > maximum { found.append("\(path): \(number) > \(maximum)") }
        }
        if let text = value as? String, let pattern = schema["pattern"] as? String,
           text.range(of: pattern, options: .regularExpression) == nil {
            found.append("\(path): '\(text)' does not match \(pattern)")
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, element) in array.enumerated() { found += errors(element, items, "\(path)[\(index)]") }
        }
        if let object = value as? [String: Any], !(value is NSNull) {
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                found.append("\(path): missing required '\(key)'")
            }
            for (key, member) in object.sorted(by: { $0.key < $1.key }) {
                if let names = schema["propertyNames"] as? [String: Any] { found += errors(key, names, "\(path) key '\(key)'") }
                if let property = properties[key] {
                    found += errors(member, property, "\(path).\(key)")
                } else if let additional = schema["additionalProperties"] as? Bool {
                    if !additional { found.append("\(path): '\(key)' is not described by the schema") }
                } else if let additional = schema["additionalProperties"] as? [String: Any] {
                    found += errors(member, additional, "\(path).\(key)")
                }
            }
        }
        return found
    }

    /// A local reference, `#/$defs/name`.
    private func resolve(_ reference: String) -> [String: Any]? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: Any = root
        for part in reference.dropFirst(2).split(separator: "/") {
            guard let next = (node as? [String: Any])?[String(part)] else { return nil }
            node = next
        }
        return node as? [String: Any]
    }

    private static func isBool(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c" // JSON true and false come back as char-typed numbers
    }

    private static func number(_ value: Any) -> Double? {
        guard !isBool(value), let number = value as? NSNumber else { return nil }
        return number.doubleValue
    }

    private static func matches(_ value: Any, type: String) -> Bool {
        switch type {
        case "null": value is NSNull
        case "boolean": isBool(value)
        case "integer": number(value).map { $0 == $0.rounded() } ?? false
        case "number": number(value) != nil
        case "string": value is String
        case "array": value is [Any]
        case "object": value is [String: Any]
        default: false
        }
    }

    private static func equal(_ a: Any, _ b: Any) -> Bool {
        if let a = a as? String, let b = b as? String { return a == b }
        if isBool(a) || isBool(b) { return isBool(a) && isBool(b) && (a as! NSNumber) == (b as! NSNumber) }
        if let a = number(a), let b = number(b) { return a == b }
        return a is NSNull && b is NSNull
    }

    private static func describe(_ value: Any) -> String {
        value is NSNull ? "null" : value is String ? "'\(value)'" : "\(value)"
    }
}
