import Dispatch
import XCTest
@testable import Flows

final class BothAtOnceTests: XCTestCase {
    /// In parallel, the two run at the same time: the first waits for a signal only the
    /// second sends, which one after the other would never come (the wait gives up after
    /// 10 s and the test fails).
    func testInParallelTheTwoRunAtTheSameTime() {
        let signal = DispatchSemaphore(value: 0)
        let (waited, sent) = bothAtOnce(inParallel: true, {
            signal.wait(timeout: .now() + 10) == .success
        }, {
            signal.signal()
            return "sent"
        })
        XCTAssertTrue(waited, "the first ran before the second had started")
        XCTAssertEqual(sent, "sent")
    }

    /// Not in parallel, the first runs, then the second, on this thread.
    func testOtherwiseTheFirstRunsThenTheSecond() {
        var order: [String] = []
        let (first, second) = bothAtOnce(inParallel: false, { order.append("first"); return 1 }, {
            order.append("second")
            return 2
        })
        XCTAssertEqual(order, ["first", "second"])
        XCTAssertEqual([first, second], [1, 2])
    }
}
