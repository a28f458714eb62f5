/// The start of every HTML page dasaudit writes (the compliance report, the diff): the
/// document type, the content security policy that forbids every load
/// (`HTMLReport.contentSecurityPolicy`), the inline stylesheet, the title, and `<body>`.
enum HTMLPage {
    /// Everything up to and including `<body>`; `generator` names the tool and version,
    /// when known.
    static func start(title: String, generator: String? = nil) -> Markup {
        let generatorLine: Markup = generator.map { "<meta name=\"generator\" content=\"\($0)\">\n" } ?? ""
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="\(HTMLReport.contentSecurityPolicy)">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        \(generatorLine)<title>\(title)</title>
        <style>
        \(Markup(stringLiteral: HTMLStylesheet.css))
        </style>
        </head>
        <body>
        """
    }
}
