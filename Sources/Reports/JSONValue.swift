/// Any JSON value, read back from what the result encodes. Reports use it to show a part
/// of the result whose fields grow over time (the policy: nodes, waivers, profiles) field
/// by field, so a field added to the model appears in the report without a renderer change.
indirect enum JSONValue: Decodable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .integer(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    /// The value as one line of text, for scalars and lists of scalars; nil for objects
    /// and lists of objects, which want a table.
    var scalarText: String? {
        switch self {
        case .null: "none"
        case .bool(let value): value ? "yes" : "no"
        case .integer(let value): "\(value)"
        case .number(let value): "\(value)"
        case .string(let value): value
        case .array(let values):
            // A list is one line only when every element is.
            values.compactMap(\.scalarText).count == values.count
                ? (values.isEmpty ? "none" : values.compactMap(\.scalarText).joined(separator: ", ")) : nil
        case .object: nil
        }
    }
}
