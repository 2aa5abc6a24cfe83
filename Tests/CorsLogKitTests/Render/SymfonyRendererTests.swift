import Foundation
import Testing
@testable import CorsLogKit

@Suite struct SymfonyRendererTests {
    @Test func rendersTheExpectedFile() {
        let text = SymfonyRenderer().render(Policy(proposal: sampleProposal), context: RenderContext(lines: 12_345, firstSeen: 1_761_955_200, lastSeen: 1_762_473_600))
        Expected.check(text, named: "symfony.yaml")
    }

    @Test func exactOriginsAreAStrictListAndDefaultsAreEmpty() {
        let yaml = SymfonyRenderer().render(Policy(proposal: sampleProposal), context: RenderContext())
        #expect(yaml.contains("            allow_origin: ['https://app.example.com', 'https://partner.example.net:8443']\n            origin_regex: false\n"))
        #expect(yaml.contains("    defaults:\n        allow_credentials: false\n        allow_origin: []\n"))
        let config = yaml.components(separatedBy: "\nnelmio_cors:\n")[1]
        #expect(!config.contains("'*'"), "only the comment names it")
        #expect(!config.contains("forced_allow_origin_value"))
        #expect(yaml.contains("        '^/':\n"))
    }

    @Test func methodsIncludeTheSafelistedOnesTheBundleWouldRefuse() {
        let p = Proposal(origins: [origin("https://app.example.com")], methods: [], headers: [], maxAge: 600, credentials: false)
        let yaml = SymfonyRenderer().render(Policy(proposal: p), context: RenderContext())
        #expect(yaml.contains("allow_methods: ['GET', 'HEAD', 'POST']"))
        #expect(SymfonyRenderer.methods(CORSRule(origins: [], methods: [.post, .put])) == ["POST", "PUT", "GET", "HEAD"])
    }

    @Test func credentialsOnlyInTheRulesThatSaySo() {
        var p = sampleProposal
        #expect(!SymfonyRenderer().render(Policy(proposal: p), context: RenderContext()).contains("allow_credentials: true"))
        p.credentials = true
        #expect(SymfonyRenderer().render(Policy(proposal: p), context: RenderContext()).contains("            allow_credentials: true"))
    }

    @Test func patternsTurnTheWholeRuleIntoCaseSensitiveAnchoredRegexes() throws {
        let pattern = try OriginPattern.parse("https://*.partner.example", psl: PublicSuffixList.bundled).get()
        let policy = Policy(defaults: CORSRule(origins: [origin("https://app.example.com")], patterns: [pattern]),
                            paths: [PathRule(prefix: PathPrefix("/v1.2/")!, rule: CORSRule(origins: [origin("https://b.example.com")]))])
        let yaml = SymfonyRenderer().render(policy, context: RenderContext())
        #expect(yaml.contains("allow_origin: ['(?-i)^https://app\\.example\\.com\\z', '(?-i)^https://[a-z0-9]([a-z0-9-]*[a-z0-9])?\\.partner\\.example\\z']\n            origin_regex: true"))
        #expect(yaml.contains("        '^/v1\\.2/':\n            allow_origin: ['https://b.example.com']\n            origin_regex: false"))
        let order = ["'^/v1\\.2/':", "'^/':"].map { yaml.range(of: $0)!.lowerBound }
        #expect(order[0] < order[1], "the first key that matches wins: longest prefix first")
    }

    @Test func aPathRuleForSlashReplacesTheDefaultsEntry() {
        let policy = Policy(defaults: CORSRule(origins: [origin("https://app.example.com")]),
                            paths: [PathRule(prefix: PathPrefix("/")!, rule: CORSRule(origins: [origin("https://b.example.com")]))])
        let yaml = SymfonyRenderer().render(policy, context: RenderContext())
        #expect(yaml.components(separatedBy: "'^/':").count == 2, "one '^/' key, or YAML refuses the duplicate")
        #expect(yaml.contains("allow_origin: ['https://b.example.com']"))
    }

    @Test func noStandalone() throws {
        let options = try StandaloneOptions.make(listen: "127.0.0.1:8080", accessLog: "/tmp/a.log").get()
        #expect(SymfonyRenderer().standalone(Policy(proposal: sampleProposal), context: RenderContext(), options: options) == nil)
    }
}
