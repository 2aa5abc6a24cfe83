import Testing
@testable import CorsLogKit

@Suite struct FlaskRendererTests {
    @Test func rendersTheExpectedSnippet() {
        let text = FlaskRenderer().render(Policy(proposal: sampleProposal), context: RenderContext(lines: 12_345, firstSeen: 1_761_955_200, lastSeen: 1_762_473_600))
        Expected.check(text, named: "flask.py")
    }

    @Test func everyOriginIsAnAnchoredCaseSensitiveCompiledRegex() {
        let text = FlaskRenderer().render(Policy(proposal: sampleProposal), context: RenderContext())
        #expect(text.contains(#"    re.compile(r"^https://app\.example\.com\Z"),"#))
        #expect(text.contains(#"    re.compile(r"^https://partner\.example\.net:8443\Z"),"#))
        #expect(!text.contains("\"https://app.example.com\""), "a plain string would match case-insensitively")
        #expect(!text.contains("IGNORECASE"))
        #expect(text.contains("always_send=False,"))
        #expect(text.contains("send_wildcard=False,"))
        let code = text.split(separator: "\n").filter { !$0.drop { $0 == " " }.hasPrefix("#") }.joined(separator: "\n")
        #expect(!code.contains("\"*\""), "no wildcard anywhere outside comments")
    }

    @Test func everyResourceSetsEveryOptionSoNothingIsMerged() throws {
        let text = FlaskRenderer().render(try PythonPolicies.pathRules(), context: RenderContext())
        for key in ["origins", "methods", "allow_headers", "expose_headers", "supports_credentials", "max_age"] {
            #expect(text.components(separatedBy: "\"\(key)\": ").count - 1 == 3, "\(key) in each of the three resources")
        }
        // Longest first, the defaults last; dots escaped and anchored at the start.
        let admin = try #require(text.range(of: #"re.compile(r"^/admin/"): {"#))
        let root = try #require(text.range(of: #"re.compile(r"^/"): {"#))
        #expect(admin.lowerBound < root.lowerBound)
        #expect(text.contains(#"re.compile(r"^https://[a-z0-9]([a-z0-9-]*[a-z0-9])?\.partner\.example\Z"),  # https://*.partner.example"#))
        let dotted = FlaskRenderer().render(Policy(defaults: CORSRule(origins: []), paths: [
            PathRule(prefix: PathPrefix("/v1.0/")!, rule: CORSRule(origins: []))]), context: RenderContext())
        #expect(dotted.contains(#"re.compile(r"^/v1\.0/"): {"#))
    }

    @Test func aPathRuleForSlashReplacesTheDefaultsInsteadOfSharingTheirKey() {
        // re.compile caches: two `re.compile(r"^/")` keys are one dict key, and the later would win.
        let policy = Policy(defaults: CORSRule(origins: [origin("https://old.example.com")]), paths: [
            PathRule(prefix: PathPrefix("/")!, rule: CORSRule(origins: [origin("https://app.example.com")]))])
        let text = FlaskRenderer().render(policy, context: RenderContext())
        #expect(text.components(separatedBy: #"re.compile(r"^/"): {"#).count == 2)
        #expect(text.contains("app\\.example"))
        #expect(!text.contains("old\\.example"))
    }

    @Test func safelistedMethodsAreListedSoTheirPreflightsGetAllowHeaders() {
        let p = Proposal(origins: [origin("https://app.example.com")], methods: [], headers: [], maxAge: 600, credentials: false)
        let text = FlaskRenderer().render(Policy(proposal: p), context: RenderContext())
        #expect(text.contains(#""methods": ["GET", "HEAD", "POST"],"#))
        #expect(text.contains(#""allow_headers": [],"#), "not Flask-CORS's default \"*\"")
        #expect(text.contains(#""max_age": 600,"#))
    }

    @Test func credentialsOnlyWhenProposed() {
        var p = sampleProposal
        #expect(FlaskRenderer().render(Policy(proposal: p), context: RenderContext()).contains(#""supports_credentials": False,"#))
        p.credentials = true
        #expect(FlaskRenderer().render(Policy(proposal: p), context: RenderContext()).contains(#""supports_credentials": True,"#))
    }

    @Test func theStandaloneEmbedsTheSnippetAndListensWhereAsked() throws {
        let policy = Policy(proposal: sampleProposal)
        let options = try StandaloneOptions.make(listen: "127.0.0.1:9123", accessLog: "/tmp/x.log").get()
        let text = try #require(FlaskRenderer().standalone(policy, context: RenderContext(), options: options))
        #expect(text.contains(FlaskRenderer().render(policy, context: RenderContext())))
        #expect(text.contains(#"app.run(host="127.0.0.1", port=9123)"#))
        #expect(text.contains("--access-log is not used"))
    }
}
