@testable import Reports
import XCTest

final class MarkupTests: XCTestCase {
    func testHTMLEscapingNeutralisesTagsQuotesAndAmpersands() {
        XCTAssertEqual("<script>alert('x')</script>".htmlEscaped, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
        XCTAssertEqual("a & b \"c\"".htmlEscaped, "a &amp; b &quot;c&quot;")
        XCTAssertEqual("\" onmouseover=\"alert(1)".htmlEscaped, "&quot; onmouseover=&quot;alert(1)")
        // Already escaped text is escaped again, never read as a reference.
        XCTAssertEqual("&amp; &#60;".htmlEscaped, "&amp;amp; &amp;#60;")
    }

    func testControlCharactersBecomeVisibleAndWhatXMLForbidsIsReplaced() {
        XCTAssertEqual("a\u{0}b\u{1B}c\u{FFFE}".htmlEscaped, "a\\u{0}b\\ec\u{FFFD}")
        XCTAssertEqual("tab\tline\nreturn\r".htmlEscaped, "tab\\tline\\nreturn\\r")
        XCTAssertEqual("café 😀 ::1".htmlEscaped, "café 😀 ::1")
    }

    func testInterpolatedValuesAreEscapedAndMarkupIsNot() {
        let value = "<b>&"
        let inner: Markup = "<i>\(value)</i>"
        let outer: Markup = "<p title=\"\(value)\">\(inner) \(42) \([inner, inner])</p>"
        XCTAssertEqual(outer.description,
                       "<p title=\"&lt;b&gt;&amp;\"><i>&lt;b&gt;&amp;</i> 42 <i>&lt;b&gt;&amp;</i><i>&lt;b&gt;&amp;</i></p>")
        XCTAssertEqual((inner + "<br>").description, "<i>&lt;b&gt;&amp;</i><br>")
    }
}
