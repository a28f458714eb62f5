@testable import Flows
import Wire
import XCTest

/// A translation's name, as a result keeps it (`translated`), read back: what `merge` needs
/// to match another capture point's view of a connection before the translation.
final class TranslationNameTests: XCTestCase {
    func endpoint(_ address: String, _ port: UInt16) -> Endpoint { Endpoint(address: IPAddress(address)!, port: port) }

    func testEveryNameTheAuditWritesReadsBack() {
        let translations = [
            Translation(from: endpoint("10.208.0.254", 19763), to: endpoint("10.207.0.2", 9763), ofClient: false),
            Translation(from: endpoint("fd00:208::fe", 19763), to: endpoint("fd00:207::2", 9763), ofClient: false),
            Translation(from: endpoint("10.96.0.10", 80), to: endpoint("fd00:207::2", 0), ofClient: false),
            Translation(from: endpoint("10.207.0.2", 0), to: endpoint("10.208.0.254", 0), ofClient: true),
            Translation(from: endpoint("fd00:207::2", 0), to: endpoint("fd00:208::fe", 0), ofClient: true),
        ]
        for translation in translations {
            XCTAssertEqual(Translation(name: translation.description), translation, translation.description)
        }
        XCTAssertEqual(translations[1].description, "[fd00:208::fe]:19763 -> [fd00:207::2]:9763")
    }

    func testOtherAndMalformedNamesAreNone() {
        for name in ["other", "", "10.0.0.1:80", "10.0.0.1:80 -> ", " -> 10.0.0.2:80", "10.0.0.1 -> 10.0.0.2:80",
                     "10.0.0.1:80 -> 10.0.0.2:80 -> 10.0.0.3:80", "fd00::1:80 -> 10.0.0.2:80", "[10.0.0.1]:80 -> 10.0.0.2:80",
                     "10.0.0.1:65536 -> 10.0.0.2:80", "client 10.0.0.1:5 -> 10.0.0.2", "client fd00::1", "host:80 -> 10.0.0.2:80"] {
            XCTAssertNil(Translation(name: name), name)
        }
    }
}
