import Testing
@testable import CorsLogKit

/// Checks `lines` (site https://api.example.com, the default inference options) against `policy`.
private func check(_ lines: [Line], _ policy: Policy, _ configure: (inout CheckOptions) -> Void = { _ in }) -> CheckResult {
    var c = EvidenceCollector.forOriginLogs()
    c.add(lines)
    let evidence = c.finish()
    var o = InferenceOptions()
    o.sites = [origin("https://api.example.com")]
    let inference = Inferrer.infer(evidence, options: o, psl: PublicSuffixList.bundled)
    var options = CheckOptions()
    configure(&options)
    return DriftCheck.check(evidence: evidence, inference: inference, policy: policy, options: options)
}

private func rule(_ origins: [String] = [], patterns: [String] = [], methods: [HTTPMethod] = [],
                  headers: [String] = []) -> CORSRule {
    CORSRule(origins: origins.map(origin),
             patterns: patterns.map { p in
                 guard case .success(let pattern) = OriginPattern.parse(p, psl: PublicSuffixList.bundled) else { fatalError(p) }
                 return pattern
             },
             methods: methods, headers: headers.map { HeaderName($0)! })
}

private func policy(_ defaults: CORSRule, paths: [(String, CORSRule)] = []) -> Policy {
    Policy(site: [origin("https://api.example.com")], defaults: defaults,
           paths: paths.map { PathRule(prefix: PathPrefix($0.0)!, rule: $0.1) })
}

private func subjects(_ r: CheckResult, _ kind: Finding.Kind) -> [String] {
    r.findings(of: kind).map { "\($0.subject.type) \($0.subject.name)" }
}

/// Preflights for `method` (with `acrh`) from `clients` clients, each answered `status`.
private func preflights(_ o: String, clients: Int, count: Int, method: String = "PUT", acrh: String = "",
                        status: Int = 204, day: Int = 0) -> [Line] {
    (0..<count).map { i in
        Line(client: "203.0.113.\(i % clients + 1)", method: "OPTIONS", origin: o, acrm: method, acrh: acrh,
             host: "api.example.com", status: status, day: day)
    }
}

@Suite struct DriftCheckTests {
    let app = traffic("https://app.example.com", clients: 5, days: 3, count: 30)

    @Test func anOriginTheEvidenceAllowsButThePolicyDoesNotIsANewOrigin() {
        let r = check(app, policy(rule(["https://www.example.com"])))
        #expect(subjects(r, .newOrigin) == ["origin https://app.example.com"])
        let f = r.findings(of: .newOrigin)[0]
        #expect(f.counts && r.policyShouldChange)
        #expect(f.requests == 30 && f.clients == 5 && f.days == 3)
        #expect(f.detail.contains("enough-evidence"))
        #expect(check(app, policy(rule(["https://app.example.com"]))).findings(of: .newOrigin).isEmpty)
    }

    @Test func originsTheEvidenceHoldsForReviewAreNoNewOrigins() {
        let thin = traffic("https://rare.partner.example", clients: 1, days: 1, count: 3)
        #expect(check(app + thin, policy(rule(["https://app.example.com"]))).findings(of: .newOrigin).isEmpty)
    }

    @Test func patternsAndPathRulesCountAsAllowed() {
        let byPattern = check(app, policy(rule(patterns: ["https://*.example.com"])))
        #expect(byPattern.findings(of: .newOrigin).isEmpty)
        let byPath = check(app, policy(rule([]), paths: [("/admin/", rule(["https://app.example.com"]))]))
        #expect(byPath.findings(of: .newOrigin).isEmpty)
        // A pattern is one label: x.app.example.com is not under https://*.example.com.
        let deeper = check(traffic("https://x.app.example.com", clients: 5, days: 3, count: 30),
                           policy(rule(patterns: ["https://*.example.com"])))
        #expect(subjects(deeper, .newOrigin) == ["origin https://x.app.example.com"])
    }

    @Test func aPolicyOriginNeverSeenInTheLogsIsStale() {
        let r = check(app, policy(rule(["https://app.example.com", "https://old.example.com"])))
        #expect(subjects(r, .stale) == ["origin https://old.example.com"])
        #expect(r.findings(of: .stale)[0].code == "not-seen")
        #expect(r.findings(of: .stale)[0].rules == ["default"])
        #expect(r.policyShouldChange)
    }

    @Test func staleAfterCountsDaysUpToTheLastDayOfTheLogs() {
        // old.example.com on day 0 only; the logs run to day 9.
        let lines = traffic("https://app.example.com", clients: 5, days: 10, count: 30)
            + traffic("https://old.example.com", clients: 5, days: 1, count: 5)
        let p = policy(rule(["https://app.example.com", "https://old.example.com"]))
        let nine = check(lines, p) { $0.staleAfter = 9 }
        #expect(subjects(nine, .stale) == ["origin https://old.example.com"])
        #expect(nine.findings(of: .stale)[0].code == "older-than-window")
        #expect(nine.findings(of: .stale)[0].detail.contains("last used 2025-11-01, 9 days before 2025-11-10"))
        #expect(nine.asOf == Int32(LogTime.daysFromCivil(2025, 11, 10)))
        #expect(check(lines, p) { $0.staleAfter = 10 }.findings(of: .stale).isEmpty, "used on the window's first day")
        // --as-of moves the window.
        let early = check(lines, p) { $0.staleAfter = 3; $0.asOf = CheckOptions.day("2025-11-02") }
        #expect(early.findings(of: .stale).isEmpty)
        let late = check(lines, p) { $0.staleAfter = 30; $0.asOf = CheckOptions.day("2025-12-31") }
        #expect(subjects(late, .stale) == ["origin https://app.example.com", "origin https://old.example.com"])
    }

    @Test func methodsAndHeadersNoAllowedOriginUsedAreStale() {
        let lines = traffic("https://app.example.com", clients: 5, days: 3, count: 30, method: "PUT",
                            acrh: "content-type", preflight: true)
            // Another origin, not in the policy, uses PATCH and x-other: that keeps nothing of the policy alive.
            + traffic("https://www.example.com", clients: 5, days: 3, count: 30, method: "PATCH", acrh: "x-other", preflight: true)
        let r = check(lines, policy(rule(["https://app.example.com"], methods: [.put, .patch], headers: ["content-type", "x-other"])))
        #expect(subjects(r, .stale) == ["method PATCH", "header x-other"])
    }

    @Test func aMethodLastUsedBeforeTheWindowIsStaleByLastDay() {
        let lines = traffic("https://app.example.com", clients: 5, days: 10, count: 30)
            + traffic("https://app.example.com", clients: 5, days: 1, count: 5, method: "DELETE", acrh: "authorization", preflight: true)
        let p = policy(rule(["https://app.example.com"], methods: [.delete], headers: ["authorization"]))
        let r = check(lines, p) { $0.staleAfter = 5 }
        #expect(subjects(r, .stale) == ["method DELETE", "header authorization"])
        #expect(r.findings(of: .stale).allSatisfy { $0.code == "older-than-window" && $0.lastSeen == Int32(LogTime.daysFromCivil(2025, 11, 1)) })
        #expect(check(lines, p) { $0.staleAfter = 10 }.findings(of: .stale).isEmpty)
    }

    @Test func aStaleMethodOfSeveralRulesIsOneFindingNamingThem() {
        let p = policy(rule(["https://app.example.com"], methods: [.patch]),
                       paths: [("/admin/", rule(["https://app.example.com"], methods: [.patch]))])
        let r = check(app, p)
        #expect(subjects(r, .stale) == ["method PATCH"])
        #expect(r.findings(of: .stale)[0].rules == ["default", "/admin/"])
    }

    @Test func aPatternNoSeenOriginMatchesIsStale() {
        let r = check(app, policy(rule(patterns: ["https://*.example.com", "https://*.old-partner.example"])))
        #expect(subjects(r, .stale) == ["pattern https://*.old-partner.example"])
        #expect(r.findings(of: .stale)[0].detail.contains("no matching origin seen"))
    }

    @Test func logsWithoutTimesCanOnlySayNotSeen() {
        let lines = traffic("https://app.example.com", clients: 5, days: 1, count: 30, method: "PUT", preflight: true)
            .map { l -> Line in var l = l; l.hasTime = false; return l }
        let p = policy(rule(["https://app.example.com", "https://old.example.com"], methods: [.put, .delete]))
        let r = check(lines, p) { $0.staleAfter = 1 }
        #expect(!r.hasTime && r.asOf == nil)
        #expect(subjects(r, .stale) == ["origin https://old.example.com", "method DELETE"])
        #expect(r.findings(of: .stale).allSatisfy { $0.code == "not-seen" })
        #expect(r.findings(of: .stale)[0].detail.contains("no times"))
        // Even with --as-of, an item seen in timeless logs is never "too old".
        #expect(subjects(check(lines, p) { $0.staleAfter = 1; $0.asOf = CheckOptions.day("2030-01-01") }, .stale)
                == ["origin https://old.example.com", "method DELETE"])
    }

    @Test func allowedOriginsAskingForWhatThePolicyLacksAreRefusedPreflights() {
        let lines = app + preflights("https://app.example.com", clients: 4, count: 12, method: "PATCH", acrh: "x-trace-id")
        let r = check(lines, policy(rule(["https://app.example.com"])))
        #expect(subjects(r, .refusedPreflight) == ["method PATCH", "header x-trace-id"])
        let f = r.findings(of: .refusedPreflight)[0]
        #expect(f.origins == [origin("https://app.example.com")] && f.clients == 4 && f.preflights == 12 && f.counts)
        // Listed in the rule: nothing to say. Asked by an origin the policy does not allow: a new-origin matter, not this.
        #expect(check(lines, policy(rule(["https://app.example.com"], methods: [.patch], headers: ["x-trace-id"])))
                    .findings(of: .refusedPreflight).isEmpty)
        #expect(check(lines, policy(rule(["https://www.example.com"]))).findings(of: .refusedPreflight).isEmpty)
        // A path rule that lists it covers it (the log does not say which path the preflight was for).
        #expect(check(lines, policy(rule(["https://app.example.com"]),
                                    paths: [("/v2/", rule(["https://app.example.com"], methods: [.patch], headers: ["x-trace-id"]))]))
                    .findings(of: .refusedPreflight).isEmpty)
    }

    @Test func aNameOnlyOneClientAsksForIsSuspiciousNotARefusal() {
        let lines = app + preflights("https://app.example.com", clients: 1, count: 5, acrh: "x-forged-header")
        let r = check(lines, policy(rule(["https://app.example.com"], methods: [.put])))
        #expect(r.findings(of: .refusedPreflight).isEmpty)
        #expect(subjects(r, .suspicious) == ["header x-forged-header"])
        #expect(r.findings(of: .suspicious)[0].code == "few-clients")
        #expect(!r.policyShouldChange, "suspicious is informational by default")
    }

    @Test func preflightErrorsOfAllowedOriginsAreCountedWithTheirRate() {
        let lines = app + preflights("https://app.example.com", clients: 5, count: 6, method: "PUT")
            + preflights("https://app.example.com", clients: 5, count: 3, method: "PUT", status: 500)
            + preflights("https://app.example.com", clients: 5, count: 1, method: "PUT", status: 0)
            + preflights("https://www.example.com", clients: 5, count: 9, method: "PUT", status: 404)
        let r = check(lines, policy(rule(["https://app.example.com"], methods: [.put])))
        #expect(subjects(r, .preflightErrors) == ["origin https://app.example.com"], "www is not in the policy")
        let f = r.findings(of: .preflightErrors)[0]
        #expect(f.errors == 4 && f.preflights == 10 && f.errorRate == 0.4)
        #expect(f.statuses == ["500": 3, "-": 1])
        #expect(f.detail.contains("4 of 10 preflights (40.0%)"))
        #expect(r.policyShouldChange)
    }

    @Test func lookalikesAndOneClientHammeringAreSuspicious() {
        let lines = app + traffic("https://app.example.com.evil.test", clients: 1, days: 1, count: 5)
            + traffic("https://scraper.partner.example", clients: 1, days: 2, count: DriftCheck.hammerRequests)
            + traffic("https://quiet.partner.example", clients: 1, days: 2, count: DriftCheck.hammerRequests - 1)
            + traffic("http://localhost:3000", clients: 1, days: 7, count: 300)
        let r = check(lines, policy(rule(["https://app.example.com"])))
        #expect(subjects(r, .suspicious) == ["origin https://app.example.com.evil.test", "origin https://scraper.partner.example"])
        #expect(r.findings(of: .suspicious).map(\.code) == ["lookalike", "one-client"])
        #expect(!r.policyShouldChange)
        #expect(check(lines, policy(rule(["https://app.example.com"]))) { $0.failOn = [.suspicious] }.policyShouldChange)
    }

    @Test func failOnSelectsTheKindsThatCount() {
        let lines = app + traffic("https://app.example.com.evil.test", clients: 1, days: 1, count: 5)
        let p = policy(rule(["https://old.example.com"]))
        let all = check(lines, p)
        #expect(all.findings.map(\.kind) == [.newOrigin, .stale, .suspicious], "sorted by kind")
        #expect(all.findings.map(\.counts) == [true, true, false])
        let none = check(lines, p) { $0.failOn = [] }
        #expect(!none.policyShouldChange && none.findings.count == 3, "none still reports, it only stops counting")
        #expect(!check(lines, p) { $0.failOn = [.preflightErrors] }.policyShouldChange)
        #expect(check(lines, p) { $0.failOn = [.stale] }.findings.filter(\.counts).map(\.kind) == [.stale])
    }

    @Test func failOnParsesACommaListOrNone() throws {
        #expect(try CheckOptions.failOn("none").get() == [])
        #expect(try CheckOptions.failOn("stale, new-origin").get() == [.stale, .newOrigin])
        #expect(try CheckOptions.failOn("suspicious").get() == [.suspicious])
        for bad in ["bogus", "none,stale", "", "stale,"] {
            guard case .failure(let e) = CheckOptions.failOn(bad) else { Issue.record("\(bad) accepted"); continue }
            #expect(e.status == .usage)
        }
        #expect(CheckOptions().failOn == [.newOrigin, .stale, .refusedPreflight, .preflightErrors])
        #expect(CheckOptions.day("2025-11-07") == Int32(LogTime.daysFromCivil(2025, 11, 7)))
        #expect(CheckOptions.day("2025-13-01") == nil && CheckOptions.day("yesterday") == nil)
    }

    @Test func aPolicyThatMatchesTheTrafficHasNothingToSay() {
        let lines = traffic("https://app.example.com", clients: 5, days: 3, count: 30, method: "PUT", acrh: "content-type", preflight: true)
        let r = check(lines, policy(rule(["https://app.example.com"], methods: [.put], headers: ["content-type"])))
        #expect(r.findings.isEmpty && !r.policyShouldChange)
    }
}
