import Testing
@testable import CorsLogKit

@Suite struct DjangoRendererTests {
    @Test func rendersTheExpectedSnippet() {
        let text = DjangoRenderer().render(Policy(proposal: sampleProposal), context: RenderContext(lines: 12_345, firstSeen: 1_761_955_200, lastSeen: 1_762_473_600))
        Expected.check(text, named: "django.py")
    }

    @Test func theSettingsNameEveryValueExactly() {
        let text = DjangoRenderer().settingsPart(Policy(proposal: sampleProposal))
        #expect(text.contains("CORS_ALLOWED_ORIGINS = [\n    \"https://app.example.com\",\n    \"https://partner.example.net:8443\",\n]"))
        #expect(text.contains(#"CORS_ALLOW_METHODS = ["DELETE", "PUT"]"#))
        #expect(text.contains(#"CORS_ALLOW_HEADERS = ["authorization", "content-type"]"#), "not the library's default list")
        #expect(text.contains("CORS_PREFLIGHT_MAX_AGE = 3600"))
        #expect(text.contains("CORS_ALLOW_CREDENTIALS = False"))
        #expect(text.contains("CORS_ALLOW_ALL_ORIGINS = False"))
        #expect(text.contains("CORS_ALLOW_PRIVATE_NETWORK = False"))
        #expect(text.contains(#"CORS_URLS_REGEX = r"^/""#))
        #expect(text.contains("CORSLOG_CORS_PATHS = []"))
        #expect(text.hasPrefix("INSTALLED_APPS = "))
        #expect(text.contains(#"MIDDLEWARE = ["corslog_cors.CorslogCorsMiddleware"] + ["#), "first, above CommonMiddleware")
    }

    @Test func pathRulesAreDictsWithEveryValueLongestFirst() throws {
        let text = DjangoRenderer().settingsPart(try PythonPolicies.pathRules())
        let publicRule = try #require(text.range(of: #"    ("/public/", {"#))
        let admin = try #require(text.range(of: #"    ("/admin/", {"#))
        #expect(publicRule.lowerBound < admin.lowerBound, "/public/ is longer")
        for key in ["CORS_ALLOWED_ORIGINS", "CORS_ALLOWED_ORIGIN_REGEXES", "CORS_ALLOW_METHODS", "CORS_ALLOW_HEADERS",
                    "CORS_EXPOSE_HEADERS", "CORS_PREFLIGHT_MAX_AGE", "CORS_ALLOW_CREDENTIALS"] {
            #expect(text.components(separatedBy: "\"\(key)\": ").count - 1 == 2, "\(key) in both path rules")
        }
        #expect(text.contains(#"r"^https://[a-z0-9]([a-z0-9-]*[a-z0-9])?\.partner\.example\Z",  # https://*.partner.example"#))
    }

    @Test func aPathRuleForSlashBecomesTheDefaults() {
        let policy = Policy(defaults: CORSRule(origins: [origin("https://old.example.com")]), paths: [
            PathRule(prefix: PathPrefix("/")!, rule: CORSRule(origins: [origin("https://app.example.com")]))])
        let text = DjangoRenderer().settingsPart(policy)
        #expect(text.contains("CORS_ALLOWED_ORIGINS = [\n    \"https://app.example.com\",\n]"))
        #expect(!text.contains("old.example.com"))
        #expect(text.contains("CORSLOG_CORS_PATHS = []"))
    }

    @Test func credentialsOnlyWhenProposed() {
        var p = sampleProposal
        #expect(DjangoRenderer().settingsPart(Policy(proposal: p)).contains("CORS_ALLOW_CREDENTIALS = False"))
        p.credentials = true
        #expect(DjangoRenderer().settingsPart(Policy(proposal: p)).contains("CORS_ALLOW_CREDENTIALS = True"))
    }

    @Test func theMiddlewareNeverConsultsTheSignal() {
        #expect(!DjangoRenderer.middlewarePart.contains("check_signal("))
        #expect(DjangoRenderer.middlewarePart.contains("def is_enabled(self, request):"))
        #expect(DjangoRenderer.middlewarePart.contains(#"if origin not in rule["CORS_ALLOWED_ORIGINS"]"#))
    }

    @Test func theStandaloneEmbedsBothPartsAndListensWhereAsked() throws {
        let policy = try PythonPolicies.pathRules()
        let options = try StandaloneOptions.make(listen: "127.0.0.1:9123", accessLog: "/tmp/x.log").get()
        let text = try #require(DjangoRenderer().standalone(policy, context: RenderContext(), options: options))
        #expect(text.contains(DjangoRenderer().settingsPart(policy)))
        #expect(text.contains(DjangoRenderer.middlewarePart))
        #expect(text.contains(#""runserver", "--noreload", "127.0.0.1:9123""#))
        #expect(text.contains("--access-log is not used"))
    }
}
