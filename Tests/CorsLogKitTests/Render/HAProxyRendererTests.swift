import Testing
@testable import CorsLogKit

@Suite struct HAProxyRendererTests {
    /// The snippet's configuration lines, without comments.
    func directives(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    @Test func rendersTheExpectedSnippet() {
        let text = HAProxyRenderer().render(Policy(proposal: sampleProposal), context: RenderContext(lines: 12_345, firstSeen: 1_761_955_200, lastSeen: 1_762_473_600))
        Expected.check(text, named: "haproxy.cfg")
        #expect(text.contains("proposed by corslog \(CorsLogVersion.current) from 12,345 log lines, 2025-11-01 to 2025-11-07"))
    }

    @Test func everyAllowedOriginIsComparedWholeAndExactlyAndAnsweredWithOurString() {
        let lines = directives(HAProxyRenderer().snippet(Policy(proposal: sampleProposal)))
        #expect(lines.contains("http-request set-var(txn.corslog_origin) str(https://app.example.com) if corslog_one_origin corslog_rule0 { req.fhdr(origin) -m str https://app.example.com }"))
        #expect(lines.contains("http-request set-var(txn.corslog_origin) str(https://partner.example.net:8443) if corslog_one_origin corslog_rule0 { req.fhdr(origin) -m str https://partner.example.net:8443 }"))
        #expect(lines.contains("acl corslog_one_origin req.fhdr_cnt(origin) eq 1"))
        #expect(!lines.contains { $0.contains("req.hdr(origin)") }, "req.hdr splits on commas")
        #expect(!lines.contains { $0.contains(" -i ") && $0.contains("origin") && !$0.contains("res.hdr(vary)") }, "case-sensitive")
        #expect(!lines.contains { $0.contains("set-var(txn.corslog_origin) req.") }, "no pattern, so the request's Origin is never echoed")
        #expect(!lines.contains { $0.contains("*") }, "never *")
    }

    @Test func patternsAreAnchoredSingleQuotedRegexes() throws {
        let pattern = try OriginPattern.parse("https://*.partner.example", psl: PublicSuffixList.bundled).get()
        let lines = directives(HAProxyRenderer().snippet(Policy(defaults: CORSRule(origins: [], patterns: [pattern]))))
        #expect(lines.contains(#"http-request set-var(txn.corslog_origin) req.fhdr(origin) if corslog_one_origin corslog_rule0 { req.fhdr(origin) -m reg '^https://[a-z0-9]([a-z0-9-]*[a-z0-9])?\.partner\.example$' }"#))
    }

    @Test func everyCORSHeaderIsSetAfterTheResponseAndTheApplicationsAreDeletedFirst() {
        let lines = directives(HAProxyRenderer().snippet(Policy(proposal: sampleProposal)))
        #expect(!lines.contains { $0.hasPrefix("http-response ") }, "http-response misses HAProxy's own responses")
        let firstSet = lines.firstIndex { $0.hasPrefix("http-after-response set-header Access-Control-") }!
        for h in ["Allow-Origin", "Allow-Credentials", "Allow-Methods", "Allow-Headers", "Expose-Headers", "Max-Age"] {
            let del = lines.firstIndex(of: "http-after-response del-header Access-Control-\(h)")
            #expect(del != nil && del! < firstSet, "\(h) deleted before ours are set")
        }
        #expect(lines.contains("http-request return status 204 if corslog_preflight"))
        #expect(lines.contains("http-after-response add-header Vary Origin if !corslog_preflight !corslog_vary_origin"))
    }

    @Test func credentialsOnlyWhenProposed() {
        var p = sampleProposal
        #expect(!HAProxyRenderer().render(Policy(proposal: p), context: RenderContext()).contains("Access-Control-Allow-Credentials true"))
        p.credentials = true
        #expect(directives(HAProxyRenderer().snippet(Policy(proposal: p)))
            .contains("http-after-response set-header Access-Control-Allow-Credentials true if corslog_allowed corslog_rule0"))
    }

    @Test func noMethodsOrHeadersMeansNoSuchPreflightHeaders() {
        let p = Proposal(origins: [origin("https://app.example.com")], methods: [], headers: [], maxAge: 600, credentials: false)
        let snippet = HAProxyRenderer().snippet(Policy(proposal: p))
        #expect(!snippet.contains("set-header Access-Control-Allow-Methods"))
        #expect(!snippet.contains("set-header Access-Control-Allow-Headers"))
        #expect(snippet.contains("set-header Access-Control-Max-Age 600 if corslog_preflight corslog_rule0"))
    }

    @Test func theLongestPathPrefixIsChosenLast() {
        let rule = CORSRule(origins: [origin("https://admin.example.com")])
        let policy = Policy(defaults: CORSRule(origins: [origin("https://app.example.com")]),
                            paths: [PathRule(prefix: PathPrefix("/a/")!, rule: rule),
                                    PathRule(prefix: PathPrefix("/a/b.c/")!, rule: rule)])
        let lines = directives(HAProxyRenderer().snippet(policy))
        let defaults = lines.firstIndex(of: "http-request set-var(txn.corslog_rule) int(0)")!
        let short = lines.firstIndex(of: "http-request set-var(txn.corslog_rule) int(2) if { var(txn.corslog_path) -m beg /a/ }")!
        let long = lines.firstIndex(of: "http-request set-var(txn.corslog_rule) int(1) if { var(txn.corslog_path) -m beg /a/b.c/ }")!
        #expect(defaults < short && short < long)
        let dotSegments = lines.firstIndex(of: #"http-request set-var(txn.corslog_rule) int(-1) if { var(txn.corslog_path) -m reg '/\.\.?(/|$)' }"#)!
        #expect(long < dotSegments)
        #expect(lines.contains("http-request set-var(txn.corslog_path) path,url_dec,regsub(/+,/,g)"))
        #expect(!directives(HAProxyRenderer().snippet(Policy(proposal: sampleProposal))).contains { $0.contains("corslog_path") },
                "without path rules every path has the defaults")
    }

    @Test func theStandaloneEmbedsTheSnippetAndLogsInTheNginxCORSLayout() throws {
        let policy = Policy(proposal: sampleProposal)
        let options = try StandaloneOptions.make(listen: "127.0.0.1:8081", accessLog: "/var/tmp/try/access.log").get()
        let config = try #require(HAProxyRenderer().standalone(policy, context: RenderContext(), options: options))
        #expect(config.contains(HAProxyRenderer().snippet(policy).split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")))
        #expect(config.contains("    bind 127.0.0.1:8081\n"))
        #expect(config.contains("    pidfile /var/tmp/try/haproxy.pid\n"))
        #expect(config.contains("#   haproxy -W -f THIS_FILE >> /var/tmp/try/access.log\n"))
        #expect(config.contains("#   corslog analyze --format nginx-cors /var/tmp/try/access.log\n"))
        #expect(config.contains("    server app unix@/var/tmp/try/corslog-stub.sock\n"))
        #expect(config.contains("    bind unix@/var/tmp/try/corslog-stub.sock\n"))
        #expect(!config.contains("chroot") && !config.contains("user ") && !config.contains("daemon"), "runs as an ordinary user, in the foreground")
    }
}
