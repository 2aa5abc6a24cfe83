import Foundation
import Testing
@testable import CorsLogKit

@Suite struct ExpressRendererTests {
    @Test func rendersTheExpectedModule() {
        let text = ExpressRenderer().render(Policy(proposal: sampleProposal), context: RenderContext(lines: 12_345, firstSeen: 1_761_955_200, lastSeen: 1_762_473_600))
        Expected.check(text, named: "express.js")
    }

    @Test func originsAreAnExplicitListComparedExactlyNeverAWildcard() {
        let js = ExpressRenderer().module(Policy(proposal: sampleProposal))
        #expect(js.contains("origins: ['https://app.example.com', 'https://partner.example.net:8443'],"))
        #expect(js.contains("rule.origins.find((o) => o === origin)"))
        #expect(!js.contains("'*'"))
        #expect(js.contains("{ origin: false }"), "everything not allowed goes through cors with origin: false")
    }

    @Test func everyCorsOptionIsExplicitSoNoDefaultOrReflectionApplies() {
        let p = Proposal(origins: [origin("https://app.example.com")], methods: [], headers: [], maxAge: 600, credentials: false)
        let js = ExpressRenderer().module(Policy(proposal: p))
        #expect(js.contains("methods: [],"), "cors's default is GET,HEAD,PUT,PATCH,POST,DELETE")
        #expect(js.contains("allowedHeaders: [],"), "unset, cors reflects Access-Control-Request-Headers")
        #expect(js.contains("credentials: false,"))
        #expect(js.contains("maxAge: 600,"))
        #expect(js.contains("optionsSuccessStatus: 204,"))
    }

    @Test func credentialsOnlyInTheRulesThatSaySo() {
        var p = sampleProposal
        #expect(!ExpressRenderer().module(Policy(proposal: p)).contains("credentials: true"))
        p.credentials = true
        #expect(ExpressRenderer().module(Policy(proposal: p)).contains("credentials: true,"))
    }

    @Test func pathRulesComeLongestFirstAndPatternsAsAnchoredRegexLiterals() throws {
        let pattern = try OriginPattern.parse("https://*.partner.example", psl: PublicSuffixList.bundled).get()
        let policy = Policy(defaults: CORSRule(origins: [origin("https://app.example.com")]),
                            paths: [PathRule(prefix: PathPrefix("/a/")!, rule: CORSRule(origins: [], patterns: [pattern])),
                                    PathRule(prefix: PathPrefix("/a/b.c/")!, rule: CORSRule(origins: [origin("https://b.example.com")]))])
        let js = ExpressRenderer().module(policy)
        let order = ["prefix: '/a/b.c/'", "prefix: '/a/'", "prefix: '/'"].map { js.range(of: $0)!.lowerBound }
        #expect(order == order.sorted())
        #expect(js.contains("patterns: [/^https:\\/\\/[a-z0-9]([a-z0-9-]*[a-z0-9])?\\.partner\\.example$/],"))
    }

    @Test func theStandaloneEmbedsTheModuleAndPassesNodeCheck() throws {
        let options = try StandaloneOptions.make(listen: "127.0.0.1:8080", accessLog: "/tmp/try/access.log").get()
        let policy = Policy(proposal: sampleProposal)
        let app = try #require(ExpressRenderer().standalone(policy, context: RenderContext(), options: options))
        #expect(app.contains(ExpressRenderer().module(policy)))
        #expect(app.contains("app.listen(8080, '127.0.0.1'"))
        #expect(app.contains("fs.appendFileSync('/tmp/try/access.log'"))
        guard FileManager.default.isExecutableFile(atPath: RealLibraries.node) else { return }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-express-\(UUID().uuidString).js")
        try app.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let check = try runProcess(RealLibraries.node, ["--check", file.path])
        #expect(check.status == 0, "node --check: \(check.err)")
    }
}
