import Audit
@testable import Reports
import XCTest

/// The HTML report's traffic chart on numbers a hand-edited result can hold.
final class TrafficChartTests: XCTestCase {
    /// Byte counts near `UInt64.max` (a hand-edited result) fold into the chart's "other"
    /// bar without trapping.
    func testTheTrafficChartSurvivesByteCountsNearTheLimit() {
        var result = syntheticAudit(services: 40)
        for index in result.services.indices {
            result.services[index].bytes = UInt64.max - UInt64(index)
            result.services[index].packets = UInt64.max - UInt64(index)
        }
        let chart = TrafficChart(services: result.services).render().description
        XCTAssertTrue(chart.contains("other 11 services"))
        XCTAssertTrue(chart.contains("\(UInt64.max) B"))
        XCTAssertEqual(TrafficChart.saturatingSum([UInt64.max, 1, 2]), UInt64.max)
        XCTAssertEqual(TrafficChart.saturatingSum([1, 2]), 3)
        XCTAssertTrue(HTMLReport.render(result).contains("</html>"))
    }

    /// The bars are the largest services, largest first, ties by address then port, in
    /// whatever order the result lists them; the rest are the "other" bar.
    func testTheBarsAreTheLargestServicesWithTiesByAddressThenPort() {
        var services = syntheticAudit(services: 80, hosts: 7).services
        for index in services.indices { services[index].bytes = UInt64(index % 5) * 1000 }
        services.reverse()
        let chart = TrafficChart(services: services).render().description
        let titles = chart.components(separatedBy: "<g><title>").dropFirst().map { $0.components(separatedBy: ": ")[0] }
        let ordered = services.sorted { ($0.bytes, $1.address, $1.port) > ($1.bytes, $0.address, $0.port) }
        XCTAssertEqual(titles, ordered.prefix(29).map { "\($0.endpoint) \($0.classification.rawValue)" } + ["the 51 smaller services together"])
        let rest = ordered.dropFirst(29).reduce(0) { $0 + $1.bytes }
        XCTAssertTrue(chart.contains("the 51 smaller services together: \(rest) bytes"), chart)
    }
}
