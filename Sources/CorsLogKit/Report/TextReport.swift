/// The report for people at a terminal: input account, a table of origins with
/// decisions and reasons, the proposal and what it would break.
package enum TextReport {
    package static func render(_ a: Analysis, _ inf: Inference) -> String {
        let e = a.evidence
        var out: [String] = []
        out.append("corslog \(CorsLogVersion.current): \(ReportText.siteLine(inf))")
        out.append("")
        out.append("Input: \(ReportText.count(a.input.files.count)) file\(a.input.files.count == 1 ? "" : "s"), "
            + "\(ReportText.count(a.input.lines)) lines: \(ReportText.count(a.input.parsed)) parsed, "
            + "\(ReportText.count(a.input.skipped)) skipped, \(ReportText.count(a.input.blank)) blank; \(ReportText.formatLine(a))"
            + (a.input.inflate.map { "; gzip inflated by \($0.rawValue)" } ?? ""))
        out.append(ReportText.table(a.input.files.map { f in
            ["  " + f.path, f.compressed ? "gzip" : "plain", "\(ReportText.count(f.lines)) lines",
             "\(ReportText.count(f.parsed)) parsed", "\(ReportText.count(f.skipped)) skipped",
             f.error.map { "ERROR: \($0.description)" } ?? ""]
        }))
        if let period = ReportText.period(e) { out.append("Period: \(period)") }
        if let state = ReportText.stateLine(a) { out.append("\(state)") }
        out.append("Traffic: \(ReportText.count(e.crossOriginRequests)) cross-origin requests "
            + "from \(ReportText.count(e.origins.values.filter { $0.requests > 0 }.count)) origins"
            + " (\(ReportText.count(e.null.requests)) with Origin null, \(ReportText.count(e.invalid.requests)) with an invalid origin); "
            + "\(ReportText.count(e.sameOriginRequests)) same-origin; \(ReportText.count(e.linesWithoutOrigin)) without "
            + (e.source == .referer ? "a Referer origin" : "Origin"))
        if e.originCap.reached {
            out.append("Origin cap reached: \(ReportText.count(e.originCap.distinctOrigins.count)) distinct origins (estimated) "
                + "for \(ReportText.count(e.originCap.capacity)) tracked; \(ReportText.count(e.originCap.evictedOrigins)) "
                + "least-requested origins with \(ReportText.count(e.originCap.evictedRequests)) requests were dropped (--max-origins)")
        }
        out.append("")
        out.append(contentsOf: policyInForce(PolicyAudit.audit(e, inf, syntax: a.format.syntax)))
        out.append("")

        var rows: [[String]] = [["DECISION", "ORIGIN", "REQUESTS", "PREFLIGHTS", "CLIENTS", "DAYS", "WHY"]]
        let ordered = ReportText.forPeople(inf.verdicts)
        for v in ordered {
            let s = v.stats
            rows.append([v.decision.rawValue, v.label + (v.inferredFromReferer ? " (referer)" : ""),
                         ReportText.count(s.requests), ReportText.count(s.preflights), ReportText.count(s.clients.count),
                         ReportText.count(s.days.count), ReportText.headline(v)])
        }
        if !e.invalid.examples.isEmpty || e.invalid.requests > 0 {
            let reasons = e.invalid.byReason.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.rawValue < $1.key.rawValue }.map { "\(ReportText.kebab($0.key.rawValue)) \($0.value)" }
            rows.append(["deny", "(invalid origins)", ReportText.count(e.invalid.requests), "", "", "",
                         "invalid: " + reasons.joined(separator: ", ") + "; e.g. " + e.invalid.examples.prefix(3).joined(separator: "  ")])
        }
        out.append(rows.count > 1 ? ReportText.table(rows, rightAligned: [2, 3, 4, 5]) : "No cross-origin traffic found.")
        out.append("")

        let p = inf.proposal
        out.append("Proposal (replaces Access-Control-Allow-Origin: *):")
        out.append(ReportText.table([
            ["  origins:", ReportText.names(p.origins.map(\.serialized))],
            ["  methods:", ReportText.names(p.methods.map(\.rawValue)) + "  (GET, HEAD and POST need no permission)"],
            ["  headers:", ReportText.names(p.headers.map(\.name))],
            ["  max-age:", "\(p.maxAge) s"],
            ["  credentials:", p.credentials ? "yes" : "no"],
        ]))
        let held = inf.heldMethods.map { "method \($0.name) (\($0.clients) client\($0.clients == 1 ? "" : "s"))" }
            + inf.heldHeaders.map { "header \($0.name) (\($0.clients) client\($0.clients == 1 ? "" : "s"))" }
        if !held.isEmpty {
            out.append("  held back, asked for by fewer than --min-clients clients: " + held.joined(separator: ", "))
        }
        let b = inf.breakage
        if b.blockedRequests > 0 {
            let by = b.byReason.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.rawValue < $1.key.rawValue }
                .map { "\($0.key.rawValue) \(ReportText.count($0.value))" }
            out.append("It would refuse \(ReportText.count(b.blockedRequests)) of \(ReportText.count(b.crossOriginRequests)) "
                + "cross-origin requests (\(ReportText.percent(b.share))): " + by.joined(separator: ", "))
        } else {
            out.append("It would refuse none of the \(ReportText.count(b.crossOriginRequests)) cross-origin requests.")
        }
        if !a.input.skippedExamples.isEmpty {
            out.append("")
            out.append("Skipped lines (first \(a.input.skippedExamples.count) of \(ReportText.count(a.input.skipped))):")
            for s in a.input.skippedExamples { out.append("  \(s.file):\(s.line): \(s.reason)") }
        }
        let errors = a.input.errors
        if !errors.isEmpty {
            out.append("")
            out.append("Input errors (the rest of the input was read; the report is complete for it):")
            for err in errors { out.append("  \(err.description)") }
        }
        return out.joined(separator: "\n") + "\n"
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
