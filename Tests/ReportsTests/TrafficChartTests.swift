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
}
