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

    @Test func theEvidenceWindowTravelsFromAnalyzeToEveryRenderedHeader() throws {
        let written = RenderContext(lines: 4_866, firstSeen: 1_761_955_712, lastSeen: 1_762_559_433)
        let text = PolicyFile.write(inference(), context: written)
        #expect(text.contains("evidence: {lines: 4866, from: 2025-11-01, to: 2025-11-07}"))
        let (_, context) = try PolicyFile.parseWithContext(text, file: "p.yaml", psl: psl)
        #expect(context.provenance == "proposed by corslog \(CorsLogVersion.current) from 4,866 log lines, 2025-11-01 to 2025-11-07")
        // A hand-written policy without the key renders with the version alone.
        let (_, bare) = try PolicyFile.parseWithContext("version: 1\norigins: []", file: "p.yaml", psl: psl)
        #expect(bare.provenance == "proposed by corslog \(CorsLogVersion.current)")
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
        ("evidence: {lines: 10, from: 2025-13-01, to: 2025-11-07}", 1, "expected a date YYYY-MM-DD"),
        ("evidence: {lines: 10, from: 2025-11-01}", 1, "both from and to"),
        ("evidence: {lines: many}", 1, "whole number"),
        ("evidence: {lines: 1, by: me}", 1, "unknown key by"),
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
