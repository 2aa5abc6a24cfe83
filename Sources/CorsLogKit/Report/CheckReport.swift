import Foundation

/// The report of `corslog check`: text for a terminal or cron mail, Markdown for
/// e-mail and pull requests, JSON for machines. Findings come sorted from
/// `DriftCheck`; every subject is a validated type, every detail is built from
/// validated values and numbers.
package struct CheckReport: Sendable {
    package var analysis: Analysis
    package var inference: Inference
    /// The policy file as named on the command line.
    package var policyPath: String
    package var policy: Policy
    package var result: CheckResult

    package init(analysis: Analysis, inference: Inference, policyPath: String, policy: Policy, result: CheckResult) {
        self.analysis = analysis
        self.inference = inference
        self.policyPath = policyPath
        self.policy = policy
        self.result = result
    }

    package var status: ExitStatus { Pipeline.status(of: analysis, result) }

    package func render(_ format: ReportFormat) -> String {
        switch format {
        case .text: text
        case .markdown: markdown
        case .json: CheckJSONReport(self).encoded()
        // The text report in a self-contained page (no charts yet).
        case .html: HTMLReport.page(title: "corslog check", preformatted: text)
        }
    }

    static func title(_ kind: Finding.Kind) -> String {
        switch kind {
        case .newOrigin: "New origins: the evidence allows them, the policy does not (browsers refuse their pages)"
        case .stale: "Stale: not used within --stale-after days (candidates for removal)"
        case .refusedPreflight: "Refused preflights: allowed origins ask for a method or header the policy does not list"
        case .preflightErrors: "Preflight errors: allowed origins' preflights answered without a 2xx status"
        case .suspicious: "Suspicious: lookalikes, one client hammering, names only a few clients ask for"
        }
    }

    static func label(_ f: Finding) -> String {
        if case .origin(let o) = f.subject { return o.serialized }
        return "\(f.subject.type) \(f.subject.name)"
    }

    /// The rules, origins and detail of a finding in one sentence.
    static func line(_ f: Finding) -> String {
        var parts: [String] = []
        if !f.rules.isEmpty && f.rules != ["default"] { parts.append("rules \(f.rules.joined(separator: ", "))") }
        parts.append(f.detail)
        if !f.origins.isEmpty {
            let shown = f.origins.prefix(5).map(\.serialized)
            parts.append((f.subject.isPattern ? "matched by " : "origins ") + shown.joined(separator: ", ")
                + (f.origins.count > shown.count ? " and \(f.origins.count - shown.count) more" : ""))
        }
        return parts.joined(separator: "; ")
    }

    /// "4 findings count (new-origin 1, stale 2, …); 2 informational (suspicious 2)"
    var verdict: String {
        func tally(_ list: [Finding]) -> String {
            Finding.Kind.allCases.compactMap { k in
                let n = list.filter { $0.kind == k }.count
                return n == 0 ? nil : "\(k.rawValue) \(n)"
            }.joined(separator: ", ")
        }
        let counting = result.findings.filter(\.counts), other = result.findings.filter { !$0.counts }
        var s = result.policyShouldChange
            ? "The policy should change: \(counting.count) finding\(counting.count == 1 ? "" : "s") (\(tally(counting)))"
            : "Nothing to do: no finding of a --fail-on kind"
        if !other.isEmpty { s += "; \(other.count) informational (\(tally(other)))" }
        return s
    }

    var windowLine: String {
        guard result.hasTime, let asOf = result.asOf, let start = result.windowStart else {
            return "The logs have no times: stale means not seen in these logs (--stale-after cannot apply)"
        }
        return "Stale after \(result.staleAfter) days without use, as of \(Self.day(asOf))"
            + " (\(analysis.evidence.lastSeen.map(OriginStats.day) == asOf ? "the last day in the logs" : "--as-of")): "
            + "in use means used on \(Self.day(start)) or later"
            + (analysis.evidence.firstSeen.map(OriginStats.day).map { $0 > start
                ? "; the logs start on \(Self.day($0)), so what they do not show may have been used before" : "" } ?? "")
    }

    var failOnLine: String {
        "Fail on: " + ReportText.names(Finding.Kind.allCases.filter(result.failOn.contains).map(\.rawValue))
    }

    var caveats: [String] {
        var out: [String] = []
        if !analysis.input.errors.isEmpty && result.findings.contains(where: { $0.kind == .stale }) {
            out.append("Some input could not be read whole: a stale finding may come from the part that is missing.")
        }
        if result.originCapReached {
            out.append("The origin table was full (--max-origins): origins outside the policy with few requests were dropped.")
        }
        if result.requestHeadersNotLogged > 0 {
            out.append("Headers not checked: the log format does not record Access-Control-Request-Headers "
                + "(\(ReportText.count(result.requestHeadersNotLogged)) preflights), so no header of the policy can be told unused.")
        }
        if let other = ReportText.otherMethodsLine(inference) { out.append("Methods no policy can allow: " + other + ".") }
        if let tail = ReportText.longTailLine(result.longTail, crossOriginRequests: inference.breakage.crossOriginRequests,
                                              refusedBy: "The policy") {
            out.append(tail)
        }
        if inference.clientsLookProxied {
            out.append("Clients: the \(ReportText.count(inference.breakage.crossOriginRequests, "cross-origin request")) came from "
                + "\(ReportText.count(inference.clientAddresses, "client address")) in all: the log's client field likely holds a "
                + "proxy's or load balancer's address, so \"from 1 client\" above says nothing of scripts, and names few clients "
                + "ask for cannot be told from forged ones. " + ReportText.logTheBrowsersAddresses + ".")
        }
        return out
    }

    static func day(_ d: Int32) -> String { Timestamp.day(Int64(d) * 86_400) }

    var text: String {
        let a = analysis
        var out: [String] = []
        out.append("corslog \(CorsLogVersion.current) check: policy \(policyPath); \(ReportText.siteLine(inference))")
        out.append("")
        out.append("Input: \(ReportText.count(a.input.files.count, "file")), "
            + "\(ReportText.count(a.input.lines, "line")): \(ReportText.count(a.input.parsed)) parsed, "
            + "\(ReportText.count(a.input.skipped)) skipped, \(ReportText.count(a.input.blank)) blank; \(ReportText.formatLine(a))")
        if let left = ReportText.notReadLine(a.input) { out.append(left) }
        if let changed = ReportText.formatChangeLine(a) { out.append(changed) }
        if let newer = ReportText.newerFormatLine(a.input) { out.append(newer) }
        if let formats = ReportText.fileFormatsLine(a.input) { out.append(formats) }
        if let after = ReportText.originsAfterFormatLine(a) { out.append(after) }
        if let period = ReportText.period(a.evidence) { out.append("Period: \(period)") }
        if let state = ReportText.stateLine(a) { out.append("\(state)") }
        out.append(windowLine)
        out.append(failOnLine)
        out.append("")
        out.append(verdict)
        for kind in Finding.Kind.allCases {
            let list = result.findings(of: kind)
            guard !list.isEmpty else { continue }
            out.append("")
            out.append("\(Self.title(kind)) [\(result.failOn.contains(kind) ? "counts" : "informational")]:")
            out.append(ReportText.table(list.map { ["  " + Self.label($0), Self.line($0)] }))
        }
        let notes = caveats
        if !notes.isEmpty {
            out.append("")
            out += notes
        }
        let errors = a.input.errors
        if !errors.isEmpty {
            out.append("")
            out.append("Input errors (the rest of the input was read; the report is complete for it):")
            for err in errors { out.append("  \(err.description)") }
        }
        return out.joined(separator: "\n") + "\n"
    }

    var markdown: String {
        let a = analysis
        let cell = MarkdownReport.cell
        var out: [String] = []
        out.append("# corslog check")
        out.append("")
        out.append("- Policy: `\(cell(policyPath))`")
        out.append("- \(ReportText.siteLine(inference).prefix(1).uppercased() + ReportText.siteLine(inference).dropFirst())")
        out.append("- Input: \(ReportText.count(a.input.files.count, "file")), \(ReportText.count(a.input.lines, "line")), "
            + "\(ReportText.count(a.input.parsed)) parsed, \(ReportText.count(a.input.skipped)) skipped; \(ReportText.formatLine(a))")
        if let period = ReportText.period(a.evidence) { out.append("- Period: \(period)") }
        if let state = ReportText.stateLine(a) { out.append("- \(state)") }
        out.append("- \(windowLine)")
        out.append("- \(failOnLine)")
        for err in a.input.errors { out.append("- **Input error:** \(cell(err.description))") }
        for note in caveats { out.append("- \(note)") }
        out.append("")
        out.append(result.policyShouldChange ? "**\(verdict)**" : verdict)
        for kind in Finding.Kind.allCases {
            let list = result.findings(of: kind)
            guard !list.isEmpty else { continue }
            out.append("")
            out.append("## \(Self.title(kind)) (\(result.failOn.contains(kind) ? "counts" : "informational"))")
            out.append("")
            out.append("| Subject | Finding |")
            out.append("|---|---|")
            for f in list {
                let subject = f.subject.isOriginLike ? "`\(f.subject.name)`" : "\(f.subject.type) `\(f.subject.name)`"
                out.append("| \(subject) | \(cell(Self.line(f))) |")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}

extension Finding.Subject {
    var isPattern: Bool { if case .pattern = self { true } else { false } }
    var isOriginLike: Bool { if case .origin = self { true } else { false } }
}

/// `corslog check --output json`: keys sorted, findings in `DriftCheck`'s order
/// (kind, then subject), so two reports diff cleanly. Fields in the README.
package struct CheckJSONReport: Codable, Sendable {
    struct PolicyEntry: Codable, Sendable {
        var path: String
        var rules: [String]
        var origins: [String]
        var patterns: [String]
    }
    struct File: Codable, Sendable {
        var path: String
        var lines: Int
        var parsed: Int
        var skipped: Int
        var error: String?
    }
    struct Input: Codable, Sendable {
        var files: [File]
        var lines: Int
        var parsed: Int
        var skipped: Int
        var complete: Bool
        var firstSeen: String?
        var lastSeen: String?
        /// Only for an incremental run (`--state`).
        var state: JSONReport.StateEntry?
    }
    struct Window: Codable, Sendable {
        var hasTime: Bool
        var staleAfter: Int
        var asOf: String?
        var since: String?
    }
    struct FindingEntry: Codable, Sendable {
        var kind: String
        var type: String
        var subject: String
        var code: String
        var detail: String
        var counts: Bool
        var rules: [String]
        var origins: [String]
        var requests: Int?
        var preflights: Int?
        var errors: Int?
        var errorRate: Double?
        var statuses: [String: Int]?
        var clients: Int?
        var days: Int?
        var lastSeen: String?
    }

    var corslogVersion: String
    var policy: PolicyEntry
    var site: JSONReport.Site
    var input: Input
    var window: Window
    var failOn: [String]
    var policyShouldChange: Bool
    var exitStatus: Int32
    var byKind: [String: Int]
    var findings: [FindingEntry]
    var originCapReached: Bool
    /// Preflights logged without Access-Control-Request-Headers: the headers were not checked (0: they were).
    var headersNotLogged: Int
    /// Every cross-origin request came from fewer addresses than --min-clients (`traffic.clients_look_proxied`
    /// of analyze's report): the client counts of the findings are a proxy's.
    var clientsLookProxied: Bool
    /// Origins no rule allows, many, each from few clients or on few days (`LongTail`); absent otherwise.
    var longTail: JSONReport.LongTailEntry?

    package init(_ r: CheckReport) {
        let a = r.analysis, res = r.result
        corslogVersion = CorsLogVersion.current
        let rules = r.policy.namedRules
        policy = PolicyEntry(path: r.policyPath, rules: rules.map(\.name),
                             origins: Set(rules.flatMap(\.rule.origins)).sorted().map(\.serialized),
                             patterns: Set(rules.flatMap(\.rule.patterns).map(\.description)).sorted())
        site = JSONReport.Site(origins: r.inference.sites.map(\.serialized), source: r.inference.siteSource.rawValue)
        input = Input(files: a.input.files.map {
                          File(path: $0.path, lines: $0.lines, parsed: $0.parsed, skipped: $0.skipped, error: $0.error?.description)
                      },
                      lines: a.input.lines, parsed: a.input.parsed, skipped: a.input.skipped,
                      complete: a.input.errors.isEmpty,
                      firstSeen: a.evidence.firstSeen.map(Timestamp.iso8601), lastSeen: a.evidence.lastSeen.map(Timestamp.iso8601),
                      state: a.incremental.map(JSONReport.StateEntry.init))
        window = Window(hasTime: res.hasTime, staleAfter: res.staleAfter, asOf: res.asOf.map(CheckReport.day),
                        since: res.windowStart.map(CheckReport.day))
        failOn = Finding.Kind.allCases.filter(res.failOn.contains).map(\.rawValue)
        policyShouldChange = res.policyShouldChange
        exitStatus = r.status.rawValue
        byKind = Dictionary(uniqueKeysWithValues: Finding.Kind.allCases.map { k in (k.rawValue, res.findings(of: k).count) })
        findings = res.findings.map { f in
            FindingEntry(kind: f.kind.rawValue, type: f.subject.type, subject: f.subject.name, code: f.code, detail: f.detail,
                         counts: f.counts, rules: f.rules, origins: f.origins.map(\.serialized), requests: f.requests,
                         preflights: f.preflights, errors: f.errors, errorRate: f.errorRate, statuses: f.statuses,
                         clients: f.clients, days: f.days, lastSeen: f.lastSeen.map(CheckReport.day))
        }
        originCapReached = res.originCapReached
        headersNotLogged = res.requestHeadersNotLogged
        clientsLookProxied = r.inference.clientsLookProxied
        longTail = res.longTail.map(JSONReport.LongTailEntry.init)
    }

    /// Pretty-printed, sorted keys, snake_case names (as the analyze report).
    package func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = try! encoder.encode(self)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
