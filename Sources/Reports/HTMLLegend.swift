/// A legend of colour keys, each a CSS class and the words it stands for.
enum HTMLLegend {
    static func render(_ entries: [(cssClass: String, label: String)]) -> Markup {
        let items = entries.map { entry -> Markup in "<span class=\"\(entry.cssClass)\">\(entry.label)</span>" }
        return "<div class=\"legend\">\(items)</div>\n"
    }
}
