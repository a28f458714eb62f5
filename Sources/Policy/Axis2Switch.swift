import Foundation

/// Whether an axis2.xml element with an `enable` attribute (`<clustering enable="true">`)
/// is on, as Axis2's `ClusterBuilder.isEnabled` decides: on when the attribute is
/// missing, otherwise `Boolean.parseBoolean(value.trim())`, so `TRUE` and `" true "`
/// are on and anything but `true` (any case) is off.
enum Axis2Switch {
    /// What Java's `String.trim()` removes: every character up to U+0020.
    private static let javaTrimmed = CharacterSet(charactersIn: "\u{0}"..."\u{20}")

    static func isEnabled(_ element: XMLElementTree) -> Bool {
        guard let value = element.attributes["enable"] else { return true }
        return value.trimmingCharacters(in: javaTrimmed).lowercased() == "true"
    }
}
