import Foundation

/// `corslog check`: the traffic compared with the adopted policy.
///
/// A pure function of the evidence, the inference made from it (the same
/// `--min-clients` etc. as `analyze`), the loaded policy and `CheckOptions`.
/// It takes evidence, not files, so that evidence merged from earlier runs
/// can be checked the same way.
package enum DriftCheck {
    /// One client sending at least this many requests for an origin is suspicious
    /// (informational): a script or a scanner, not a page many people use.
    package static let hammerRequests = 100
    /// ...when the origin has at most this many distinct clients.
    package static let hammerClients = 1

    package static func check(evidence: Evidence, inference: Inference, policy: Policy,
                              options: CheckOptions) -> CheckResult {
        let hasTime = evidence.lastSeen != nil
        let asOf: Int32? = options.asOf ?? evidence.lastSeen.map(OriginStats.day)
        // The window: the `staleAfter` days up to and including the as-of day.
        let windowStart: Int32? = asOf.map { $0 - Int32(clamping: options.staleAfter) + 1 }
        let rules = policy.namedRules
        var findings: [Finding] = []

        func allowingRules(_ o: Origin) -> [NamedRule] { rules.filter { $0.rule.allows(o) } }
        let logSpan = ReportText.period(evidence).map { " (\($0))" } ?? ""

        // (a) New origins: the evidence allows them, no rule or pattern does.
        for v in inference.verdicts where v.decision == .allow {
            guard let o = v.origin, allowingRules(o).isEmpty else { continue }
            let s = v.stats
            var f = Finding(kind: .newOrigin, subject: .origin(o), code: "not-in-policy",
                            detail: ReportText.count(s.requests, "request") + (s.lastSeen.map { ", last seen \(Timestamp.day($0))" } ?? "")
                                + "; " + ReportText.headline(v) + "; the policy does not allow it, so browsers refuse its pages")
            f.requests = s.requests
            f.preflights = s.preflights
            f.clients = s.clients.count
            f.days = s.days.count
            f.lastSeen = s.lastSeen.map(OriginStats.day)
            findings.append(f)
        }

        // (b) Stale origins and patterns.
        func staleness(lastDay: Int32?, used: Bool) -> (stale: Bool, code: String, detail: String) {
            guard used else {
                return (true, "not-seen", "not seen in these logs\(logSpan)"
                    + (hasTime ? "" : "; they have no times, so --stale-after cannot apply"))
            }
            guard let lastDay, let windowStart, let asOf else { return (false, "", "") }
            if lastDay >= windowStart { return (false, "", "") }
            return (true, "older-than-window", "last used \(Timestamp.day(Int64(lastDay) * 86_400)), "
                + "\(asOf - lastDay) days before \(Timestamp.day(Int64(asOf) * 86_400)) (--stale-after \(options.staleAfter))")
        }
        var exact: [Origin: [String]] = [:]
        var patterns: [OriginPattern: [String]] = [:]
        for r in rules {
            for o in r.rule.origins { exact[o, default: []].append(r.name) }
            for p in r.rule.patterns { patterns[p, default: []].append(r.name) }
        }
        for (o, ruleNames) in exact {
            let s = evidence.origins[o]
            let used = (s?.requests ?? 0) > 0
            let st = staleness(lastDay: s?.lastSeen.map(OriginStats.day), used: used)
            guard st.stale else { continue }
            var f = Finding(kind: .stale, subject: .origin(o), code: st.code, detail: st.detail)
            f.rules = ruleNames
            f.requests = s?.requests ?? 0
            f.lastSeen = s?.lastSeen.map(OriginStats.day)
            findings.append(f)
        }
        for (p, ruleNames) in patterns {
            let matching = evidence.origins.filter { p.matches($0.key) && $0.value.requests > 0 }
            let last = matching.values.compactMap(\.lastSeen).max().map(OriginStats.day)
            let st = staleness(lastDay: last, used: !matching.isEmpty)
            guard st.stale else { continue }
            var f = Finding(kind: .stale, subject: .pattern(p), code: st.code,
                            detail: st.detail.replacingFirst("not seen", with: "no matching origin seen"))
            f.rules = ruleNames
            f.origins = matching.keys.sorted()
            f.requests = matching.values.reduce(0) { $0 + $1.requests }
            f.lastSeen = last
            findings.append(f)
        }

        // (b) Stale methods and headers: per rule, by the origins that rule allows.
        var staleNames: [Finding.Subject: (rules: [String], last: Int32?, code: String, detail: String)] = [:]
        for r in rules {
            let stats = evidence.origins.filter { r.rule.allows($0.key) }.map(\.value)
            for m in r.rule.methods {
                let used = stats.contains { ($0.methods[m] ?? 0) + ($0.requestedMethods[m] ?? 0) > 0 }
                let last = stats.compactMap { $0.lastDay(of: m) }.max()
                let st = staleness(lastDay: last, used: used)
                guard st.stale else { continue }
                let detail = st.code == "not-seen"
                    ? st.detail.replacingFirst("not seen", with: "no origin the rule allows used it")
                    : st.detail
                staleNames[.method(m), default: ([], nil, st.code, detail)].rules.append(r.name)
                if let last, staleNames[.method(m)]!.last.map({ last > $0 }) ?? true { staleNames[.method(m)]!.last = last }
            }
            // Headers no log shows are not unused: a format without Access-Control-Request-Headers
            // (`combined`) makes every policy header look stale, and removing them breaks preflights.
            for h in r.rule.headers where evidence.preflightsWithoutRequestHeaders == 0 {
                let used = stats.contains { ($0.requestedHeaders[h] ?? 0) > 0 }
                let last = stats.compactMap { $0.lastDay(of: h) }.max()
                let st = staleness(lastDay: last, used: used)
                guard st.stale else { continue }
                let detail = st.code == "not-seen"
                    ? st.detail.replacingFirst("not seen", with: "no preflight of an origin the rule allows asked for it")
                    : st.detail
                staleNames[.header(h), default: ([], nil, st.code, detail)].rules.append(r.name)
                if let last, staleNames[.header(h)]!.last.map({ last > $0 }) ?? true { staleNames[.header(h)]!.last = last }
            }
        }
        for (subject, v) in staleNames {
            var f = Finding(kind: .stale, subject: subject, code: v.code, detail: v.detail)
            f.rules = v.rules
            f.lastSeen = v.last
            findings.append(f)
        }

        // Refused preflights: allowed origins asking for what none of their rules lists.
        var asked: [Finding.Subject: (origins: [Origin], preflights: Int, requests: Int, clients: SmallDistinct)] = [:]
        for (o, s) in evidence.origins {
            let allowing = allowingRules(o)
            guard !allowing.isEmpty else { continue }
            for (m, clients) in s.methodClients where !m.isSafelisted && !m.isForbidden {
                guard !allowing.contains(where: { $0.rule.methods.contains(m) }) else { continue }
                asked[.method(m), default: ([], 0, 0, SmallDistinct())].origins.append(o)
                asked[.method(m)]!.preflights += s.requestedMethods[m] ?? 0
                asked[.method(m)]!.requests += s.methods[m] ?? 0
                asked[.method(m)]!.clients.merge(clients)
            }
            for (h, clients) in s.headerClients {
                guard !allowing.contains(where: { $0.rule.headers.contains(h) }) else { continue }
                asked[.header(h), default: ([], 0, 0, SmallDistinct())].origins.append(o)
                asked[.header(h)]!.preflights += s.requestedHeaders[h] ?? 0
                asked[.header(h)]!.clients.merge(clients)
            }
        }
        let needed = min(options.minClients, SmallDistinct.limit)
        for (subject, a) in asked {
            let clients = a.clients.count
            let counted = "\(ReportText.count(a.preflights)) preflight\(a.preflights == 1 ? "" : "s")"
                + (subject.isMethod ? " and \(ReportText.count(a.requests)) request\(a.requests == 1 ? "" : "s")" : "")
            let base = counted + " from \(clients) client\(clients == 1 ? "" : "s") "
                + "of allowed origins; the policy does not list it, so browsers refuse them"
            var f: Finding
            if clients >= needed {
                f = Finding(kind: .refusedPreflight, subject: subject, code: "not-in-policy", detail: base)
            } else {
                f = Finding(kind: .suspicious, subject: subject, code: "few-clients",
                            detail: base + "; fewer than --min-clients \(options.minClients) clients: forged preflights, or a page few people use")
            }
            f.origins = a.origins.sorted()
            f.preflights = a.preflights
            if subject.isMethod { f.requests = a.requests }
            f.clients = clients
            findings.append(f)
        }

        // (c) Preflight errors: preflights from allowed origins that got no ok (2xx) answer.
        for (o, s) in evidence.origins where !allowingRules(o).isEmpty && s.preflights > 0 {
            let failed = s.preflightStatuses.filter { !(200...299).contains($0.key) }
            let errors = failed.values.reduce(0, +)
            guard errors > 0 else { continue }
            let rate = Double(errors) / Double(s.preflights)
            let by = failed.sorted { $0.key < $1.key }.map { "\($0.key < 0 ? "none" : String($0.key)) \(ReportText.count($0.value))" }
            var f = Finding(kind: .preflightErrors, subject: .origin(o), code: "error-status",
                            detail: "\(ReportText.count(errors)) of \(ReportText.count(s.preflights)) preflights "
                                + "(\(ReportText.percent(rate))) answered without a 2xx status: \(by.joined(separator: ", "))")
            f.preflights = s.preflights
            f.errors = errors
            f.errorRate = (rate * 10_000).rounded() / 10_000
            f.statuses = Dictionary(uniqueKeysWithValues: failed.map { ($0.key < 0 ? "-" : String($0.key), $0.value) })
            f.lastSeen = s.lastSeen.map(OriginStats.day)
            findings.append(f)
        }

        // (d) Suspicious: lookalikes and one client hammering.
        for v in inference.verdicts {
            guard let o = v.origin, v.stats.requests > 0 else { continue }
            let s = v.stats
            var f: Finding
            if let r = v.reasons.first(where: { $0.code == .lookalike }) {
                f = Finding(kind: .suspicious, subject: .origin(o), code: "lookalike",
                            detail: "\(ReportText.count(s.requests, "request")) from \(ReportText.count(s.clients.count, "client")); lookalike: \(r.detail)" + (allowingRules(o).isEmpty ? "" : "; the policy allows it: remove it"))
            } else if s.clients.count <= hammerClients && s.requests >= hammerRequests
                        && !v.reasons.contains(where: { $0.code == .developmentOrigin }) {
                f = Finding(kind: .suspicious, subject: .origin(o), code: "one-client",
                            detail: "\(ReportText.count(s.requests, "request")) from \(s.clients.count) client: a script or scanner sending this Origin, not pages people use")
            } else {
                continue
            }
            f.requests = s.requests
            f.preflights = s.preflights
            f.clients = s.clients.count
            f.days = s.days.count
            f.lastSeen = s.lastSeen.map(OriginStats.day)
            findings.append(f)
        }

        for i in findings.indices { findings[i].counts = options.failOn.contains(findings[i].kind) }
        findings.sort()
        // The origins no rule allows that make a long tail (`LongTail`): the policy refuses them.
        let refused = inference.verdicts.filter { v in v.origin.map { !policy.allowsAnywhere($0) } ?? false }
        return CheckResult(findings: findings, hasTime: hasTime, asOf: asOf, windowStart: windowStart,
                           staleAfter: options.staleAfter, failOn: options.failOn,
                           originCapReached: evidence.originCap.reached,
                           requestHeadersNotLogged: evidence.preflightsWithoutRequestHeaders,
                           longTail: LongTail(refused, crossOriginRequests: inference.breakage.crossOriginRequests))
    }
}

/// What `check` looks for, and what makes it ask for a policy change.
package struct CheckOptions: Sendable, Equatable {
    /// An item of the policy unused for this many days (up to and including `asOf`) is stale.
    package var staleAfter = 30
    /// The day staleness is measured from (days since 1970-01-01); nil: the last day in the logs.
    package var asOf: Int32? = nil
    /// The kinds that mean "the policy should change" (exit code 1).
    package var failOn: Set<Finding.Kind> = Finding.Kind.defaultFailOn
    /// Distinct clients a method or header needs before its refusal counts (as `--min-clients`).
    package var minClients = 3

    package init() {}

    /// Parses `--fail-on`: a comma list of kinds, or `none`.
    package static func failOn(_ text: String) -> Result<Set<Finding.Kind>, CorsLogError> {
        let names = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmed }
        if names == ["none"] { return .success([]) }
        var out: Set<Finding.Kind> = []
        for name in names {
            guard let kind = Finding.Kind(rawValue: name) else {
                return .failure(CorsLogError(.usage, "--fail-on \(text): unknown kind \"\(name)\"; expected a comma list of "
                    + Finding.Kind.allCases.map(\.rawValue).joined(separator: ", ") + ", or none alone"))
            }
            out.insert(kind)
        }
        return .success(out)
    }

    /// Parses `--as-of YYYY-MM-DD` to a day number.
    package static func day(_ text: String) -> Int32? { DayText.parse(text) }
}

/// One thing `check` found.
package struct Finding: Sendable, Equatable, Comparable {
    package enum Kind: String, Sendable, CaseIterable, Comparable {
        /// An origin the evidence allows that the policy does not: a legitimate caller being refused.
        case newOrigin = "new-origin"
        /// An origin, pattern, method or header of the policy that no traffic used in the window.
        case stale
        /// Allowed origins asking (from at least --min-clients clients) for a method or header the policy does not list.
        case refusedPreflight = "refused-preflight"
        /// Preflights from allowed origins that the server answered without a 2xx status.
        case preflightErrors = "preflight-errors"
        /// Lookalikes, one client hammering, methods or headers only one or two clients ask for. Informational by default.
        case suspicious

        package static let defaultFailOn: Set<Kind> = [.newOrigin, .stale, .refusedPreflight, .preflightErrors]

        package static func < (a: Kind, b: Kind) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// What the finding is about: validated types only.
    package enum Subject: Sendable, Hashable, Comparable {
        case origin(Origin)
        case pattern(OriginPattern)
        case method(HTTPMethod)
        case header(HeaderName)

        package var type: String {
            switch self {
            case .origin: "origin"
            case .pattern: "pattern"
            case .method: "method"
            case .header: "header"
            }
        }
        package var name: String {
            switch self {
            case .origin(let o): o.serialized
            case .pattern(let p): p.description
            case .method(let m): m.rawValue
            case .header(let h): h.name
            }
        }
        var isMethod: Bool { if case .method = self { true } else { false } }
        var order: Int {
            switch self {
            case .origin: 0
            case .pattern: 1
            case .method: 2
            case .header: 3
            }
        }
        package static func < (a: Subject, b: Subject) -> Bool {
            a.order != b.order ? a.order < b.order : a.name < b.name
        }
    }

    package var kind: Kind
    package var subject: Subject
    /// A stable code within the kind: `not-in-policy`, `not-seen`, `older-than-window`,
    /// `error-status`, `lookalike`, `one-client`, `few-clients`.
    package var code: String
    /// A sentence for people, built from validated values and numbers only.
    package var detail: String
    /// Whether its kind is one `--fail-on` counts.
    package var counts = false
    /// The policy rules concerned (`default`, or a path prefix), for stale findings.
    package var rules: [String] = []
    /// Related origins (a pattern's matches, the origins asking for a method or header).
    package var origins: [Origin] = []
    package var requests: Int? = nil
    package var preflights: Int? = nil
    package var errors: Int? = nil
    /// errors / preflights, rounded to 4 places.
    package var errorRate: Double? = nil
    /// Preflight statuses that were not 2xx (`-`: none logged).
    package var statuses: [String: Int]? = nil
    package var clients: Int? = nil
    package var days: Int? = nil
    /// The last UTC day it was used (days since 1970-01-01).
    package var lastSeen: Int32? = nil

    package init(kind: Kind, subject: Subject, code: String, detail: String) {
        self.kind = kind
        self.subject = subject
        self.code = code
        self.detail = detail
    }

    package static func < (a: Finding, b: Finding) -> Bool {
        if a.kind != b.kind { return a.kind < b.kind }
        if a.subject != b.subject { return a.subject < b.subject }
        return a.code < b.code
    }
}

/// The findings of one check, sorted by kind, then subject.
package struct CheckResult: Sendable, Equatable {
    package var findings: [Finding]
    /// Whether the logs had times (without, staleness is only "not seen in these logs").
    package var hasTime: Bool
    package var asOf: Int32?
    package var windowStart: Int32?
    package var staleAfter: Int
    package var failOn: Set<Finding.Kind>
    /// The origin table overflowed: rarely seen policy origins may have been dropped, and look stale.
    package var originCapReached: Bool
    /// Preflights logged without Access-Control-Request-Headers (`Evidence`): the policy's
    /// headers were not checked for staleness.
    package var requestHeadersNotLogged = 0
    /// Origins no rule allows, many of them, each seen from few clients or on few days
    /// (`LongTail`): nil when there is no such tail.
    package var longTail: LongTail? = nil

    /// Some finding is of a kind `--fail-on` counts: the policy should change.
    package var policyShouldChange: Bool { findings.contains { $0.counts } }

    package func findings(of kind: Finding.Kind) -> [Finding] { findings.filter { $0.kind == kind } }
}

/// A rule of the policy with the name reports give it: `default`, or its path prefix.
package struct NamedRule: Sendable {
    package var name: String
    package var rule: CORSRule
}

extension Policy {
    /// The default rule first, then the path rules, longest prefix first.
    package var namedRules: [NamedRule] {
        [NamedRule(name: "default", rule: defaults)] + paths.map { NamedRule(name: $0.prefix.value, rule: $0.rule) }
    }

    /// Whether any rule or pattern allows `origin`.
    package func allowsAnywhere(_ origin: Origin) -> Bool {
        defaults.allows(origin) || paths.contains { $0.rule.allows(origin) }
    }
}

private extension String {
    func replacingFirst(_ a: String, with b: String) -> String {
        guard let r = range(of: a) else { return self }
        return replacingCharacters(in: r, with: b)
    }
}

private extension Substring {
    var trimmed: String {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
