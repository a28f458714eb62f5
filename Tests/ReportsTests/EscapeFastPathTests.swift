import Policy
@testable import Reports
import TestSupport
import XCTest

/// The HTML and Markdown escapes pass a string with nothing to escape as it is, and work
/// through the rest scalar by scalar: the two ways give the same text, and the HTML one
/// written into a sink gives the same bytes as the string. Held to the
/// scalar-by-scalar escapes on strings drawn from the characters each one treats apart
/// (markup and Markdown syntax, controls, format characters, non-ASCII, `www.`, `://`).
final class EscapeFastPathTests: XCTestCase {
    static let pieces: [String] = [
        "a", "Z", "0", "9", " ", ".", ":", "/", "w", "W", "www.", "WwW.", "://", "http://", "@", "@@", "-", "=", "(",
        "&", "<", ">", "\"", "'", "\\", "`", "*", "_", "[", "]", "|", "~", "#", "$",
        "\n", "\t", "\u{1B}", "\u{7F}", "\u{9B}", "\u{202E}", "\u{200B}", "\u{E0041}", "\u{FEFF}", "\u{2028}",
        "\u{FFFE}", "\u{FFFF}", "é", "日", "😀", "·",
    ]

    func randomStrings(count: Int, seed: UInt64) -> [String] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            (0..<Int.random(in: 0...12, using: &generator)).map { _ in Self.pieces.randomElement(using: &generator)! }.joined()
        }
    }

    func testTheMarkdownEscapeGivesWhatTheScalarByScalarOneGives() {
        for text in randomStrings(count: 20_000, seed: 0x3D) + Self.pieces + ["10.0.0.1", "spark.master.port", "ww.w", "w.ww."] {
            XCTAssertEqual(text.markdownEscaped, text.markdownEscapedScalarByScalar, text.debugDescription)
        }
    }

    func testTheHTMLEscapeGivesWhatTheScalarByScalarOneGave() {
        for text in randomStrings(count: 20_000, seed: 0x7A) + Self.pieces + ["10.0.0.1", "[::1]:7079"] {
            XCTAssertEqual(text.htmlEscaped, Self.htmlEscapedScalarByScalar(text), text.debugDescription)
        }
    }

    func testTheSinkWritesWhatTheHTMLEscapeGives() {
        let texts = randomStrings(count: 20_000, seed: 0x5B) + Self.pieces + ["", "10.0.0.1", String(repeating: "a\"b", count: 30_000)]
        let written = ByteSink.collect { sink in
            for text in texts { sink.write(htmlEscaping: text); sink.write(byte: 0) }
        }
        XCTAssertEqual(written, texts.map { $0.htmlEscaped + "\0" }.joined())
    }

    /// `htmlEscaped` as it was written before it passed plain strings through and gathered
    /// bytes (December 7, 2026).
    static func htmlEscapedScalarByScalar(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            case "\u{FFFE}", "\u{FFFF}": escaped += "\u{FFFD}"
            default:
                if let visible = scalar.visibleEscape { escaped += visible } else { escaped.unicodeScalars.append(scalar) }
            }
        }
        return escaped
    }
}
