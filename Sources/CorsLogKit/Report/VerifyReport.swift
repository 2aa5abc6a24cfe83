import Foundation

/// The report of `corslog verify`: which logged requests a browser would refuse under the
/// policy, per origin, kind, method and path, and why. Origins are validated; methods,
/// paths and header names from the log are escaped (`TopValues.displayText`).
package struct VerifyReport: Sendable {
    package var run: VerifyRun

    package init(_ run: VerifyRun) { self.run = run }

    package var status: ExitStatus { run.status }

    /// Failing rows shown in the text and Markdown reports (all are in the JSON).
    static let maxRows = 60

    package func render(_ format: ReportFormat) -> String {
        switch format {
        case .text: text
        case .markdown: markdown
        case .json: VerifyJSONReport(self).encoded()
        case .html: HTMLReport.page(title: "corslog verify", preformatted: text)
        }
    }

    var result: VerifyResult { run.result }

    var headline: String {
        let r = result
        if r.wouldFail == 0 {
            return "Nothing would fail: all \(ReportText.count(r.replayed)) cross-origin requests pass the browser's CORS check under the policy"
        }
        let total = r.replayed + r.nullOrigin
        return "\(ReportText.count(r.wouldFail)) of \(ReportText.count(total)) cross-origin requests would fail in a browser "
            + "(\(ReportText.percent(Double(r.wouldFail) / Double(max(total, 1))))): "
            + r.byReason.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { "\($0.key) \(ReportText.count($0.value))" }.joined(separator: ", ")
    }

    var assumptionLine: String {
        let r = result
        let how: String
        switch r.credentialsAssumption {
        case .logged: how = "with credentials where the logged answer had Access-Control-Allow-Credentials: true and an echoed origin, else without"
        case .always: how = "every request with credentials (--assume-credentials always)"
        case .never: how = "no request with credentials (--assume-credentials never)"
        }
        return "Credentials: \(how) (\(ReportText.count(r.credentialed)) replayed with credentials)"
    }

    /// Set when the format does not log Access-Control-Request-Headers: such preflights are
    /// replayed asking for no header, so their pass proves nothing about the headers.
    var headersLine: String? {
        let n = run.analysis.evidence.preflightsWithoutRequestHeaders
        guard n > 0 else { return nil }
        return "Headers: the log format does not record Access-Control-Request-Headers, so \(ReportText.count(n)) preflights "
            + "were replayed asking for none: a pass says nothing about the headers they asked for"
    }

    var notReplayedLine: String {
        let r = result
        return "Not replayed: \(ReportText.count(r.sameOrigin)) same-origin, \(ReportText.count(r.withoutOrigin)) without Origin, "
            + "\(ReportText.count(r.invalidOrigin)) with an invalid Origin (browsers never send one)"
            + (r.nullOrigin > 0 ? "; \(ReportText.count(r.nullOrigin)) with Origin null would fail (a policy never allows null)" : "")
    }

    var failingEntries: [VerifyEntry] { result.entries.filter { $0.failing > 0 } }

    static func reasons(_ e: VerifyEntry) -> String {
        e.reasons.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { e.reasons.count == 1 ? $0.key.text : "\($0.key.text) (\(ReportText.count($0.value)))" }
            .joined(separator: "; ")
    }

    var caveats: [String] {
        var out: [String] = []
        if result.droppedRequests > 0 {
            out.append("The table was full (--max-entries \(ReportText.count(result.capacity))): \(ReportText.count(result.droppedRequests)) "
                + "requests (\(ReportText.count(result.droppedFailing)) failing) are in the totals but not in the rows.")
        }
        return out
    }

    var text: String {
        let a = run.analysis
        var out: [String] = []
        out.append("corslog \(CorsLogVersion.current) verify: policy \(run.policyPath); site \(siteText)")
        out.append("")
        out.append("Input: \(ReportText.count(a.input.files.count, "file")), "
            + "\(ReportText.count(a.input.lines, "line")): \(ReportText.count(a.input.parsed)) parsed, "
            + "\(ReportText.count(a.input.skipped)) skipped; \(ReportText.formatLine(a))")
        if let left = ReportText.notReadLine(a.input) { out.append(left) }
        if let period = ReportText.period(a.evidence) { out.append("Period: \(period)") }
        out.append("Replayed: \(ReportText.count(result.replayed)) cross-origin requests through the Fetch standard's CORS check "
            + "against what a server with the policy answers: \(ReportText.count(result.passing)) pass, \(ReportText.count(result.failing)) fail")
        out.append(notReplayedLine)
        out.append(assumptionLine)
        if let headersLine { out.append(headersLine) }
        out.append("")
        out.append(headline)
        let rows = failingEntries
        if !rows.isEmpty {
            out.append("")
            var table = [["FAIL", "OF", "ORIGIN", "KIND", "METHOD", "PATH", "WHY"]]
            for e in rows.prefix(Self.maxRows) {
                table.append([ReportText.count(e.failing), ReportText.count(e.requests), e.origin.serialized, e.kind.rawValue,
                              e.method, e.path, Self.reasons(e)])
            }
            out.append(ReportText.table(table, rightAligned: [0, 1]))
            if rows.count > Self.maxRows { out.append("… and \(rows.count - Self.maxRows) more rows (--output json lists all)") }
        }
        let notes = caveats
        if !notes.isEmpty { out.append(""); out += notes }
        if !a.input.errors.isEmpty {
            out.append("")
            out.append("Input errors (the rest of the input was read; the report is complete for it):")
            for err in a.input.errors { out.append("  \(err.description)") }
        }
        return out.joined(separator: "\n") + "\n"
    }

    var siteText: String {
        switch run.siteSource {
        case "host-field": "from the logged Host"
        case "policy": run.sites.map(\.serialized).joined(separator: ", ") + " (the policy's site)"
        default: run.sites.map(\.serialized).joined(separator: ", ")
        }
    }

    var markdown: String {
        let a = run.analysis
        var out: [String] = []
        out.append("# corslog verify: \(Self.md(run.policyPath))")
        out.append("")
        out.append("- Input: \(ReportText.count(a.input.files.count, "file")), \(ReportText.count(a.input.parsed, "line")) parsed, "
            + "\(ReportText.count(a.input.skipped)) skipped; \(ReportText.formatLine(a))")
        out.append("- Replayed: \(ReportText.count(result.replayed)) cross-origin requests: \(ReportText.count(result.passing)) pass, "
            + "\(ReportText.count(result.failing)) fail")
        out.append("- \(notReplayedLine)")
        out.append("- \(assumptionLine)")
        if let headersLine { out.append("- \(headersLine)") }
        out.append("")
        out.append("**\(headline)**")
        let rows = failingEntries
        if !rows.isEmpty {
            out.append("")
            out.append("| fail | of | origin | kind | method | path | why |")
            out.append("|--:|--:|---|---|---|---|---|")
            for e in rows.prefix(Self.maxRows) {
                out.append("| \(ReportText.count(e.failing)) | \(ReportText.count(e.requests)) | \(e.origin.serialized) | \(e.kind.rawValue) | "
                    + "`\(Self.md(e.method))` | `\(Self.md(e.path))` | \(Self.md(Self.reasons(e))) |")
            }
            if rows.count > Self.maxRows { out.append(""); out.append("… and \(rows.count - Self.maxRows) more rows (`--output json` lists all)") }
        }
        for note in caveats { out.append(""); out.append(note) }
        if !a.input.errors.isEmpty {
            out.append("")
            out.append("Input errors:")
            for err in a.input.errors { out.append("- \(Self.md(err.description))") }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Escaped text for Markdown table cells: `|` and backticks would break them.
    static func md(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\x7C").replacingOccurrences(of: "`", with: "\\x60")
    }
}

/// `corslog verify --output json`.
struct VerifyJSONReport: Encodable {
    struct Input: Encodable {
        var files: [File]
        var lines: Int
        var parsed: Int
        var skipped: Int
        var complete: Bool
        var firstSeen: String?
        var lastSeen: String?
    }
    struct File: Encodable {
        var path: String
        var lines: Int
        var parsed: Int
        var skipped: Int
        var error: String?
    }
    struct Totals: Encodable {
        var replayed: Int
        var passing: Int
        var failing: Int
        var wouldFail: Int
        var credentialed: Int
        var sameOrigin: Int
        var withoutOrigin: Int
        var nullOrigin: Int
        var invalidOrigin: Int
        /// Preflights replayed without the headers they asked for (the format does not log them).
        var preflightsWithoutRequestHeaders: Int
        var byReason: [String: Int]
    }
    struct Reason: Encodable {
        var code: String
        var detail: String
        var requests: Int
    }
    struct Entry: Encodable {
        var origin: String
        var kind: String
        var method: String
        var path: String
        var requests: Int
        var failing: Int
        var credentialed: Int
        var reasons: [Reason]
    }
    struct Table: Encodable {
        var capacity: Int
        var droppedRequests: Int
        var droppedFailing: Int
    }

    var corslogVersion = CorsLogVersion.current
    var policy: String
    var site: [String: String]
    var sites: [String]
    var credentials: String
    var input: Input
    var totals: Totals
    var exitStatus: Int32
    var entries: [Entry]
    var table: Table

    init(_ report: VerifyReport) {
        let run = report.run, r = run.result, a = run.analysis
        policy = run.policyPath
        site = ["source": run.siteSource]
        sites = run.sites.map(\.serialized)
        credentials = r.credentialsAssumption.rawValue
        input = Input(files: a.input.files.map { File(path: $0.path, lines: $0.lines, parsed: $0.parsed, skipped: $0.skipped,
                                                      error: $0.error?.description) },
                      lines: a.input.lines, parsed: a.input.parsed, skipped: a.input.skipped, complete: a.input.errors.isEmpty,
                      firstSeen: a.evidence.firstSeen.map(Timestamp.iso8601), lastSeen: a.evidence.lastSeen.map(Timestamp.iso8601))
        totals = Totals(replayed: r.replayed, passing: r.passing, failing: r.failing, wouldFail: r.wouldFail,
                        credentialed: r.credentialed, sameOrigin: r.sameOrigin, withoutOrigin: r.withoutOrigin,
                        nullOrigin: r.nullOrigin, invalidOrigin: r.invalidOrigin,
                        preflightsWithoutRequestHeaders: a.evidence.preflightsWithoutRequestHeaders, byReason: r.byReason)
        exitStatus = run.status.rawValue
        entries = r.entries.map { e in
            Entry(origin: e.origin.serialized, kind: e.kind.rawValue, method: e.method, path: e.path, requests: e.requests,
                  failing: e.failing, credentialed: e.credentialed,
                  reasons: e.reasons.sorted { $0.key < $1.key }.map { Reason(code: $0.key.code, detail: $0.key.detail, requests: $0.value) })
        }
        table = Table(capacity: r.capacity, droppedRequests: r.droppedRequests, droppedFailing: r.droppedFailing)
    }

    func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try! encoder.encode(self), as: UTF8.self) + "\n"
    }
}
