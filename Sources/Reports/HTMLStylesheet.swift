/// The HTML report's only stylesheet, inline: the report loads nothing, so it reads the
/// same offline, attached to a ticket, or years later. Colours carry meaning only together
/// with a word or symbol, so the printed (or grey) page says the same as the screen.
enum HTMLStylesheet {
    static let css = """
    :root {
      --ink: #1d2330; --muted: #5b6475; --rule: #d8dce3; --band: #f4f6f9;
      --pass: #1e7a3c; --pass-bg: #e5f4ea; --fail: #b42318; --fail-bg: #fde8e6;
      --high: #b42318; --medium: #b54708; --low: #175cd3; --info: #667085;
      --expected: #2e9e5b; --executor: #3a7bd5; --allowed: #7a9a3a; --unexpected: #d92d20;
      --out-of-range: #9e1f63; --not-in-mode: #dc8b0b; --unused: #98a2b3;
    }
    * { box-sizing: border-box; }
    html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    body { margin: 0 auto; max-width: 1180px; padding: 24px 28px 40px; color: var(--ink);
      font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", "DejaVu Sans", sans-serif; }
    h1, h2, h3 { line-height: 1.2; margin: 0; }
    h2 { font-size: 20px; margin: 32px 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--ink); }
    h3 { font-size: 15px; margin: 20px 0 8px; }
    code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 12.5px; }
    .wrap { overflow-wrap: anywhere; }
    .nowrap { white-space: nowrap; }
    p { margin: 6px 0; }
    .muted { color: var(--muted); }
    .verdict { border-radius: 8px; padding: 18px 22px; border-left: 10px solid; }
    .verdict.pass { background: var(--pass-bg); border-color: var(--pass); }
    .verdict.fail { background: var(--fail-bg); border-color: var(--fail); }
    .verdict .eyebrow { margin: 0 0 4px; color: var(--muted); font-size: 13px; text-transform: uppercase; letter-spacing: .04em; }
    .verdict h1 { font-size: 34px; letter-spacing: .01em; }
    .verdict.pass h1 { color: var(--pass); }
    .verdict.fail h1 { color: var(--fail); }
    .verdict .reason { font-size: 17px; margin-top: 4px; }
    .tally { display: flex; flex-wrap: wrap; gap: 8px; list-style: none; padding: 0; margin: 12px 0 4px; }
    .tally li { background: #fff; border: 1px solid var(--rule); border-radius: 6px; padding: 4px 10px; }
    .tally b { font-size: 17px; margin-right: 4px; }
    nav { margin: 14px 0 0; font-size: 13px; }
    nav a { color: var(--muted); margin-right: 14px; }
    dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 8px 0; }
    dl.facts dt { color: var(--muted); }
    dl.facts dd { margin: 0; min-width: 0; }
    table { border-collapse: collapse; width: 100%; margin: 8px 0 4px; font-size: 12.5px; }
    th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--rule); vertical-align: top; }
    th { background: var(--band); font-weight: 600; white-space: nowrap; }
    table.services th, table.services td { padding: 4px 5px; font-size: 12px; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    tbody tr:nth-child(even) td { background: #fafbfc; }
    .scroll { overflow-x: auto; }
    .badge { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 12px; font-weight: 600;
      white-space: nowrap; color: #fff; background: var(--info); }
    .badge.c-expected { background: var(--expected); } .badge.c-executor { background: var(--executor); }
    .badge.c-allowed { background: var(--allowed); } .badge.c-unexpected { background: var(--unexpected); }
    .badge.c-executor-out-of-range { background: var(--out-of-range); } .badge.c-not-in-mode { background: var(--not-in-mode); }
    .badge.s-high { background: var(--high); } .badge.s-medium { background: var(--medium); }
    .badge.s-low { background: var(--low); } .badge.s-info { background: var(--info); }
    .severity { margin: 10px 0 18px; border-left: 6px solid var(--info); padding-left: 14px; }
    .severity.s-high { border-color: var(--high); } .severity.s-medium { border-color: var(--medium); }
    .severity.s-low { border-color: var(--low); }
    .severity.waived { border-left-style: dashed; }
    li.finding.waived .what, li.finding.waived p { color: var(--muted); }
    .severity h3 .gate { font-weight: 400; color: var(--muted); font-size: 13px; margin-left: 8px; }
    ol.findings { margin: 0; padding: 0; list-style: none; }
    li.finding { padding: 8px 0; border-bottom: 1px solid var(--rule); break-inside: avoid; }
    li.finding:last-child { border-bottom: 0; }
    li.finding .what { font-weight: 600; }
    li.finding .remedy { color: var(--muted); }
    li.finding .remedy b { color: var(--ink); font-weight: 600; }
    svg.chart { width: 100%; height: auto; display: block; }
    svg.chart text { font: 12px system-ui, "Liberation Sans", "DejaVu Sans", sans-serif; fill: var(--ink); }
    svg.chart text.value { fill: var(--muted); }
    svg.chart .grid { stroke: var(--rule); }
    svg.chart rect { fill: var(--info); }
    svg.chart rect.c-expected { fill: var(--expected); } svg.chart rect.c-executor { fill: var(--executor); }
    svg.chart rect.c-allowed { fill: var(--allowed); } svg.chart rect.c-unexpected { fill: var(--unexpected); }
    svg.chart rect.c-executor-out-of-range { fill: var(--out-of-range); } svg.chart rect.c-not-in-mode { fill: var(--not-in-mode); }
    svg.chart rect.other { fill: var(--unused); }
    .legend { display: flex; flex-wrap: wrap; gap: 6px 16px; font-size: 12.5px; margin: 6px 0; }
    .legend span::before { content: ""; display: inline-block; width: 11px; height: 11px; border-radius: 2px;
      margin-right: 5px; vertical-align: -1px; background: var(--info); }
    .legend .c-expected::before { background: var(--expected); } .legend .c-executor::before { background: var(--executor); }
    .legend .c-allowed::before { background: var(--allowed); } .legend .c-unexpected::before { background: var(--unexpected); }
    .legend .c-executor-out-of-range::before { background: var(--out-of-range); }
    .legend .c-not-in-mode::before { background: var(--not-in-mode); } .legend .unused::before { background: var(--unused); }
    .legend .attempt::before { background: #fff; border: 1px dashed var(--muted); }
    table.matrix { width: auto; min-width: 50%; }
    table.matrix th.axis { background: #fff; font-weight: 400; color: var(--muted); }
    table.matrix th, table.matrix td { padding: 3px 5px; }
    table.matrix thead th { white-space: normal; overflow-wrap: anywhere; max-width: 110px; font-size: 11px; }
    table.matrix tbody th { background: var(--band); white-space: nowrap; font-size: 11.5px; }
    table.matrix td { text-align: center; font-size: 11px; white-space: nowrap; min-width: 56px; border: 1px solid #fff; }
    table.matrix td.c-expected { background: #d6f0df !important; color: #14532d; }
    table.matrix td.c-executor { background: #dbe8fb !important; color: #1e3a8a; }
    table.matrix td.c-allowed { background: #eaf2d7 !important; color: #3f5a12; }
    table.matrix td.c-unexpected, table.matrix td.c-executor-out-of-range {
      background: #fbd5d2 !important; color: #7a1109; font-weight: 700; }
    table.matrix td.c-not-in-mode { background: #fde7c3 !important; color: #7a4a00; font-weight: 700; }
    .c-dependency.badge, .legend .c-dependency::before, table.matrix td.c-dependency { background: var(--allowed) !important; }
    .c-undeclared-dependency.badge, .legend .c-undeclared-dependency::before,
      table.matrix td.c-undeclared-dependency { background: var(--not-in-mode) !important; }
    svg.chart rect.c-dependency { fill: var(--allowed); } svg.chart rect.c-undeclared-dependency { fill: var(--not-in-mode); }
    .c-host-local.badge, .legend .c-host-local::before, table.matrix td.c-host-local { background: var(--allowed) !important; }
    svg.chart rect.c-host-local { fill: var(--allowed); }
    table.matrix td.unused { background: #eef0f3 !important; color: #475467; font-style: italic; }
    table.matrix td.attempt { color: var(--muted); border: 1px dashed var(--muted); }
    footer { margin-top: 36px; padding-top: 10px; border-top: 1px solid var(--rule); color: var(--muted); font-size: 12px; }
    @page { size: A4; margin: 12mm 10mm 14mm; }
    @media print {
      body { max-width: none; padding: 0; font-size: 10pt; }
      nav { display: none; }
      h2 { margin-top: 18px; break-after: avoid; page-break-after: avoid; }
      h3, .severity h3 { break-after: avoid; page-break-after: avoid; }
      table { font-size: 8pt; }
      thead { display: table-header-group; }
      tr, li.finding, .verdict, dl.facts, svg.chart { break-inside: avoid; page-break-inside: avoid; }
      #traffic { break-inside: avoid; page-break-inside: avoid; } /* at most 30 bars: always fits a page */
      .scroll { overflow: visible; }
      table.matrix td { min-width: 0; }
      /* Each matrix table (8 columns at most, PortMatrix) takes the page's width, no more. */
      table.matrix { table-layout: fixed; width: 100%; min-width: 0; }
      table.matrix th.axis { width: 28%; }
      table.matrix tbody th { white-space: normal; overflow-wrap: anywhere; }
      table.matrix td { font-size: 7pt; overflow: hidden; text-overflow: ellipsis; }
      tbody tr:nth-child(even) td { background: #fff; }
      a { color: inherit; text-decoration: none; }
    }
    """
}
