import Audit
import Flows

/// A horizontal bar chart of the bytes each service carried, as inline SVG: biggest first,
/// each bar coloured by the service's classification, the rest folded into one "other"
/// bar so the chart stays a page long whatever the number of services. The scale is the
/// largest service's; an "other" bar larger than it is cut at the edge.
struct TrafficChart {
    var services: [ServiceSummary]
    /// Bars at most, the "other" bar included.
    var maximumBars = 30

    private let width = 1000.0, labelWidth = 290.0, valueWidth = 150.0, rowHeight = 22.0, barHeight = 15.0

    func render() -> Markup {
        guard !services.isEmpty else { return "<p>No service carried traffic.</p>" }
        let folded = services.count > maximumBars
        let drawn = largest(folded ? maximumBars - 1 : maximumBars)
        var bars = drawn.map { services[$0] }.map { service in
            Bar(label: service.endpoint + (service.catalogKeys.first.map { " " + $0 } ?? ""), cssClass: "c-\(service.classification.rawValue)",
                bytes: service.bytes, packets: service.packets, title: "\(service.endpoint) \(service.classification.rawValue)")
        }
        if folded {
            let drawnSet = Set(drawn)
            let rest = services.indices.filter { !drawnSet.contains($0) }
            bars.append(Bar(label: "other \(rest.count) services", cssClass: "other", bytes: Self.saturatingSum(rest.map { services[$0].bytes }),
                            packets: Self.saturatingSum(rest.map { services[$0].packets }), title: "the \(rest.count) smaller services together"))
        }
        // Scaled to the largest service, not to the "other" bar: many small services
        // together would flatten the bars that matter. The "other" bar is cut at the plot's
        // edge (its value is still written).
        let largest = Double(bars.filter { $0.cssClass != "other" }.map(\.bytes).max() ?? 0)
        let plotWidth = width - labelWidth - valueWidth
        let height = Double(bars.count) * rowHeight + 8
        let rows = bars.enumerated().map { index, bar -> Markup in
            let y = 4 + Double(index) * rowHeight
            let length = largest > 0 ? min(plotWidth, max(1, plotWidth * Double(bar.bytes) / largest)) : 1
            return """
            <g><title>\(bar.title): \(bar.bytes) bytes, \(bar.packets) packets</title>\
            <text x="\(format(labelWidth - 8))" y="\(format(y + barHeight - 3))" text-anchor="end">\(Self.truncated(bar.label, to: 40))</text>\
            <rect class="\(bar.cssClass)" x="\(format(labelWidth))" y="\(format(y))" width="\(format(length))" height="\(format(barHeight))" rx="2"/>\
            <text class="value" x="\(format(labelWidth + length + 6))" y="\(format(y + barHeight - 3))">\(bar.bytes) B · \(bar.packets) pkts</text></g>

            """
        }
        // Read field by field: a map over the services copied each whole summary.
        var present = Set<Classification>()
        for index in services.indices { present.insert(services[index].classification) }
        let legend = Classification.allCases.filter(present.contains).map { (cssClass: "c-\($0.rawValue)", label: $0.rawValue) }
            + (folded ? [(cssClass: "unused", label: "other services")] : [])
        return """
        <p class="muted">Frame bytes on the wire, both directions, per server endpoint\(folded ? "; the \(maximumBars - 1) largest of \(services.count), the rest together" : "").</p>
        \(HTMLLegend.render(legend))<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(format(width)) \(format(height))" width="\(format(width))" height="\(format(height))" role="img" aria-label="Bytes per service">
        <line class="grid" x1="\(format(labelWidth))" y1="0" x2="\(format(labelWidth))" y2="\(format(height))"/>
        \(rows)</svg>

        """
    }

    /// The indices of the `count` largest services, largest first (ties by address, then
    /// port): kept in order as the services are read, not all of them sorted (tens of
    /// thousands of services sorted for the 29 drawn were most of the chart's time).
    private func largest(_ count: Int) -> [Int] {
        func before(_ one: Int, _ other: Int) -> Bool {
            (services[one].bytes, services[other].address, services[other].port)
                > (services[other].bytes, services[one].address, services[one].port)
        }
        var largest: [Int] = []
        largest.reserveCapacity(count + 1)
        for index in services.indices where largest.count < count || largest.last.map({ before(index, $0) }) == true {
            largest.insert(index, at: largest.firstIndex { before(index, $0) } ?? largest.count)
            if largest.count > count { largest.removeLast() }
        }
        return largest
    }

    private struct Bar {
        var label: String
        var cssClass: String
        var bytes: UInt64
        var packets: UInt64
        var title: String
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// The sum of `values`, or `UInt64.max` where it would overflow: the counts come from
    /// a result file that may have been edited, and a chart must not trap on it.
    static func saturatingSum(_ values: [UInt64]) -> UInt64 {
        values.reduce(0) { $0.addingSaturated($1) }
    }

    /// `text` cut to `limit` characters with an ellipsis; the bar's title keeps it whole.
    static func truncated(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : text.prefix(limit - 1) + "…"
    }
}
