/// One element as the XML reader hands it over: what a configuration file's reader needs,
/// and no more (no namespaces resolved, no comments, no processing instructions).
public struct XMLReadElement: Equatable, Sendable {
    /// The name as written, with its prefix if it has one (`soap:Body`).
    public let name: String
    /// The attributes by name as written (`xmlns`, `xsi:schemaLocation`), their values with
    /// references replaced and white space normalised as XML says (a tab or line break is a space).
    public internal(set) var attributes: [String: String]
    /// The element's own text (character data, CDATA sections and references, in document
    /// order, line breaks as `\n`), without its children's.
    public internal(set) var text: String
    /// The element's children, as indices into the document's elements, in document order.
    public internal(set) var children: [Int]
    /// The line where the start tag ends (its `>`), as libxml2 reported it: a tag that spans
    /// lines is found from there (`TomcatConnectorPorts.portLine` looks back for `port=`).
    public let line: Int

    /// The name without its namespace prefix (`Body` for `soap:Body`): DAS files put
    /// carbon.xml under a default namespace, and their readers match local names.
    public var localName: Substring {
        name.lastIndex(of: ":").map { name[name.index(after: $0)...] } ?? name[...]
    }
}
