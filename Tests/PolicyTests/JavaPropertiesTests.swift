import Policy
import XCTest

/// `JavaProperties` against what `java.util.Properties.load(Reader)` gives: every expected
/// value here is OpenJDK 17's output for the same bytes (a UTF-8 `InputStreamReader`, as
/// Spark's `Utils.getPropertiesFromFile` opens spark-defaults.conf).
final class JavaPropertiesTests: XCTestCase {
    private func values(_ text: String) throws -> [String: String] {
        try JavaProperties.values(text).mapValues(\.value)
    }

    func testWhitespaceEqualsOrColonSeparate() throws {
        XCTAssertEqual(try values("a b\nc: d\ne = f\ng :h\ni\t=\tj\nk=l\n"),
                       ["a": "b", "c": "d", "e": "f", "g": "h", "i": "j", "k": "l"])
        XCTAssertEqual(try values("a==b\nc::d\ne =:f\n"), ["a": "=b", "c": ":d", "e": ":f"], "one separator only")
        XCTAssertEqual(try values("key\nkey2=\n:v\n=w\n"), ["key": "", "key2": "", "": "w"])
        XCTAssertEqual(try values("k v  \t\n"), ["k": "v  \t"], "the value keeps its trailing whitespace")
    }

    func testEveryLineEndCounts() throws {
        XCTAssertEqual(try values("carbon.spark.master carbon\r\nspark.ui.port 4100\r\n\r\n# c\r\nx y\r\n"),
                       ["carbon.spark.master": "carbon", "spark.ui.port": "4100", "x": "y"])
        XCTAssertEqual(try values("a b\rc d\r"), ["a": "b", "c": "d"])
        let entries = try JavaProperties.entries("a b\r\n\nc d\r\re f\n")
        XCTAssertEqual(entries.map(\.line), [1, 3, 5], "\\r\\n is one line end, \\r and \\n one each")
    }

    func testCommentsStartALineOnly() throws {
        XCTAssertEqual(try values("# a b\n! c d\n  # e f\nx y # not a comment\n"), ["x": "y # not a comment"])
        XCTAssertEqual(try values("# a \\\nb c\n"), ["b": "c"], "a comment is never continued")
        XCTAssertEqual(try values("\u{0C}a\u{0C}b\n\n\n  \n\t\n"), ["a": "b"], "form feed is whitespace")
    }

    func testBackslashContinuesALine() throws {
        let entries = try JavaProperties.entries("a b\\\n   c\nd e\\\\\nf g\\\r\n  h\n")
        XCTAssertEqual(entries, [.init(key: "a", value: "bc", line: 1), .init(key: "d", value: "e\\", line: 3),
                                 .init(key: "f", value: "gh", line: 4)])
        XCTAssertEqual(try values("a b\\\n\nc d\n"), ["a": "b", "c": "d"], "an empty continuation ends the line")
        XCTAssertEqual(try values("a b\\\r\n\r\nc d\n"), ["a": "b", "c": "d"])
        XCTAssertEqual(try values("a b\\\n#c d\n"), ["a": "b#c d"], "a continued line is no comment")
        XCTAssertEqual(try values("a b\\"), ["a": "b"], "a last backslash is dropped")
        XCTAssertEqual(try values("a b\\\\\\\nc\n"), ["a": "b\\c"])
    }

    func testEscapes() throws {
        XCTAssertEqual(try values("k\\ ey v\\tal\\nue\nk2 \\u0041\\u00e9x\\q\n\\=k v\nk3 a\\\\b\n"),
                       ["k ey": "v\tal\nue", "k2": "Aéxq", "=k": "v", "k3": "a\\b"])
        XCTAssertEqual(try values("s \\ud83d\\ude00\n"), ["s": "😀"], "an escaped surrogate pair is one character")
        XCTAssertThrowsError(try JavaProperties.values("a b\nk \\u12g4\n")) { error in
            XCTAssertEqual(error as? JavaProperties.MalformedEscape, .init(line: 2))
        }
        XCTAssertThrowsError(try JavaProperties.values("k \\u12\n"))
    }

    func testTheLastValueOfAKeyWinsAndNothingIsTrimmedAway() throws {
        XCTAssertEqual(try values("a 1\na 2\n"), ["a": "2"])
        XCTAssertEqual(try values("\u{FEFF}a b\n"), ["\u{FEFF}a": "b"], "Java's UTF-8 reader keeps a byte order mark")
        XCTAssertEqual(try values(""), [:])
    }
}
