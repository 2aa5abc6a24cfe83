import Foundation
import Testing
@testable import CorsLogKit

@Suite struct PolicyFileTests {
    let psl = PublicSuffixList.bundled

    private func inference() -> Inference {
        var c = EvidenceCollector.forOriginLogs()
        c.add(traffic("https://app.example.com", clients: 5, days: 3, count: 30, method: "PUT", acrh: "content-type", preflight: true))
        c.add(traffic("https://shop.partner.example", clients: 4, days: 2, count: 10))
        var o = InferenceOptions()
        o.sites = [origin("https://api.example.com")]
        return Inferrer.infer(c.finish(), options: o, psl: psl)
    }

    @Test func whatIsWrittenReadsBackAsTheProposal() throws {
        let inf = inference()
        let text = PolicyFile.write(inf, context: RenderContext(lines: 70))
        #expect(text.contains("# 5 clients, 3 days, 60 requests, last seen 2025-11-03"))
        #expect(text.contains("third-party: confirm"))
        let policy = try PolicyFile.parse(text, file: "p.yaml", psl: psl)
        #expect(policy == Policy(proposal: inf.proposal, site: inf.sites))
    }

    @Test func pathRulesInheritWhatTheyDoNotSay() throws {
        let text = """
            version: 1
            origins: [https://app.example.com]
            methods: [PUT]
            headers: [content-type]
            max_age: 600
            paths:
              - prefix: /admin/
                origins: [https://admin.example.com]
                credentials: true
              - prefix: /public/
                patterns: [https://*.partner.example]
                origins: []
            """
        let p = try PolicyFile.parse(text, file: "p.yaml", psl: psl)
        let admin = p.rule(for: "/admin/users")
        #expect(admin.origins == [origin("https://admin.example.com")])
        #expect(admin.methods == [.put])
        #expect(admin.credentials)
        #expect(p.rule(for: "/public/x").allows(origin("https://shop.partner.example")))
        #expect(!p.rule(for: "/public/x").allows(origin("https://a.b.partner.example")))
        #expect(p.rule(for: "/v1/x") == p.defaults)
    }

    @Test(arguments: [
        ("origins: [https://app.example.com/]", 1, "has a path"),
        ("origins: ['*']", 1, "explicit allowlists"),
        ("origins:\n  - https://ok.example\n  - null", 3, "null cannot be allowed"),
        ("origins: [HTTPS://APP.example.com]", 1, "write it that way"),
        ("methods: [PUT, FETCH]", 1, "unknown method FETCH"),
        ("methods: [TRACE]", 1, "unknown method TRACE"),
        ("patterns: ['https://*.github.io']", 1, "public suffix"),
        ("patterns: ['https://*.co.uk']", 1, "public suffix"),
        ("patterns: ['https://*example.com']", 1, "scheme://*.domain"),
        ("headers: ['x evil']", 1, "not a header name"),
        ("max_age: 999999", 1, "max_age"),
        ("colour: blue", 1, "unknown key colour"),
        ("paths:\n  - origins: []", 2, "needs a prefix"),
        ("paths:\n  - prefix: /a;b/", 2, "expected a path"),
        ("version: 2", 1, "version must be 1"),
    ])
    func mistakesAreErrorsThatNameTheLine(yaml: String, line: Int, message: String) {
        do {
            _ = try PolicyFile.parse(yaml, file: "corslog-policy.yaml", psl: psl)
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(error.status == .dataError)
            #expect(error.message.hasPrefix("corslog-policy.yaml:\(line): "), "\(error.message)")
            #expect(error.message.contains(message), "\(error.message)")
        }
    }
}
