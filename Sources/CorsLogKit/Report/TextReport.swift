/// The report for people at a terminal: input account, a table of origins with
/// decisions and reasons, the proposal and what it would break.
package enum TextReport: LineWrittenReport {
    /// The report's lines, in order, each handed to `line` (see `LineWrittenReport`).
    package static func writeLines(_ a: Analysis, _ inf: Inference, _ line: (String) -> Void) {
        let e = a.evidence
        line("corslog \(CorsLogVersion.current): \(ReportText.siteLine(inf))")
        line("")
        line("Input: \(ReportText.count(a.input.files.count, "file")), "
            + "\(ReportText.count(a.input.lines, "line")): \(ReportText.count(a.input.parsed)) parsed, "
            + "\(ReportText.count(a.input.skipped)) skipped, \(ReportText.count(a.input.blank)) blank; \(ReportText.formatLine(a))"
            + (a.input.inflate.map { "; gzip inflated by \($0.rawValue)" } ?? ""))
        line(ReportText.table(a.input.files.map { f in
            ["  " + f.path, (f.compressed ? "gzip" : "plain") + (f.format.map { ", \($0)" } ?? ""), ReportText.count(f.lines, "line"),
             "\(ReportText.count(f.parsed)) parsed", "\(ReportText.count(f.skipped)) skipped",
             f.error.map { "ERROR: \($0.description)" } ?? ""]
        }))
        if let left = ReportText.notReadLine(a.input) { line(left) }
        if let changed = ReportText.formatChangeLine(a) { line(changed) }
        if let newer = ReportText.newerFormatLine(a.input) { line(newer) }
        if let formats = ReportText.fileFormatsLine(a.input) { line(formats) }
        if let after = ReportText.originsAfterFormatLine(a) { line(after) }
        if let period = ReportText.period(e) { line("Period: \(period)") }
        if let state = ReportText.stateLine(a) { line("\(state)") }
        if e.originsNotLogged {
            line("Traffic: " + ReportText.originsNotLoggedTraffic(e))
        } else {
            line("Traffic: \(ReportText.count(e.crossOriginRequests, "cross-origin request")) "
                + "from \(ReportText.count(e.origins.values.reduce(0) { $0 + ($1.requests > 0 ? 1 : 0) }, "origin"))"
                + " (\(ReportText.count(e.null.requests)) with Origin null, \(ReportText.count(e.invalid.requests)) with an invalid origin); "
                + "\(ReportText.count(e.sameOriginRequests)) same-origin; \(ReportText.count(e.linesWithoutOrigin)) without "
                + (e.source == .referer ? "a Referer origin" : "Origin"))
        }
        if e.originCap.reached {
            line("Origin cap reached: \(ReportText.count(e.originCap.distinctOrigins.count)) distinct origins (estimated) "
                + "for \(ReportText.count(e.originCap.capacity)) tracked; \(ReportText.count(e.originCap.evictedOrigins)) "
                + "least-requested origins with \(ReportText.count(e.originCap.evictedRequests)) requests were dropped (--max-origins)")
        }
        line("")
        policyInForce(PolicyAudit.audit(e, inf, syntax: a.format.syntax)).forEach(line)
        line("")

        let header = ["DECISION", "ORIGIN", "REQUESTS", "PREFLIGHTS", "CLIENTS", "DAYS", "WHY"]
        let ordered = ReportText.forPeopleOrder(inf.verdicts)
        var invalidRow: [String]? = nil
        if !e.invalid.examples.isEmpty || e.invalid.requests > 0 {
            let reasons = e.invalid.byReason.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.rawValue < $1.key.rawValue }.map { "\(ReportText.kebab($0.key.rawValue)) \($0.value)" }
            invalidRow = ["deny", "(invalid origins)", ReportText.count(e.invalid.requests), "", "", "",
                          "invalid: " + reasons.joined(separator: ", ") + "; e.g. " + e.invalid.examples.prefix(3).joined(separator: "  ")]
        }
        let rows = 1 + ordered.count + (invalidRow == nil ? 0 : 1)
        if rows > 1 {
            ReportText.table(rows: rows, rightAligned: [2, 3, 4, 5], row: { n in
                if n == 0 { return header }
                guard n <= ordered.count else { return invalidRow! }
                let v = inf.verdicts[ordered[n - 1]]
                return [v.decision.rawValue, v.label + (v.inferredFromReferer ? " (referer)" : ""),
                        ReportText.count(v.stats.requests), ReportText.count(v.stats.preflights),
                        ReportText.count(v.stats.clients.count), ReportText.count(v.stats.dayCount),
                        ReportText.headline(v)]
            }, line: line)
        } else {
            line(e.originsNotLogged ? "No origin can be seen in this log." : "No cross-origin traffic found.")
        }
        line("")

        let p = inf.proposal
        if inf.originsNotLogged {
            line("Proposal: " + ReportText.originsNotLoggedProposal)
            skippedAndErrors(a, line)
            return
        }
        if let proxied = ReportText.proxiedClientsLine(inf) {
            line(proxied)
            line("")
        }
        if let tail = ReportText.longTailLine(inf) {
            line(tail)
            line("")
        }
        if let short = ReportText.shortPeriodLine(inf) {
            line(short)
            line("")
        }
        line("Proposal (replaces Access-Control-Allow-Origin: *):")
        line(ReportText.table([
            ["  origins:", ReportText.names(p.origins.map(\.serialized))],
            ["  methods:", ReportText.names(p.methods.map(\.rawValue)) + "  (GET, HEAD and POST need no permission)"],
            ["  headers:", ReportText.proposalHeaders(inf)],
            ["  expose:", ReportText.exposeHeadersText],
            ["  max-age:", "\(p.maxAge) s"],
            ["  credentials:", ReportText.proposalCredentials(inf)],
        ]))
        let held = inf.heldMethods.map { "method \($0.name) (\($0.clients) client\($0.clients == 1 ? "" : "s"))" }
            + inf.heldHeaders.map { "header \($0.name) (\($0.clients) client\($0.clients == 1 ? "" : "s"))" }
        if !held.isEmpty {
            line("  held back, asked for by fewer than --min-clients clients: " + held.joined(separator: ", "))
        }
        let b = inf.breakage
        if b.blockedRequests > 0 {
            let by = b.byReason.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.rawValue < $1.key.rawValue }
                .map { "\($0.key.rawValue) \(ReportText.count($0.value))" }
            line("It would refuse \(ReportText.count(b.blockedRequests)) of \(ReportText.count(b.crossOriginRequests)) "
                + "cross-origin requests (\(ReportText.percent(b.share))): " + by.joined(separator: ", "))
        } else {
            line("It would refuse none of the \(ReportText.count(b.crossOriginRequests)) cross-origin requests.")
        }
        if let other = ReportText.otherMethodsLine(inf) { line("Besides, by their method: " + other) }
        skippedAndErrors(a, line)
    }

    /// The skipped lines' examples and the input errors, at the end of the report.
    private static func skippedAndErrors(_ a: Analysis, _ line: (String) -> Void) {
        if !a.input.skippedExamples.isEmpty {
            line("")
            line("Skipped lines (first \(a.input.skippedExamples.count) of \(ReportText.count(a.input.skipped))):")
            for s in a.input.skippedExamples { line("  \(s.file):\(s.line): \(s.reason)") }
        }
        let errors = a.input.errors
        if !errors.isEmpty {
            line("")
            line("Input errors (the rest of the input was read; the report is complete for it):")
            for err in errors { line("  \(err.description)") }
        }
    }

    /// "Policy in force: …" and a table of findings, most severe first.
    static func policyInForce(_ audit: PolicyAudit) -> [String] {
        guard audit.available else {
            return ["Policy in force: cannot tell: \(audit.unavailable ?? "")"]
        }
        var out = ["Policy in force (from the responses' Access-Control-Allow-Origin): \(audit.summaryText)"]
        if audit.findings.isEmpty {
            out.append("  no known misconfiguration")
        } else {
            out.append(ReportText.table(audit.findings.map { f in
                ["  " + f.severity.rawValue, f.code.rawValue,
                 "\(ReportText.count(f.requests)) request\(f.requests == 1 ? "" : "s")",
                 "\(ReportText.count(f.origins)) origin\(f.origins == 1 ? "" : "s")",
                 f.example.map { "e.g. \($0)" } ?? "", f.detail]
            }, rightAligned: [2, 3]))
        }
        return out
    }
}
