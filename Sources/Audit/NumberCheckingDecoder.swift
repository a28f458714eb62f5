import Foundation

/// Foundation's `JSONDecoder` on Linux reports a number that does not fit its field
/// (65536 for a port, -1 or 1.5 for a count, 2^64) as "The given data was not valid
/// JSON." with no path: its internal error leaves the containers unconverted. Decoded
/// again through this decoder, which wraps Foundation's, such a number is a
/// `DecodingError` at the field's path: `services[0].port: 65536 is not an integer from 0
/// to 65535`. Only for that error: each value goes through `superDecoder`, slower than
/// Foundation's own path.
struct NumberCheckingDecoder: Decoder {
    let base: Decoder

    var codingPath: [CodingKey] { base.codingPath }
    var userInfo: [CodingUserInfoKey: Any] { base.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Keyed(base: try base.container(keyedBy: type)))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer { Unkeyed(base: try base.unkeyedContainer()) }

    func singleValueContainer() throws -> SingleValueDecodingContainer {
        Single(decoder: self, base: try base.singleValueContainer())
    }

    /// Decodes `type` from `data` with `decoder`; where Foundation gave the pathless error,
    /// decodes again through `NumberCheckingDecoder` to throw one that names the field.
    static func decode<Value: Decodable>(_ type: Value.Type, from data: Data, with decoder: JSONDecoder) throws -> Value {
        do {
            return try decoder.decode(type, from: data)
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            _ = try decoder.decode(Checked<Value>.self, from: data)
            throw DecodingError.dataCorrupted(context)  // not a number after all: the first error stands
        }
    }

    /// `Value` decoded through a `NumberCheckingDecoder` around Foundation's top-level decoder.
    private struct Checked<Value: Decodable>: Decodable {
        init(from decoder: Decoder) throws { _ = try Value(from: NumberCheckingDecoder(base: decoder)) }
    }

    private struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let base: KeyedDecodingContainer<Key>

        var codingPath: [CodingKey] { base.codingPath }
        var allKeys: [Key] { base.allKeys }
        func contains(_ key: Key) -> Bool { base.contains(key) }
        func decodeNil(forKey key: Key) throws -> Bool { try base.decodeNil(forKey: key) }

        /// Every value, numbers included (this generic witness serves each type's requirement).
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            guard base.contains(key) else { return try base.decode(type, forKey: key) }  // Foundation's keyNotFound
            return try T(from: NumberCheckingDecoder(base: try base.superDecoder(forKey: key)))
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
            -> KeyedDecodingContainer<NestedKey> {
            try NumberCheckingDecoder(base: try base.superDecoder(forKey: key)).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
            try NumberCheckingDecoder(base: try base.superDecoder(forKey: key)).unkeyedContainer()
        }

        func superDecoder() throws -> Decoder { NumberCheckingDecoder(base: try base.superDecoder()) }
        func superDecoder(forKey key: Key) throws -> Decoder { NumberCheckingDecoder(base: try base.superDecoder(forKey: key)) }
    }

    private struct Unkeyed: UnkeyedDecodingContainer {
        var base: UnkeyedDecodingContainer

        var codingPath: [CodingKey] { base.codingPath }
        var count: Int? { base.count }
        var isAtEnd: Bool { base.isAtEnd }
        var currentIndex: Int { base.currentIndex }
        mutating func decodeNil() throws -> Bool { try base.decodeNil() }

        /// Every element, numbers included.
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: try superDecoder()) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            try superDecoder().container(keyedBy: type)
        }

        mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer { try superDecoder().unkeyedContainer() }
        mutating func superDecoder() throws -> Decoder { NumberCheckingDecoder(base: try base.superDecoder()) }
    }

    /// Where numbers are read, and their errors given the path.
    private struct Single: SingleValueDecodingContainer {
        let decoder: NumberCheckingDecoder
        let base: SingleValueDecodingContainer

        var codingPath: [CodingKey] { base.codingPath }
        func decodeNil() -> Bool { base.decodeNil() }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let isNumber = T.self is any FixedWidthInteger.Type || T.self is any BinaryFloatingPoint.Type
            // Anything else but the leaves (whose init would ask this container again) is
            // decoded through the wrapping decoder, so its numbers are checked too.
            guard isNumber || T.self == String.self || T.self == Bool.self else { return try T(from: decoder) }
            do {
                return try base.decode(type)
            } catch let error as DecodingError {
                throw error
            } catch {
                let number = (try? base.decode(Decimal.self)).map { "\($0)" } ?? "the number"
                let fits = (T.self as? any FixedWidthInteger.Type).map { "an integer from \($0.min) to \($0.max)" } ?? "a \(T.self)"
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "\(number) is not \(fits)",
                                                        underlyingError: error))
            }
        }
    }
}
