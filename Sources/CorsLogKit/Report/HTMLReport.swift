/// The report as one self-contained HTML5 page: the text report's account, tables and
/// proposal, with three inline SVG charts (requests per origin per day, preflight outcomes,
/// what the proposal would break), each with its numbers in a table beside it.
///
/// Nothing is loaded: no script, font, image or link; the page's Content-Security-Policy
/// forbids every fetch. Every text from the analysis goes through `escape`. The same input
/// gives the same bytes (no clock, everything sorted).
package enum HTMLReport: LineWrittenReport {
    /// The page's lines, in order, each handed to `line` (see `LineWrittenReport`): the
    /// origins' table row by row, so a report of 20,000 origins is never one String.
    package static func writeLines(_ a: Analysis, _ inf: Inference, _ line: (String) -> Void) {
        let e = a.evidence
        for l in head(title: "corslog report: " + ReportText.siteLine(inf)) { line(l) }
        line("<header>")
        line("<h1>corslog report</h1>")
        line("<p class=\"lead\">corslog \(escape(CorsLogVersion.current)): \(escape(ReportText.siteLine(inf)))</p>")
        line("</header>")
        line("<main>")

        // The input account, as the text report gives it.
        line(section("input", "Input"))
        var facts: [String] = []
        facts.append("\(ReportText.count(a.input.files.count, "file")), "
            + "\(ReportText.count(a.input.lines, "line")): \(ReportText.count(a.input.parsed)) parsed, "
            + "\(ReportText.count(a.input.skipped)) skipped, \(ReportText.count(a.input.blank)) blank; \(ReportText.formatLine(a))")
        if let period = ReportText.period(e) { facts.append("Period: \(period)") }
        if let state = ReportText.stateLine(a) { facts.append(state) }
        if e.originsNotLogged {
            facts.append("Traffic: " + ReportText.originsNotLoggedTraffic(e))
        } else {
            facts.append("Traffic: \(ReportText.count(e.crossOriginRequests, "cross-origin request")) "
                + "from \(ReportText.count(e.origins.values.reduce(0) { $0 + ($1.requests > 0 ? 1 : 0) }, "origin"))"
                + " (\(ReportText.count(e.null.requests)) with Origin null, \(ReportText.count(e.invalid.requests)) with an invalid origin); "
                + "\(ReportText.count(e.sameOriginRequests)) same-origin; \(ReportText.count(e.linesWithoutOrigin)) without "
                + (e.source == .referer ? "a Referer origin" : "Origin"))
        }
        if e.originCap.reached {
            facts.append("Origin cap reached: \(ReportText.count(e.originCap.distinctOrigins.count)) distinct origins (estimated) "
                + "for \(ReportText.count(e.originCap.capacity)) tracked; \(ReportText.count(e.originCap.evictedOrigins)) "
                + "least-requested origins with \(ReportText.count(e.originCap.evictedRequests)) requests were dropped (--max-origins)")
        }
        line("<ul class=\"facts\">")
        for fact in facts { line("<li>\(escape(fact))</li>") }
        line("</ul>")
        line(table(
            caption: "Files, in the order read",
            head: ["File", "Compression", "Lines", "Parsed", "Skipped", "Error"], numeric: [2, 3, 4],
            rows: a.input.files.map { f in
                [code(f.path), escape(f.compressed ? "gzip" : "plain"), escape(ReportText.count(f.lines)),
                 escape(ReportText.count(f.parsed)), escape(ReportText.count(f.skipped)),
                 f.error.map { "<strong class=\"error\">\(escape($0.description))</strong>" } ?? ""]
            }))
        if let left = ReportText.notReadLine(a.input) { line("<p>\(escape(left))</p>") }
        if let changed = ReportText.formatChangeLine(a) { line("<p>\(escape(changed))</p>") }
        if let newer = ReportText.newerFormatLine(a.input) { line("<p>\(escape(newer))</p>") }
        if let formats = ReportText.fileFormatsLine(a.input) { line("<p>\(escape(formats))</p>") }
        if let after = ReportText.originsAfterFormatLine(a) { line("<p><strong>\(escape(after))</strong></p>") }
        if !a.input.errors.isEmpty {
            line("<p class=\"error\"><strong>Input errors</strong> (the rest of the input was read; the report is complete for it):</p>")
            line("<ul class=\"error\">")
            for error in a.input.errors { line("<li>\(escape(error.description))</li>") }
            line("</ul>")
        }
        line("</section>")

        // What the server answers today (the audit), as the text report has it.
        line(section("policy-in-force", "Policy in force"))
        let audit = PolicyAudit.audit(a.evidence, inf, syntax: a.format.syntax)
        if !audit.available {
            line("<p>Cannot tell: \(escape(audit.unavailable ?? ""))</p>")
        } else {
            line("<p>From the responses' Access-Control-Allow-Origin: \(escape(audit.summaryText))</p>")
            if audit.findings.isEmpty {
                line("<p>No known misconfiguration.</p>")
            } else {
                line(table(
                    caption: "Findings, most severe first",
                    head: ["Severity", "Finding", "Requests", "Origins", "Example", "Why"], numeric: [2, 3],
                    rows: audit.findings.map { f in
                        [escape(f.severity.rawValue), code(f.code.rawValue), escape(ReportText.count(f.requests)),
                         escape(ReportText.count(f.origins)), f.example.map(code) ?? "", escape(f.detail)]
                    }))
            }
        }
        line("</section>")

        // The origins, in reading order.
        line(section("origins", "Origins"))
        let ordered = ReportText.forPeopleOrder(inf.verdicts).lazy.map { inf.verdicts[$0] }
        let hasInvalid = !e.invalid.examples.isEmpty || e.invalid.requests > 0
        if ordered.isEmpty && !hasInvalid {
            line(e.originsNotLogged ? "<p>No origin can be seen in this log.</p>" : "<p>No cross-origin traffic found.</p>")
        } else {
            let numeric: Set<Int> = [2, 3, 4, 5]
            let caption = "Every origin the logs show: allow, review, deny; then most requests first"
            for l in tableStart(caption: caption, cssClass: "origins",
                                head: ["Decision", "Origin", "Requests", "Preflights", "Clients", "Days", "Why"], numeric: numeric) {
                line(l)
            }
            for v in ordered {
                let s = v.stats
                line(tableRow([badge(v.decision), code(v.label) + (v.inferredFromReferer ? " (referer)" : ""),
                               escape(ReportText.count(s.requests)), escape(ReportText.count(s.preflights)),
                               escape(ReportText.count(s.clients.count)), escape(ReportText.count(s.dayCount)),
                               escape(ReportText.headline(v))], numeric: numeric))
            }
            if hasInvalid {
                let reasons = e.invalid.byReason
                    .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.rawValue < $1.key.rawValue }
                    .map { "\(ReportText.kebab($0.key.rawValue)) \($0.value)" }
                line(tableRow([badge(.deny), "(invalid origins)", escape(ReportText.count(e.invalid.requests)), "", "", "",
                               escape("invalid: " + reasons.joined(separator: ", ")) + "; e.g. "
                                  + e.invalid.examples.prefix(3).map(code).joined(separator: " ")], numeric: numeric))
            }
            line("</tbody>")
            line("</table>")
        }
        line("</section>")

        line(section("per-day", "Cross-origin requests per origin over time"))
        line(dailyChart(inf.verdicts, invalidRequests: e.invalid.requests))
        line("</section>")
        line(section("preflights", "Preflight outcomes"))
        line(preflightChart(inf.verdicts))
        line("</section>")

        // The proposal.
        line(section("proposal", "Proposal (replaces Access-Control-Allow-Origin: *)"))
        if let proxied = ReportText.proxiedClientsLine(inf) { line("<p><strong>\(escape(proxied))</strong></p>") }
        if let tail = ReportText.longTailLine(inf) { line("<p><strong>\(escape(tail))</strong></p>") }
        if let short = ReportText.shortPeriodLine(inf) { line("<p><strong>\(escape(short))</strong></p>") }
        let p = inf.proposal
        let held = inf.heldMethods.map { "method \($0.name) (\($0.clients) client\($0.clients == 1 ? "" : "s"))" }
            + inf.heldHeaders.map { "header \($0.name) (\($0.clients) client\($0.clients == 1 ? "" : "s"))" }
        var terms: [(String, String)] = inf.originsNotLogged ? [("Origins", escape(ReportText.originsNotLoggedProposal))] : [
            ("Origins", p.origins.isEmpty ? "none" : p.origins.map { code($0.serialized) }.joined(separator: ", ")),
            ("Methods", escape(ReportText.names(p.methods.map(\.rawValue)) + "  (GET, HEAD and POST need no permission)")),
            ("Headers", escape(ReportText.proposalHeaders(inf))),
            ("Expose-Headers", escape(ReportText.exposeHeadersText)),
            ("Max-Age", escape("\(p.maxAge) s")),
            ("Credentials", escape(ReportText.proposalCredentials(inf))),
        ]
        if let other = ReportText.otherMethodsLine(inf) { terms.append(("Besides, by their method", escape(other))) }
        if !held.isEmpty { terms.append(("Held back", escape("asked for by fewer than --min-clients clients: " + held.joined(separator: ", ")))) }
        line("<dl class=\"proposal\">")
        for (term, definition) in terms { line("<dt>\(escape(term))</dt><dd>\(definition)</dd>") }
        line("</dl>")
        line("</section>")

        line(section("breakage", "What the proposal would break"))
        line(inf.originsNotLogged ? "<p>Nothing to tell: no origin can be seen in this log.</p>" : breakageChart(inf.breakage))
        line("</section>")

        if !a.input.skippedExamples.isEmpty {
            line(section("skipped", "Skipped lines"))
            line(table(
                caption: "The first \(ReportText.count(a.input.skippedExamples.count)) of \(ReportText.count(a.input.skipped)) skipped lines",
                head: ["File", "Line", "Why"], numeric: [1],
                rows: a.input.skippedExamples.map { [code($0.file), escape(ReportText.count($0.line)), escape($0.reason)] }))
            line("</section>")
        }
        line("</main>")
        line("<footer><p>Written by corslog \(escape(CorsLogVersion.current)) from the logs alone; "
            + "this page loads nothing and runs no script.</p></footer>")
        line("</body>")
        line("</html>")
    }

    /// A whole page around preformatted text (`check --output html`).
    package static func page(title: String, preformatted text: String) -> String {
        document(title: title, body: ["<main>", "<h1>\(escape(title))</h1>", "<pre>\(escape(text))</pre>", "</main>"])
    }

    /// The one escaping function for text and attribute values: `&`, `<`, `>`, `"`, `'`,
    /// and control characters (which no HTML or XML parser accepts) as `\xHH`.
    package static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n", "\t": out.unicodeScalars.append(u)
            case _ where u.value < 0x20 || (0x7F...0x9F).contains(u.value) || (0xFDD0...0xFDEF).contains(u.value)
                || u.value & 0xFFFE == 0xFFFE:
                out += "\\x" + String(u.value, radix: 16, uppercase: true).leftPadded(2)
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    // MARK: - Page parts

    static func document(title: String, body: [String]) -> String {
        (head(title: title) + body + ["</body>", "</html>"]).joined(separator: "\n") + "\n"
    }

    /// The page up to and with `<body>`.
    static func head(title: String) -> [String] {
        [
            "<!DOCTYPE html>",
            "<html lang=\"en\">",
            "<head>",
            "<meta charset=\"utf-8\" />",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />",
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;\" />",
            "<meta name=\"generator\" content=\"corslog \(escape(CorsLogVersion.current))\" />",
            "<title>\(escape(title))</title>",
            "<style>",
            style,
            "</style>",
            "</head>",
            "<body>",
        ]
    }

    static func section(_ id: String, _ heading: String) -> String {
        "<section id=\"\(escape(id))\" aria-labelledby=\"\(escape(id))-h\">\n<h2 id=\"\(escape(id))-h\">\(escape(heading))</h2>"
    }

    /// `cells` are HTML already (escaped by the caller).
    static func table(caption: String, cssClass: String? = nil, head: [String], numeric: Set<Int>, rows: [[String]]) -> String {
        (tableStart(caption: caption, cssClass: cssClass, head: head, numeric: numeric)
            + rows.map { tableRow($0, numeric: numeric) } + ["</tbody>", "</table>"]).joined(separator: "\n")
    }

    /// A table's lines up to and with `<tbody>` (then `tableRow`s, then `</tbody>`, `</table>`).
    static func tableStart(caption: String, cssClass: String? = nil, head: [String], numeric: Set<Int>) -> [String] {
        [cssClass.map { "<table class=\"\(escape($0))\">" } ?? "<table>", "<caption>\(escape(caption))</caption>", "<thead><tr>"
            + head.enumerated().map { "<th scope=\"col\"\(numeric.contains($0.offset) ? " class=\"num\"" : "")>\(escape($0.element))</th>" }.joined()
            + "</tr></thead>", "<tbody>"]
    }

    /// One row; `cells` are HTML already (escaped by the caller).
    static func tableRow(_ cells: [String], numeric: Set<Int>) -> String {
        "<tr>" + cells.enumerated().map { "<td\(numeric.contains($0.offset) ? " class=\"num\"" : "")>\($0.element)</td>" }.joined() + "</tr>"
    }

    static func code(_ s: String) -> String { "<code>\(escape(s))</code>" }

    static func badge(_ d: Decision) -> String {
        "<span class=\"badge \(d.rawValue)\">\(d.rawValue)</span>"
    }

    static let style = """
        :root { color-scheme: light; --allow: #1a7f37; --review: #9a6700; --deny: #cf222e; --muted: #57606a; --line: #d0d7de; }
        body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1f2328;
               margin: 0 auto; padding: 1.5rem; max-width: 1180px; }
        h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
        h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
        .lead { margin: 0; color: var(--muted); }
        code, pre { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .88em; }
        code { overflow-wrap: anywhere; }
        pre { white-space: pre-wrap; overflow-wrap: anywhere; }
        ul.facts { padding-left: 1.2rem; }
        table { border-collapse: collapse; margin: .5rem 0 1rem; width: 100%; }
        caption { text-align: left; color: var(--muted); padding-bottom: .25rem; }
        th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
        th { background: #f6f8fa; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .badge { display: inline-block; min-width: 3.6em; text-align: center; border-radius: .8em; padding: 0 .5em;
                 color: #fff; font-size: .85em; font-weight: 600; }
        .badge.allow { background: var(--allow); } .badge.review { background: var(--review); } .badge.deny { background: var(--deny); }
        .error { color: var(--deny); }
        dl.proposal { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
        dl.proposal dt { font-weight: 600; } dl.proposal dd { margin: 0; }
        figure { margin: .5rem 0 1rem; }
        figcaption { color: var(--muted); margin-bottom: .4rem; }
        svg.chart { display: block; width: 100%; height: auto; max-width: 1100px; }
        svg.chart text { font-size: 12px; fill: #1f2328; }
        svg.chart .axis { stroke: #57606a; } svg.chart .grid { stroke: #d0d7de; stroke-dasharray: 2 3; }
        svg.chart text.muted { fill: #57606a; }
        svg.chart text.d-allow, svg.chart text.d-review, svg.chart text.d-deny { font-weight: 600; }
        svg.chart text.d-allow { fill: var(--allow); } svg.chart text.d-review { fill: var(--review); } svg.chart text.d-deny { fill: var(--deny); }
        table.origins td:nth-child(2) { min-width: 17em; }
        ul.legend { list-style: none; padding: 0; margin: .5rem 0; display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; }
        ul.legend li { display: flex; align-items: center; gap: .4rem; }
        .swatch { display: inline-block; width: 1em; height: 1em; border-radius: 2px; flex: none; border: 1px solid rgba(0,0,0,.2); }
        .swatch.hatched { background-image: repeating-linear-gradient(45deg, rgba(255,255,255,.65) 0 2px, transparent 2px 5px); }
        details { margin: .25rem 0 1rem; } summary { cursor: pointer; color: var(--muted); }
        footer { margin-top: 2rem; color: var(--muted); font-size: .9em; }
        @media print { details { display: block; } }
        """
}
