/// The report for e-mail and pull requests.
package enum MarkdownReport {
    package static func render(_ a: Analysis, _ inf: Inference) -> String {
        let e = a.evidence
        var out: [String] = []
        out.append("# corslog report")
        out.append("")
        out.append("- \(ReportText.siteLine(inf).prefix(1).uppercased() + ReportText.siteLine(inf).dropFirst())")
        out.append("- Input: \(a.input.files.count) file(s), \(ReportText.count(a.input.lines)) lines, "
            + "\(ReportText.count(a.input.parsed)) parsed, \(ReportText.count(a.input.skipped)) skipped; \(ReportText.formatLine(a))")
        if let period = ReportText.period(e) { out.append("- Period: \(period)") }
        if let state = ReportText.stateLine(a) { out.append("- \(state)") }
        out.append("- Cross-origin requests: \(ReportText.count(e.crossOriginRequests)); same-origin: "
            + "\(ReportText.count(e.sameOriginRequests)); null: \(ReportText.count(e.null.requests)); invalid: \(ReportText.count(e.invalid.requests))")
        for err in a.input.errors { out.append("- **Input error:** \(cell(err.description))") }
        out.append("")
        out.append("## Policy in force")
        out.append("")
        let audit = PolicyAudit.audit(e, inf, syntax: a.format.syntax)
        if !audit.available {
            out.append("Cannot tell: \(cell(audit.unavailable ?? "")).")
        } else {
            out.append("From the responses' Access-Control-Allow-Origin: \(cell(audit.summaryText)).")
            out.append("")
            if audit.findings.isEmpty {
                out.append("No known misconfiguration.")
            } else {
                out.append("| Severity | Finding | Requests | Origins | Example | What it means |")
                out.append("|---|---|--:|--:|---|---|")
                for f in audit.findings {
                    out.append("| \(f.severity.rawValue) | `\(f.code.rawValue)` | \(ReportText.count(f.requests)) | "
                        + "\(ReportText.count(f.origins)) | \(f.example.map { "`\(cell($0))`" } ?? "") | \(cell(f.detail)) |")
                }
            }
        }
        out.append("")
        out.append("## Origins")
        out.append("")
        out.append("| Decision | Origin | Requests | Preflights | Clients | Days | Why |")
        out.append("|---|---|--:|--:|--:|--:|---|")
        let ordered = ReportText.forPeople(inf.verdicts)
        for v in ordered {
            let s = v.stats
            out.append("| \(v.decision.rawValue) | `\(v.label)`\(v.inferredFromReferer ? " (referer)" : "") | "
                + "\(ReportText.count(s.requests)) | \(ReportText.count(s.preflights)) | \(ReportText.count(s.clients.count)) | "
                + "\(ReportText.count(s.days.count)) | \(cell(ReportText.headline(v))) |")
        }
        out.append("")
        out.append("## Proposal")
        out.append("")
        let p = inf.proposal
        out.append("- Origins: \(ReportText.names(p.origins.map { "`\($0.serialized)`" }))")
        out.append("- Methods: \(ReportText.names(p.methods.map(\.rawValue))) (GET, HEAD and POST need no permission)")
        out.append("- Headers: \(ReportText.names(p.headers.map(\.name)))")
        out.append("- Max-Age: \(p.maxAge) s")
        out.append("- Credentials: \(p.credentials ? "yes" : "no")")
        let held = inf.heldMethods.map { "method \($0.name) (\($0.clients))" } + inf.heldHeaders.map { "header \($0.name) (\($0.clients))" }
        if !held.isEmpty {
            out.append("- Held back, asked for by fewer than --min-clients clients (clients): \(held.joined(separator: ", "))")
        }
        let b = inf.breakage
        out.append("- Would refuse \(ReportText.count(b.blockedRequests)) of \(ReportText.count(b.crossOriginRequests)) "
            + "cross-origin requests (\(ReportText.percent(b.share)))")
        return out.joined(separator: "\n") + "\n"
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
