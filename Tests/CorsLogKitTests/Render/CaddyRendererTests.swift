import Testing
@testable import CorsLogKit

@Suite struct CaddyRendererTests {
    @Test func rendersTheExpectedSnippet() {
        let text = CaddyRenderer().render(Policy(proposal: sampleProposal), context: RenderContext(lines: 12_345, firstSeen: 1_761_955_200, lastSeen: 1_762_473_600))
        Expected.check(text, named: "caddy.Caddyfile")
    }

    @Test func theHeaderCommentSaysWhatItIsAndWhereItGoes() {
        let text = CaddyRenderer().render(Policy(proposal: sampleProposal), context: RenderContext(lines: 12_345, firstSeen: 1_761_955_200, lastSeen: 1_762_473_600))
        #expect(text.hasPrefix("# CORS allowlist for Caddy 2.6+, proposed by corslog \(CorsLogVersion.current) from 12,345 log lines, 2025-11-01 to 2025-11-07."))
        #expect(text.contains("import corslog_cors`"))
        #expect(text.contains("import corslog_cors_upstream`"))
        #expect(text.contains("inside EACH handle {} block"))
    }

    @Test func everyAllowedOriginIsAnAnchoredRegexMappedToOurOwnString() {
        let text = CaddyRenderer().snippets(Policy(proposal: sampleProposal))
        #expect(text.contains("\t~^https://app\\.example\\.com$ \"https://app.example.com\" yes"))
        #expect(text.contains("\t~^https://partner\\.example\\.net:8443$ \"https://partner.example.net:8443\" yes"))
        #expect(text.contains("map {http.request.header.Origin} {corslog_cors_origin} {corslog_cors_allowed} {"))
        #expect(!text.contains("(?i)"), "case-sensitive")
        #expect(!text.contains("\"{http.request.header.Origin}\""), "the request's own Origin is never echoed")
        #expect(!text.contains("@corslog_cors_allowed header"), "origins never go through the header matcher's wildcards")
        #expect(!text.contains("Access-Control-Allow-Origin *"))
    }

    @Test func aPatternEchoesOnlyWhatItsAnchoredRegexMatched() throws {
        let pattern = try OriginPattern.parse("https://*.partner.example", psl: PublicSuffixList.bundled).get()
        let text = CaddyRenderer().snippets(Policy(defaults: CORSRule(origins: [], patterns: [pattern])))
        #expect(text.contains("\t~^https://[a-z0-9]([a-z0-9-]*[a-z0-9])?\\.partner\\.example$ \"${0}\" yes"))
    }

    @Test func credentialsOnlyWhenTheRuleSaysSo() {
        var p = sampleProposal
        #expect(!CaddyRenderer().snippets(Policy(proposal: p)).contains("Access-Control-Allow-Credentials true"))
        p.credentials = true
        #expect(CaddyRenderer().snippets(Policy(proposal: p)).contains("\t\t\tAccess-Control-Allow-Credentials true"))
    }

    @Test func noMethodsOrHeadersMeansNoSuchPreflightHeaders() {
        let p = Proposal(origins: [origin("https://app.example.com")], methods: [], headers: [], maxAge: 600, credentials: false)
        let text = CaddyRenderer().snippets(Policy(proposal: p))
        #expect(!text.contains("\tAccess-Control-Allow-Methods"))
        #expect(!text.contains("\tAccess-Control-Allow-Headers"))
        #expect(text.contains("Access-Control-Max-Age 600"))
        #expect(text.contains("respond @corslog_cors_preflight 204"))
    }

    @Test func pathRulesExcludeTheLongerPrefixesUnderThem() {
        let rule = CORSRule(origins: [origin("https://admin.example.com")])
        let policy = Policy(defaults: CORSRule(origins: [origin("https://app.example.com")]),
                            paths: [PathRule(prefix: PathPrefix("/api")!, rule: rule),
                                    PathRule(prefix: PathPrefix("/api/admin/")!, rule: rule),
                                    PathRule(prefix: PathPrefix("/static/")!, rule: rule)])
        let text = CaddyRenderer().snippets(policy)
        #expect(text.contains("\t\t@corslog_cors_p1 {\n\t\t\tpath /api/admin/*\n\t\t}"))
        #expect(text.contains("\t\t@corslog_cors_p3 {\n\t\t\tpath /api*\n\t\t\tnot path /api/admin/*\n\t\t}"))
        #expect(text.contains("\t\t@corslog_cors_rest not path /api/admin/* /static/* /api*"))
        #expect(text.components(separatedBy: "map {http.request.header.Origin}").count == 5, "one map per rule")
    }

    @Test func theStandaloneEmbedsTheSnippetsAndKeepsItsFilesInTheWorkDirectory() throws {
        let options = try StandaloneOptions.make(listen: "127.0.0.1:8080", accessLog: "/tmp/try/access.log").get()
        let policy = Policy(proposal: sampleProposal)
        let text = try #require(CaddyRenderer().standalone(policy, context: RenderContext(), options: options))
        #expect(text.contains(CaddyRenderer().snippets(policy)))
        #expect(text.contains("\tadmin off\n\tauto_https off\n\tstorage file_system /tmp/try/caddy-data\n"))
        #expect(text.contains("http://127.0.0.1:8080 {\n\tbind 127.0.0.1\n"))
        #expect(text.contains("\t\toutput file /tmp/try/access.log\n\t\tformat json\n"))
        #expect(text.hasSuffix("\timport corslog_cors\n\trespond \"ok\" 200\n}\n"))
    }
}
