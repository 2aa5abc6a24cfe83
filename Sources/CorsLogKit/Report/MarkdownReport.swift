/// The report for e-mail and pull requests.
package enum MarkdownReport: LineWrittenReport {
    /// The report's lines, in order, each handed to `line` (see `LineWrittenReport`).
    package static func writeLines(_ a: Analysis, _ inf: Inference, _ line: (String) -> Void) {
        let e = a.evidence
        line("# corslog report")
        line("")
        line("- \(ReportText.siteLine(inf).prefix(1).uppercased() + ReportText.siteLine(inf).dropFirst())")
        line("- Input: \(ReportText.count(a.input.files.count, "file")), \(ReportText.count(a.input.lines, "line")), "
            + "\(ReportText.count(a.input.parsed)) parsed, \(ReportText.count(a.input.skipped)) skipped; \(ReportText.formatLine(a))")
        if let left = ReportText.notReadLine(a.input) { line("- \(cell(left))") }
        if let changed = ReportText.formatChangeLine(a) { line("- **\(cell(changed))**") }
        if let newer = ReportText.newerFormatLine(a.input) { line("- **\(cell(newer))**") }
        if let formats = ReportText.fileFormatsLine(a.input) { line("- \(cell(formats))") }
        if let after = ReportText.originsAfterFormatLine(a) { line("- **\(cell(after))**") }
        if let period = ReportText.period(e) { line("- Period: \(period)") }
        if let state = ReportText.stateLine(a) { line("- \(state)") }
        if e.originsNotLogged {
            line("- Cross-origin requests: \(cell(ReportText.originsNotLoggedTraffic(e)))")
        } else {
            line("- Cross-origin requests: \(ReportText.count(e.crossOriginRequests)); same-origin: "
                + "\(ReportText.count(e.sameOriginRequests)); null: \(ReportText.count(e.null.requests)); invalid: \(ReportText.count(e.invalid.requests))")
        }
        for err in a.input.errors { line("- **Input error:** \(cell(err.description))") }
        line("")
        line("## Policy in force")
        line("")
        let audit = PolicyAudit.audit(e, inf, syntax: a.format.syntax)
        if !audit.available {
            line("Cannot tell: \(cell(audit.unavailable ?? "")).")
        } else {
            line("From the responses' Access-Control-Allow-Origin: \(cell(audit.summaryText)).")
            line("")
            if audit.findings.isEmpty {
                line("No known misconfiguration.")
            } else {
                line("| Severity | Finding | Requests | Origins | Example | What it means |")
                line("|---|---|--:|--:|---|---|")
                for f in audit.findings {
                    line("| \(f.severity.rawValue) | `\(f.code.rawValue)` | \(ReportText.count(f.requests)) | "
                        + "\(ReportText.count(f.origins)) | \(f.example.map { "`\(cell($0))`" } ?? "") | \(cell(f.detail)) |")
                }
            }
        }
        line("")
        line("## Origins")
        line("")
        if e.originsNotLogged {
            line("No origin can be seen in this log.")
        } else {
            line("| Decision | Origin | Requests | Preflights | Clients | Days | Why |")
            line("|---|---|--:|--:|--:|--:|---|")
        }
        for n in ReportText.forPeopleOrder(inf.verdicts) {
            let v = inf.verdicts[n], s = v.stats
            line("| \(v.decision.rawValue) | `\(v.label)`\(v.inferredFromReferer ? " (referer)" : "") | "
                + "\(ReportText.count(s.requests)) | \(ReportText.count(s.preflights)) | \(ReportText.count(s.clients.count)) | "
                + "\(ReportText.count(s.dayCount)) | \(cell(ReportText.headline(v))) |")
        }
        line("")
        if let proxied = ReportText.proxiedClientsLine(inf) {
            line("**\(cell(proxied))**")
            line("")
        }
        if let tail = ReportText.longTailLine(inf) {
            line("**\(cell(tail))**")
            line("")
        }
        if let short = ReportText.shortPeriodLine(inf) {
            line("**\(cell(short))**")
            line("")
        }
        line("## Proposal")
        line("")
        let p = inf.proposal
        if inf.originsNotLogged {
            line(cell(ReportText.originsNotLoggedProposal.prefix(1).uppercased() + ReportText.originsNotLoggedProposal.dropFirst()))
            return
        }
        line("- Origins: \(ReportText.names(p.origins.map { "`\($0.serialized)`" }))")
        line("- Methods: \(ReportText.names(p.methods.map(\.rawValue))) (GET, HEAD and POST need no permission)")
        line("- Headers: \(cell(ReportText.proposalHeaders(inf)))")
        line("- Expose-Headers: \(cell(ReportText.exposeHeadersText))")
        line("- Max-Age: \(p.maxAge) s")
        line("- Credentials: \(cell(ReportText.proposalCredentials(inf)))")
        if let other = ReportText.otherMethodsLine(inf) { line("- Besides, by their method: \(cell(other))") }
        let held = inf.heldMethods.map { "method \($0.name) (\($0.clients))" } + inf.heldHeaders.map { "header \($0.name) (\($0.clients))" }
        if !held.isEmpty {
            line("- Held back, asked for by fewer than --min-clients clients (clients): \(held.joined(separator: ", "))")
        }
        let b = inf.breakage
        line("- Would refuse \(ReportText.count(b.blockedRequests)) of \(ReportText.count(b.crossOriginRequests)) "
            + "cross-origin requests (\(ReportText.percent(b.share)))")
    }

    /// Text from the log inside a table cell: no pipes, no backticks, no line breaks.
    static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "`", with: "'")
            .replacingOccurrences(of: "\n", with: " ")
    }
}

private extension String {
    func replacingOccurrences(of a: String, with b: String) -> String {
        split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
    }
}
