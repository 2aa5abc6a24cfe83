import Testing
@testable import CorsLogKit

/// The replay of logged lines: what is replayed, how, and what the table keeps.
@Suite struct VerifierTests {
    let policy = Policy(site: [origin("https://api.example.com")], defaults: CORSRule(
        origins: [origin("https://app.example.com")], methods: [.delete, .put],
        headers: [HeaderName("authorization")!, HeaderName("content-type")!], maxAge: 600))

    func run(_ lines: [Line], policy: Policy? = nil, options: VerifyOptions = VerifyOptions()) -> VerifyResult {
        var o = options
        if o.sites.isEmpty { o.sites = (policy ?? self.policy).site }
        let v = Verifier(policy: policy ?? self.policy, options: o)
        for l in lines { l.withFields { v.add($0) } }
        return v.finish()
    }

    func entry(_ r: VerifyResult, _ origin: String, _ kind: ReplayKind, _ method: String, _ path: String) -> VerifyEntry? {
        r.entries.first { $0.origin.serialized == origin && $0.kind == kind && $0.method == method && $0.path == path }
    }

    @Test func allowedRequestsAndPreflightsPass() throws {
        let r = run([
            Line(uri: "/v1/orders?page=2", origin: "https://app.example.com"),
            Line(method: "OPTIONS", uri: "/v1/orders/12", origin: "https://app.example.com", acrm: "PUT", acrh: "authorization,content-type"),
            Line(method: "PUT", uri: "/v1/orders/12", origin: "https://app.example.com"),
        ])
        #expect(r.replayed == 3)
        #expect(r.failing == 0 && r.wouldFail == 0)
        #expect(try #require(entry(r, "https://app.example.com", .preflight, "PUT", "/v1/orders/{id}")).requests == 1)
        #expect(try #require(entry(r, "https://app.example.com", .request, "GET", "/v1/orders")).requests == 1)
    }

    @Test func refusedOriginsMissingMethodsAndHeadersFailWithTheirReason() throws {
        let r = run([
            Line(uri: "/v1/orders", origin: "https://evil.test"),
            Line(method: "OPTIONS", uri: "/v1/orders", origin: "https://app.example.com", acrm: "PATCH"),
            Line(method: "PATCH", uri: "/v1/orders", origin: "https://app.example.com"),
            Line(method: "OPTIONS", uri: "/v1/orders", origin: "https://app.example.com", acrm: "GET", acrh: "x-forged"),
            Line(method: "OPTIONS", uri: "/v1/orders", origin: "https://app.example.com", acrm: "delete"),
        ])
        #expect(r.failing == 5)
        #expect(r.byReason == ["no-allow-origin": 1, "method-not-allowed": 3, "header-not-allowed": 1])
        let patch = try #require(entry(r, "https://app.example.com", .request, "PATCH", "/v1/orders"))
        #expect(patch.reasons == [VerifyReason(code: "method-not-allowed", detail: "PATCH"): 1], "the preflight a browser sends first fails")
        let header = try #require(entry(r, "https://app.example.com", .preflight, "GET", "/v1/orders"))
        #expect(header.reasons == [VerifyReason(code: "header-not-allowed", detail: "x-forged"): 1])
        #expect(entry(r, "https://app.example.com", .preflight, "delete", "/v1/orders")?.failing == 1, "delete is not DELETE")
    }

    @Test func nullInvalidSameOriginAndNoOriginAreCountedApart() {
        let r = run([
            Line(origin: "null"), Line(origin: "null"),
            Line(origin: "https://evil.test\"><script>"), Line(origin: "https://app.example.com/"),
            Line(origin: "https://api.example.com"),
            Line(origin: ""),
        ])
        #expect(r.nullOrigin == 2)
        #expect(r.wouldFail == 2)
        #expect(r.byReason["null-origin"] == 2)
        #expect(r.invalidOrigin == 2)
        #expect(r.sameOrigin == 1)
        #expect(r.withoutOrigin == 1)
        #expect(r.replayed == 0)
        #expect(r.entries.isEmpty, "only validated origins make rows")
    }

    @Test func withoutSitesTheLoggedHostIsSameOrigin() {
        let noSite = Policy(defaults: policy.defaults)
        let r = run([Line(origin: "https://api.example.com", host: "api.example.com"),
                     Line(origin: "http://localhost:8080", host: "localhost:8080"),
                     Line(origin: "https://app.example.com", host: "api.example.com")], policy: noSite)
        #expect(r.sameOrigin == 2)
        #expect(r.replayed == 1)
    }

    @Test func credentialsAreAssumedWhereTheLogShowsThemAnswered() throws {
        let lines = [
            Line(origin: "https://app.example.com", acao: "https://app.example.com", acac: "true"),
            Line(origin: "https://app.example.com", acao: "*", acac: "true"),
            Line(origin: "https://app.example.com"),
        ]
        let logged = run(lines)
        #expect(logged.credentialed == 1)
        #expect(logged.byReason == ["credentials-not-allowed": 1], "the policy has no credentials: that page breaks")
        var always = VerifyOptions()
        always.credentials = .always
        #expect(run(lines, options: always).failing == 3)
        var never = VerifyOptions()
        never.credentials = .never
        #expect(run(lines, options: never).failing == 0)
        var withCredentials = policy
        withCredentials.defaults.credentials = true
        #expect(run(lines, policy: withCredentials, options: always).failing == 0)
    }

    @Test func theTableIsCappedAndTheRestStillCounts() {
        var options = VerifyOptions()
        options.maxEntries = 2
        let r = run([Line(uri: "/a", origin: "https://evil.test"), Line(uri: "/b", origin: "https://evil.test"),
                     Line(uri: "/c", origin: "https://evil.test"), Line(uri: "/d", origin: "https://app.example.com"),
                     Line(uri: "/a", origin: "https://evil.test")], options: options)
        #expect(r.entries.count == 2)
        #expect(r.entries.map(\.requests).reduce(0, +) == 3)
        #expect(r.droppedRequests == 2)
        #expect(r.droppedFailing == 1)
        #expect(r.failing == 4, "the totals count every request")
    }

    @Test func hostileMethodsAndPathsAreEscapedInRows() throws {
        let r = run([Line(method: "GE\u{1B}T", uri: "/v1/\u{7F}x\"?q=<script>", origin: "https://evil.test")])
        let e = try #require(r.entries.first)
        #expect(e.method == "GE\\x1BT")
        #expect(e.path == "/v1/\\x7Fx\"")
        #expect(e.failing == 1)
    }

    /// The verdict cache (`VerdictCache`) changes nothing: random lines over origins that
    /// differ only in case or port, `null`, junk, path rules met by ASCII and non-ASCII
    /// paths, methods, requested headers and credentials give the same result replayed
    /// from scratch, with a cache of two entries (emptied all the time) and with the
    /// default one — with and without sites, with a full table.
    @Test func theVerdictCacheGivesTheVerdictsOfReplaying() {
        let psl = PublicSuffixList.bundled
        let pattern = try! OriginPattern.parse("https://*.partner.example", psl: psl).get()
        let ruled = Policy(
            site: [origin("https://api.example.com")],
            defaults: CORSRule(origins: [origin("https://app.example.com")], methods: [.put, .delete],
                               headers: [HeaderName("authorization")!], maxAge: 3600),
            paths: [PathRule(prefix: PathPrefix("/admin/")!, rule: CORSRule(origins: [origin("https://admin.example.com")],
                                                                             methods: [.delete], credentials: true, maxAge: 60)),
                    PathRule(prefix: PathPrefix("/v1/orders/")!, rule: CORSRule(origins: [origin("https://app.example.com")],
                                                                                  credentials: true, maxAge: 60)),
                    PathRule(prefix: PathPrefix("/public/")!, rule: CORSRule(origins: [], patterns: [pattern]))])
        let origins = ["https://app.example.com", "https://APP.example.com", "https://app.example.com:443", "null", "not an origin",
                       "https://admin.example.com", "https://api.example.com", "http://localhost:3000", "https://x.partner.example", ""]
        let methods = ["GET", "POST", "PUT", "DELETE", "OPTIONS", "OPTIONS", "PATCH", "get"]
        let uris = ["/v1/orders", "/v1/orders/12?x=1", "/admin/users", "/admin", "/public/a", "/caf\u{e9}/x", "/cafe\u{301}/x",
                    "/admin/\u{e9}", "/public/\u{e9}?q", "/x#/admin/", "/v1/orders/\u{e9}", "/v1/orders\u{e9}/"]
        let acrms = ["", "PUT", "DELETE", "PATCH", "get"]
        let acrhs = ["", "authorization", "content-type,x-forged", "Authorization, Content-Type"]
        let hosts = ["", "api.example.com", "app.example.com"]
        var rng = UInt64(0x2545_F491_4F6C_DD1D)
        func pick(_ a: [String]) -> String {
            rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17
            return a[Int(rng % UInt64(a.count))]
        }
        let lines = (0..<4000).map { _ -> Line in
            let o = pick(origins)
            return Line(method: pick(methods), uri: pick(uris), origin: o, acrm: pick(acrms), acrh: pick(acrhs),
                        acao: pick(["", "*", o]), acac: pick(["", "true"]), host: pick(hosts))
        }
        for policy in [policy, ruled] {
            for (sites, credentials, maxEntries) in [(policy.site, CredentialsAssumption.logged, 10_000),
                                                     ([], .always, 10_000), (policy.site, .logged, 40)] {
                func result(cache: Int) -> VerifyResult {
                    var o = VerifyOptions()
                    o.sites = sites
                    o.credentials = credentials
                    o.maxEntries = maxEntries
                    o.cachedVerdicts = cache
                    let v = Verifier(policy: policy, options: o)
                    for l in lines { l.withFields { v.add($0) } }
                    return v.finish()
                }
                let replayed = result(cache: 0)
                #expect(replayed.failing > 0 && replayed.sameOrigin > 0 && replayed.nullOrigin > 0 && replayed.invalidOrigin > 0)
                // With every request credentialed only the rules that allow credentials pass.
                #expect(replayed.passing > 0 || (credentials == .always && policy == self.policy))
                #expect(result(cache: 2) == replayed)
                #expect(result(cache: VerifyOptions().cachedVerdicts) == replayed)
            }
        }
    }
}
