/// The bounds the XML reader keeps on any input, so that a hostile document costs time and
/// memory in proportion to its size and never more than these allow. Configuration files
/// are small and flat (a stock carbon.xml is about 30 KiB, about 10 levels deep, a few
/// hundred elements, names under 60 bytes); each limit leaves real files far inside it.
public enum XMLReaderLimits {
    /// Elements open at once: DAS files nest about 10 deep. Also what keeps every walk
    /// over the tree short, since the tree is read without recursion but used with it.
    public static let depth = 256
    /// Bytes in an element, attribute or processing-instruction name.
    public static let nameLength = 1_000
    /// Bytes of text (character data, CDATA, references) in one element, its children's
    /// text apart.
    public static let textLength = 1 << 20
    /// Bytes in one attribute value.
    public static let attributeValueLength = 64 << 10
    /// Elements in a document: a stock axis2.xml has about 500.
    public static let elements = 100_000
    /// Attributes on one element: a Tomcat `<Connector>` has about 20.
    public static let attributesPerElement = 256
    /// Attributes in a document, all elements together.
    public static let attributes = 200_000
}
