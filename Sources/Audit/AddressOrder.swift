import Wire

/// Addresses written as text, ordered as numbers (`IPAddress`'s order): 10.0.0.2 before
/// 10.0.0.10; text that is no address (a node name) after every address, in text order.
public enum AddressOrder {
    public static func less(_ a: String, _ b: String) -> Bool {
        switch (IPAddress(a), IPAddress(b)) {
        case let (x?, y?): x < y
        case (.some, nil): true
        case (nil, .some): false
        case (nil, nil): a < b
        }
    }
}
