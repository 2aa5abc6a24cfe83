/// What the server does today, read from the `Access-Control-Allow-Origin` and
/// `-Credentials` its responses carried (as logged), and the known CORS
/// misconfigurations that shows. Built from the evidence and the inference's
/// verdicts, which tell the origins no legitimate page uses.
///
/// Every finding names the requests (log lines) that show it, how many origins
/// they came from, and one example: a validated origin's serialisation, or an
/// invalid Origin value as printable text (`TopValues.displayText`).
package struct PolicyAudit: Sendable, Equatable {
    package enum Severity: String, Sendable, CaseIterable, Comparable {
        case critical, high, medium, info

        /// Most severe first.
        package static func < (a: Severity, b: Severity) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    package enum Code: String, Sendable, CaseIterable {
        /// `*`: any page may read the responses (without credentials). What the proposal replaces.
        case wildcard
        /// The request's Origin echoed to origins the inference does not allow, including
        /// invalid values, with no sign of a list being checked: blind reflection.
        case reflectsAnyOrigin = "reflects-any-origin"
        /// `null` allowed (ACAO `null` to `Origin: null`): any sandboxed iframe passes.
        case nullAllowed = "null-allowed"
        /// An http origin echoed while the site is https.
        case insecureOriginTrusted = "insecure-origin-trusted"
        /// `*` with `Access-Control-Allow-Credentials: true`: browsers refuse these responses.
        case wildcardWithCredentials = "wildcard-with-credentials"
        /// The Origin echoed with credentials to origins the inference denies (or, under
        /// blind reflection, to any origin it does not allow): any page can read a user's data.
        case credentialsWithReflection = "credentials-with-reflection"
        /// A lookalike of a first-party name echoed by a server that checks a list: a
        /// suffix, prefix or unescaped-dot mistake in its pattern.
        case lookalikeAllowed = "lookalike-allowed"
        /// A server that checks a list echoes origins the proposal leaves out (its list is wider).
        case echoesUnproposedOrigins = "echoes-unproposed-origins"
    }

    package struct Finding: Sendable, Equatable {
        package var code: Code
        package var severity: Severity
        /// The log lines (responses) that show it.
        package var requests: Int
        /// Distinct origins among them: validated ones and `null`, as rows of the origins table
        /// (invalid values count in `requests` only).
        package var origins: Int
        /// A validated origin's serialisation, or an invalid value as printable text.
        package var example: String?
        /// A sentence for people.
        package var detail: String
    }

    /// Requests (invalid Origin values included) and distinct origins: the rows of the
    /// origins table, so validated origins and `null`.
    package struct Tally: Sendable, Equatable {
        package var requests = 0
        package var origins = 0
        /// `null` is one of `origins`.
        package var includesNull = false

        mutating func add(_ n: Int, origin: Bool) {
            guard n > 0 else { return }
            requests += n
            origins += 1
            if !origin { includesNull = true }
        }
    }

    /// What the server answered, over every cross-origin request.
    package struct Summary: Sendable, Equatable {
        /// Cross-origin requests whose answer the log records, of `crossOriginRequests`.
        package var answeredRequests = 0
        package var crossOriginRequests = 0
        package var wildcard = Tally()
        package var echoed = Tally()
        package var other = Tally()
        package var none = Tally()
        /// Responses with `Access-Control-Allow-Credentials: true`.
        package var credentialed = Tally()
        /// Requests with an invalid Origin value whose value was echoed back.
        package var invalidEchoed = 0
    }

    /// false: the log does not record the responses' CORS headers, and `unavailable` says why.
    package var available: Bool
    package var unavailable: String?
    package var summary: Summary
    /// Most severe first, then by code.
    package var findings: [Finding]

    /// The directive that makes a server log what the audit reads.
    package static let advice = "`corslog log-format nginx` or `corslog log-format apache` prints the log format directive that adds them"

    package static func audit(_ e: Evidence, _ inf: Inference, syntax: LogFormat.Syntax) -> PolicyAudit {
        var summary = Summary()
        summary.crossOriginRequests = e.crossOriginRequests
        summary.answeredRequests = e.answeredRequests
        // Lazy filters: the subsets are views of `inf.verdicts`, not copies of every
        // verdict (with 20,000 tracked origins, copies cost tens of MB).
        let verdicts = inf.verdicts.lazy.filter { $0.stats.requests > 0 && !$0.reasons.contains { $0.code == .sameOrigin } }
        for v in verdicts {
            let a = v.stats.allowOriginAnswers
            let isOrigin = v.origin != nil
            summary.wildcard.add(a.wildcard, origin: isOrigin)
            summary.echoed.add(a.echoed, origin: isOrigin)
            summary.other.add(a.other, origin: isOrigin)
            summary.none.add(a.none, origin: isOrigin)
            summary.credentialed.add(v.stats.credentialedResponses, origin: isOrigin)
        }
        let inv = e.invalid.answers
        summary.wildcard.requests += inv.wildcard
        summary.echoed.requests += inv.echoed
        summary.other.requests += inv.other
        summary.none.requests += inv.none
        summary.credentialed.requests += e.invalid.credentialedResponses
        summary.invalidEchoed = inv.echoed

        // A response with any CORS header proves the field is logged (also in
        // state files written before `answered_requests` was counted).
        let anyAnswer = summary.wildcard.requests + summary.echoed.requests + summary.other.requests
            + summary.credentialed.requests > 0
        guard summary.answeredRequests > 0 || anyAnswer else {
            let why: String
            switch syntax {
            case .json:
                why = "no line carries an Access-Control-Allow-Origin or -Credentials value (JSON keys "
                    + "sent_http_access_control_allow_origin, sent_http_access_control_allow_credentials): either the log "
                    + "does not record them or the server sent none; " + advice
            case .nginx, .apache:
                why = "the log format does not record the responses' Access-Control-Allow-Origin and -Credentials; " + advice
            }
            return PolicyAudit(available: false, unavailable: why, summary: summary, findings: [])
        }

        var findings: [Finding] = []
        let nonAllowed = verdicts.filter { $0.origin != nil && $0.decision != .allow }
        let echoedNonAllowed = nonAllowed.filter { $0.stats.allowOriginAnswers.echoed > 0 }
        // Refused: answered, but neither echoed nor `*`.
        let refused = nonAllowed.filter {
            let a = $0.stats.allowOriginAnswers
            return a.echoed == 0 && a.wildcard == 0 && a.none + a.other > 0
        }
        let invalidRefused = inv.echoed == 0 && inv.none + inv.other > 0
        // No list holds an invalid value; and a server echoing every origin it did not
        // answer with `*`, refusing none, checks no list either.
        let blind = inv.echoed > 0 || (!echoedNonAllowed.isEmpty && refused.isEmpty && !invalidRefused)

        // wildcard
        let wildcardOrigins = verdicts.filter { $0.stats.allowOriginAnswers.wildcard > 0 }
        if summary.wildcard.requests > 0 {
            findings.append(Finding(code: .wildcard, severity: .info, requests: summary.wildcard.requests,
                origins: wildcardOrigins.count,
                example: top(wildcardOrigins, \.wildcard) ?? e.invalid.examples.first,
                detail: "Access-Control-Allow-Origin: * lets any page read these responses (without credentials): "
                    + "what the proposed allowlist replaces"))
        }

        // wildcard-with-credentials
        let wcc = verdicts.filter { $0.stats.allowOriginAnswers.wildcardWithCredentials > 0 }
        let wccRequests = wcc.reduce(0) { $0 + $1.stats.allowOriginAnswers.wildcardWithCredentials } + inv.wildcardWithCredentials
        if wccRequests > 0 {
            findings.append(Finding(code: .wildcardWithCredentials, severity: .medium, requests: wccRequests, origins: wcc.count,
                example: top(wcc, \.wildcardWithCredentials) ?? e.invalid.examples.first,
                detail: "Access-Control-Allow-Origin: * together with Access-Control-Allow-Credentials: true: browsers refuse "
                    + "these responses to credentialed requests; a broken configuration (its author may have meant to echo the Origin)"))
        }

        // null-allowed
        let nullStats = verdicts.first { $0.origin == nil }?.stats
        if let n = nullStats, n.allowOriginAnswers.echoed > 0 {
            findings.append(Finding(code: .nullAllowed, severity: .high, requests: n.allowOriginAnswers.echoed, origins: 1,
                example: "null",
                detail: "Access-Control-Allow-Origin: null to Origin: null"
                    + (n.allowOriginAnswers.echoedWithCredentials > 0 ? " (\(ReportText.count(n.allowOriginAnswers.echoedWithCredentials)) with credentials)" : "")
                    + ": any sandboxed iframe or file: page, an attacker's too, passes the check"))
        }

        // reflects-any-origin
        if blind {
            let requests = echoedNonAllowed.reduce(0) { $0 + $1.stats.allowOriginAnswers.echoed } + inv.echoed
            let kinds = kindsText(echoedNonAllowed, invalid: inv.echoed)
            findings.append(Finding(code: .reflectsAnyOrigin, severity: .high, requests: requests, origins: echoedNonAllowed.count,
                example: e.invalid.echoExamples.first ?? topStrongest(echoedNonAllowed, \.echoed),
                detail: "the request's Origin is echoed back to origins corslog would not allow (\(kinds))"
                    + (inv.echoed > 0 ? ", invalid values included, which no allowlist contains" : ", and no origin was refused")
                    + ": the server reflects any Origin"))
        }

        // credentials-with-reflection: echo + credentials to denied origins (any non-allowed one when blind), null, invalid values.
        let credSet = (blind ? nonAllowed : nonAllowed.filter { $0.decision == .deny })
            .filter { $0.stats.allowOriginAnswers.echoedWithCredentials > 0 }
        let nullCred = nullStats?.allowOriginAnswers.echoedWithCredentials ?? 0
        let credRequests = credSet.reduce(0) { $0 + $1.stats.allowOriginAnswers.echoedWithCredentials }
            + inv.echoedWithCredentials + nullCred
        if credRequests > 0 {
            findings.append(Finding(code: .credentialsWithReflection, severity: .critical, requests: credRequests,
                origins: credSet.count + (nullCred > 0 ? 1 : 0),
                example: (inv.echoedWithCredentials > 0 ? e.invalid.echoExamples.first : nil)
                    ?? topStrongest(credSet, \.echoedWithCredentials) ?? (nullCred > 0 ? "null" : nil),
                detail: "the Origin echoed with Access-Control-Allow-Credentials: true to origins corslog "
                    + (blind ? "would not allow" : "denies") + ": a page there can read a signed-in user's responses"))
        }

        if !blind {
            // lookalike-allowed
            let lookalikes = echoedNonAllowed.filter { $0.reasons.contains { $0.code == .lookalike } }
            if !lookalikes.isEmpty {
                findings.append(Finding(code: .lookalikeAllowed, severity: .high,
                    requests: lookalikes.reduce(0) { $0 + $1.stats.allowOriginAnswers.echoed }, origins: lookalikes.count,
                    example: top(lookalikes, \.echoed),
                    detail: "the server checks a list but echoes a lookalike of a first-party name: an unanchored "
                        + "pattern, a suffix or prefix match, or an unescaped dot"))
            }
            // insecure-origin-trusted
            let insecure = echoedNonAllowed.filter { v in
                v.reasons.contains { $0.code == .insecureScheme } && !v.reasons.contains { $0.code == .lookalike }
            }
            if !insecure.isEmpty {
                findings.append(Finding(code: .insecureOriginTrusted, severity: .medium,
                    requests: insecure.reduce(0) { $0 + $1.stats.allowOriginAnswers.echoed }, origins: insecure.count,
                    example: top(insecure, \.echoed),
                    detail: "an http origin is echoed while the site is https: anyone on the network path can inject "
                        + "a script there that uses it"))
            }
            // echoes-unproposed-origins
            let rest = echoedNonAllowed.filter { v in
                !v.reasons.contains { $0.code == .lookalike || $0.code == .insecureScheme }
            }
            if !rest.isEmpty {
                findings.append(Finding(code: .echoesUnproposedOrigins, severity: .info,
                    requests: rest.reduce(0) { $0 + $1.stats.allowOriginAnswers.echoed }, origins: rest.count,
                    example: top(rest, \.echoed),
                    detail: "the server checks a list (it refused \(ReportText.count(refused.count)) origin\(refused.count == 1 ? "" : "s")"
                        + (invalidRefused ? " and the invalid values" : "") + ") that holds origins the proposal leaves out ("
                        + kindsText(rest, invalid: 0) + "): confirm each before adopting the proposal"))
            }
        }

        findings.sort { $0.severity != $1.severity ? $0.severity < $1.severity : $0.code.rawValue < $1.code.rawValue }
        return PolicyAudit(available: true, unavailable: nil, summary: summary, findings: findings)
    }

    /// "* for 4,225 requests from 9 origins; the request's Origin echoed for …": what the server answered.
    package var summaryText: String {
        let s = summary
        func part(_ t: Tally, _ what: String, invalid: Int = 0) -> String? {
            guard t.requests > 0 else { return nil }
            var text = "\(what) for \(ReportText.count(t.requests)) request\(t.requests == 1 ? "" : "s")"
            text += " from \(ReportText.count(t.origins)) origin\(t.origins == 1 ? "" : "s")"
            let notes = [t.includesNull ? "null among them" : nil,
                         invalid > 0 ? "\(ReportText.count(invalid)) with an invalid Origin value" : nil].compactMap { $0 }
            if !notes.isEmpty { text += " (" + notes.joined(separator: "; ") + ")" }
            return text
        }
        var parts = [part(s.wildcard, "*"), part(s.echoed, "the request's Origin echoed", invalid: s.invalidEchoed),
                     part(s.other, "another value"), part(s.none, "no Access-Control-Allow-Origin")].compactMap { $0 }
        if s.credentialed.requests > 0 {
            parts.append("Access-Control-Allow-Credentials: true on \(ReportText.count(s.credentialed.requests)) response\(s.credentialed.requests == 1 ? "" : "s")")
        }
        var text = parts.isEmpty ? "no cross-origin request" : parts.joined(separator: "; ")
        if s.answeredRequests > 0 && s.answeredRequests < s.crossOriginRequests {
            text += " (the answer is logged for \(ReportText.count(s.answeredRequests)) of \(ReportText.count(s.crossOriginRequests)) cross-origin requests)"
        }
        return text
    }

    /// The origin with the most answers of one kind (ties by name).
    private static func top<S: Sequence<OriginVerdict>>(_ vs: S, _ key: KeyPath<AllowOriginAnswers, Int>) -> String? {
        vs.max { a, b in
            let x = a.stats.allowOriginAnswers[keyPath: key], y = b.stats.allowOriginAnswers[keyPath: key]
            return x != y ? x < y : a.label > b.label
        }?.label
    }

    /// `top` of the denied origins, else of all: denied before reviewed, so the example is the most telling.
    private static func topStrongest<C: LazyCollectionProtocol>(_ vs: C, _ key: KeyPath<AllowOriginAnswers, Int>) -> String?
    where C.Element == OriginVerdict {
        let denied = vs.filter { $0.decision == .deny }
        return denied.isEmpty ? top(vs, key) : top(denied, key)
    }

    /// "2 lookalike, 1 insecure-scheme, 3 few-clients, invalid values": the deciding reasons of the origins.
    private static func kindsText<S: Sequence<OriginVerdict>>(_ vs: S, invalid: Int) -> String {
        var counts: [Reason.Code: Int] = [:]
        for v in vs {
            let deciding = v.reasons.first { $0.code.decision == v.decision }?.code ?? .invalid
            counts[deciding, default: 0] += 1
        }
        var parts = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.rawValue < $1.key.rawValue }
            .map { "\($0.value) \($0.key.rawValue)" }
        if invalid > 0 { parts.append("invalid values in \(ReportText.count(invalid)) request\(invalid == 1 ? "" : "s")") }
        return parts.joined(separator: ", ")
    }
}
