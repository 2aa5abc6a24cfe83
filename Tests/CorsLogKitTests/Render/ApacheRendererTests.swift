import Testing
@testable import CorsLogKit

@Suite struct ApacheRendererTests {
    static let context = RenderContext(lines: 12_345, firstSeen: 1_761_955_200, lastSeen: 1_762_473_600)

    @Test func rendersTheExpectedSnippet() {
        let text = ApacheRenderer().render(Policy(proposal: sampleProposal), context: Self.context)
        Expected.check(text, named: "apache.conf")
    }

    @Test func theHeaderSaysWhatItIsWhereItGoesAndWhereItCameFrom() {
        let text = ApacheRenderer().render(Policy(proposal: sampleProposal), context: Self.context)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "# CORS allowlist for Apache httpd 2.4, proposed by corslog \(CorsLogVersion.current) from 12,345 log lines, 2025-11-01 to 2025-11-07.")
        #expect(text.contains("# Modules: mod_setenvif, mod_headers, mod_rewrite"))
        #expect(text.contains("<VirtualHost>"))
    }

    @Test func everyAllowedOriginIsAnExactCaseSensitiveSetEnvIfMappedToItself() {
        let text = ApacheRenderer().snippet(Policy(proposal: sampleProposal))
        #expect(text.contains(#"SetEnvIf Origin "^https://app\.example\.com$" CORSLOG_ORIGIN=https://app.example.com"#))
        #expect(text.contains(#"SetEnvIf Origin "^https://partner\.example\.net:8443$" CORSLOG_ORIGIN=https://partner.example.net:8443"#))
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("SetEnvIfNoCase") }, "case-sensitive")
        #expect(!text.contains("%{HTTP:Origin}") && !text.contains("req('Origin')") && !text.contains("%{Origin}i"),
                "the request's own Origin is never echoed")
        #expect(text.contains(#"Header always set Access-Control-Allow-Origin "%{CORSLOG_ORIGIN}e" env=CORSLOG_ORIGIN"#))
        #expect(!text.contains("Header set "), "every header is set in the always table")
    }

    @Test func aPatternEchoesWhatItsAnchoredRegexMatched() throws {
        let pattern = try OriginPattern.parse("https://*.partner.example", psl: PublicSuffixList.bundled).get()
        let text = ApacheRenderer().snippet(Policy(defaults: CORSRule(origins: [], patterns: [pattern])))
        #expect(text.contains(#"SetEnvIf Origin "^https://[a-z0-9]([a-z0-9-]*[a-z0-9])?\.partner\.example$" CORSLOG_ORIGIN=$0"#))
    }

    @Test func credentialsOnlyWhenProposed() {
        var p = sampleProposal
        #expect(!ApacheRenderer().render(Policy(proposal: p), context: RenderContext()).contains("always set Access-Control-Allow-Credentials"))
        p.credentials = true
        #expect(ApacheRenderer().snippet(Policy(proposal: p))
            .contains(#"Header always set Access-Control-Allow-Credentials "true" env=CORSLOG_ORIGIN"#))
    }

    @Test func preflightHeadersOnlyOnThePreflightAndOnlyWhenThereIsSomethingToList() {
        let text = ApacheRenderer().snippet(Policy(proposal: sampleProposal))
        #expect(text.contains(#"Header always set Access-Control-Allow-Methods "DELETE, PUT" env=CORSLOG_PREFLIGHT"#))
        #expect(text.contains(#"Header always set Access-Control-Allow-Headers "authorization, content-type" env=CORSLOG_PREFLIGHT"#))
        #expect(text.contains(#"Header always set Access-Control-Max-Age "3600" env=CORSLOG_PREFLIGHT"#))
        #expect(text.contains("RewriteRule ^ - [E=CORSLOG_PREFLIGHT:1,R=204,L]"))
        let bare = Proposal(origins: [origin("https://app.example.com")], methods: [], headers: [], maxAge: 600, credentials: false)
        let plain = ApacheRenderer().snippet(Policy(proposal: bare))
        #expect(!plain.contains("always set Access-Control-Allow-Methods"))
        #expect(!plain.contains("always set Access-Control-Allow-Headers"))
        #expect(plain.contains(#"Access-Control-Max-Age "600""#))
    }

    @Test func pathBlocksComeShortestFirstAndEachUnsetsBeforeItSets() throws {
        let text = ApacheRenderer().snippet(try ApacheRealServerTests.pathPolicy())
        let opens = text.split(separator: "\n").filter { $0.hasPrefix("<Location") }
        // (/reports and /public/ are as long as each other: no path can match both.)
        #expect(opens == [#"<Location "/">"#, #"<LocationMatch "^/admin/">"#, #"<LocationMatch "^/reports">"#,
                          #"<LocationMatch "^/public/">"#, #"<LocationMatch "^/admin/audit/">"#])
        // In every block, both tables are cleared of every CORS header before the first set.
        for block in text.components(separatedBy: "<Location").dropFirst() {
            let lines = block.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            let firstSet = try #require(lines.firstIndex { $0.hasPrefix("Header always set") })
            for h in ApacheRenderer.corsHeaders {
                let unset = try #require(lines.firstIndex(of: "Header unset \(h)"))
                let alwaysUnset = try #require(lines.firstIndex(of: "Header always unset \(h)"))
                #expect(unset < firstSet && alwaysUnset < firstSet)
            }
            #expect(lines.contains("Header always merge Vary Origin"))
        }
    }

    @Test func preflightPathConditionsMirrorTheLongestPrefix() throws {
        let text = ApacheRenderer().snippet(try ApacheRealServerTests.pathPolicy())
        let rules = text.components(separatedBy: "RewriteRule ^ - [E=CORSLOG_PREFLIGHT:1,R=204,L]").dropLast()
        // Variables follow Policy.paths (longest first): P1 /admin/audit/, P2 /public/, P3 /reports, P4 /admin/.
        let admin = try #require(rules.first { $0.contains("%{ENV:CORSLOG_ORIGIN_P4}") })
        #expect(admin.contains("RewriteCond %{REQUEST_URI} ^/admin/\n"))
        #expect(admin.contains("RewriteCond %{REQUEST_URI} !^/admin/audit/\n"))
        #expect(!admin.contains("!^/public/"), "only longer prefixes that can also match")
        let defaults = try #require(rules.first { $0.contains("%{ENV:CORSLOG_ORIGIN} .") })
        for prefix in ["/admin/audit/", "/public/", "/reports", "/admin/"] {
            #expect(defaults.contains("RewriteCond %{REQUEST_URI} !^\(prefix)\n"))
        }
    }

    @Test func dotsInPathPrefixesAreEscaped() {
        let policy = Policy(defaults: CORSRule(origins: []),
                            paths: [PathRule(prefix: PathPrefix("/v1.2/")!, rule: CORSRule(origins: [origin("https://app.example.com")]))])
        let text = ApacheRenderer().snippet(policy)
        #expect(text.contains(#"<LocationMatch "^/v1\.2/">"#))
        #expect(text.contains(#"RewriteCond %{REQUEST_URI} ^/v1\.2/"#))
        #expect(text.contains("# Origins allowed under / (every path no rule below claims)\n# (none)"))
    }

    @Test func theStandaloneEmbedsTheSnippetAndKeepsItsFilesInTheLogFolder() throws {
        let options = try StandaloneOptions.make(listen: "127.0.0.1:8080", accessLog: "/tmp/try/access.log").get()
        let policy = Policy(proposal: sampleProposal)
        let text = try #require(ApacheRenderer().standalone(policy, context: Self.context, options: options))
        #expect(text.contains(ApacheRenderer().snippet(policy)))
        for line in [#"ServerRoot "/tmp/try""#, #"PidFile "/tmp/try/httpd.pid""#, #"ErrorLog "/tmp/try/error.log""#,
                     "Mutex file:/tmp/try default", #"DefaultRuntimeDir "/tmp/try""#, "Listen 127.0.0.1:8080",
                     "LoadModule setenvif_module /usr/lib/apache2/modules/mod_setenvif.so",
                     "LoadModule headers_module /usr/lib/apache2/modules/mod_headers.so",
                     "LoadModule rewrite_module /usr/lib/apache2/modules/mod_rewrite.so",
                     #"CustomLog "/tmp/try/access.log" cors"#, #"ErrorDocument 200 "ok""#] {
            #expect(text.contains("\n" + line + "\n"), "\(line)")
        }
        #expect(text.contains("LogFormat \"\(LogFormat.preset("apache-cors")!.definition)\" cors\n"))
        #expect(text.hasSuffix("RewriteRule ^ - [R=200]\n"), "the stub comes after the preflight rules")
        #expect(text.contains("/usr/lib64/httpd/modules"), "says where other distributions keep the modules")
    }
}
