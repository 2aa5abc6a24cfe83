import Foundation
import Testing
@testable import CorsLogKit

/// The nginx target inside a real nginx: its standalone configuration (which
/// embeds the very snippet `render` prints) answers as browsers need.
@Suite(.serialized, .enabled(if: serverAvailable(RealNginx.binary),
                             "nginx is not installed (apt-get install nginx): real-server test skipped"))
struct NginxRealServerTests {
    @Test func allowedOriginsGetTheirOriginBackAndOthersGetNothing() throws {
        try RealNginx.with(Policy(proposal: sampleProposal)) { server in
            let allowed = try server.request("/v1/orders", headers: ["Origin: https://app.example.com"])
            #expect(allowed.status == 200)
            #expect(allowed.header("access-control-allow-origin") == ["https://app.example.com"])
            #expect(allowed.header("vary").contains { $0.contains("Origin") })
            for stranger in ["https://evil.test", "null"] {
                let r = try server.request("/v1/orders", headers: ["Origin: \(stranger)"])
                #expect(r.status == 200)
                #expect(!r.hasCORSHeaders, "\(stranger) must get no CORS header")
                #expect(r.header("vary").contains { $0.contains("Origin") }, "Vary: Origin on every response")
            }
            #expect(!(try server.request("/v1/orders", headers: [])).hasCORSHeaders, "no Origin, no CORS headers")
            try ScannerProbes.expectNoneGetCORS(server, path: "/v1/orders")
        }
    }

    @Test func preflightsFromAllowedOriginsAreAnswered204() throws {
        try RealNginx.with(Policy(proposal: sampleProposal)) { server in
            let ok = try server.request("/v1/orders/7", method: "OPTIONS", headers: [
                "Origin: https://partner.example.net:8443", "Access-Control-Request-Method: PUT",
                "Access-Control-Request-Headers: authorization,content-type"])
            #expect(ok.status == 204)
            #expect(ok.header("access-control-allow-origin") == ["https://partner.example.net:8443"])
            #expect(ok.header("access-control-allow-methods") == ["DELETE, PUT"])
            #expect(ok.header("access-control-allow-headers") == ["authorization, content-type"])
            #expect(ok.header("access-control-max-age") == ["3600"])
            // OPTIONS without Access-Control-Request-Method is not a preflight.
            let plainOptions = try server.request("/v1/orders", method: "OPTIONS", headers: ["Origin: https://app.example.com"])
            #expect(plainOptions.status == 200)
            #expect(plainOptions.header("access-control-allow-methods").isEmpty)
        }
    }

    /// A bracketed IPv6 origin with a port (`ScannerProbes.expectIPv6MatchedExactly`).
    @Test func anIPv6OriginIsMatchedExactly() throws {
        try RealNginx.with(ScannerProbes.ipv6Policy) { try ScannerProbes.expectIPv6MatchedExactly($0) }
    }

    @Test func credentialsOnlyForAllowedOrigins() throws {
        var p = sampleProposal
        p.credentials = true
        try RealNginx.with(Policy(proposal: p)) { server in
            let allowed = try server.request("/", headers: ["Origin: https://app.example.com"])
            #expect(allowed.header("access-control-allow-credentials") == ["true"])
            let other = try server.request("/", headers: ["Origin: https://evil.test"])
            #expect(other.header("access-control-allow-credentials").isEmpty)
        }
    }

    @Test func pathRulesAndPatternsApplyWhereTheySay() throws {
        let psl = PublicSuffixList.bundled
        let pattern = try OriginPattern.parse("https://*.partner.example", psl: psl).get()
        let policy = Policy(
            defaults: CORSRule(origins: [origin("https://app.example.com")], methods: [.put], maxAge: 600),
            paths: [PathRule(prefix: PathPrefix("/admin/")!,
                             rule: CORSRule(origins: [origin("https://admin.example.com")], methods: [.delete], maxAge: 60)),
                    PathRule(prefix: PathPrefix("/public/")!,
                             rule: CORSRule(origins: [], patterns: [pattern], maxAge: 7200))])
        try RealNginx.with(policy) { server in
            let app = try server.request("/v1/x", headers: ["Origin: https://app.example.com"])
            #expect(app.header("access-control-allow-origin") == ["https://app.example.com"])
            let appOnAdmin = try server.request("/admin/users", headers: ["Origin: https://app.example.com"])
            #expect(!appOnAdmin.hasCORSHeaders, "the admin rule does not list app.example.com")
            let admin = try server.request("/admin/users", method: "OPTIONS", headers: [
                "Origin: https://admin.example.com", "Access-Control-Request-Method: DELETE"])
            #expect(admin.status == 204)
            #expect(admin.header("access-control-allow-methods") == ["DELETE"])
            #expect(admin.header("access-control-max-age") == ["60"])
            let shop = try server.request("/public/a", headers: ["Origin: https://shop.partner.example"])
            #expect(shop.header("access-control-allow-origin") == ["https://shop.partner.example"])
            for trick in ["https://a.b.partner.example", "https://partner.example", "https://shop.partner.example.evil.test",
                          "https://shoppartner.example", "http://shop.partner.example"] {
                #expect(!(try server.request("/public/a", headers: ["Origin: \(trick)"])).hasCORSHeaders, "\(trick)")
            }
        }
    }

    @Test func theRecommendedLogFormatIsWhatNginxWritesAndCorslogReads() throws {
        try RealNginx.with(Policy(proposal: sampleProposal)) { server in
            _ = try server.request("/v1/orders?x=1", headers: ["Origin: https://app.example.com"])
            _ = try server.request("/v1/orders/7", method: "OPTIONS", headers: [
                "Origin: https://app.example.com", "Access-Control-Request-Method: PUT",
                "Access-Control-Request-Headers: authorization"])
            _ = try server.request("/v1/orders", headers: ["Origin: https://evil.test\"quote"])
            _ = try server.request("/v1/orders", headers: [])
            server.stop(SIGQUIT)
            var options = AnalysisOptions(paths: [server.dir.appendingPathComponent("access.log").path])
            options.format = .given(LogFormat.preset("nginx-cors")!)
            let a = try Analyzer.analyze(options)
            #expect(a.input.parsed == 5, "four requests and the start-up probe")
            #expect(a.input.skipped == 0)
            let s = try #require(a.evidence.origins[origin("https://app.example.com")])
            #expect(s.requests == 2)
            #expect(s.preflights == 1)
            #expect(s.requestedMethods == [.put: 1])
            #expect(s.requestedHeaders == [HeaderName("authorization")!: 1])
            #expect(s.allowOriginAnswers.echoed == 2)
            #expect(a.evidence.invalid.requests == 1)
            #expect(a.evidence.linesWithoutOrigin == 2)
        }
    }
}

/// nginx running `NginxRenderer.standalone`.
enum RealNginx {
    static let binary = "/usr/sbin/nginx"

    static func with(_ policy: Policy, _ body: (RealServer) throws -> Void) throws {
        try RealServer.with("nginx", configure: { dir, port in
            let options = try StandaloneOptions.make(listen: "127.0.0.1:\(port)",
                                                     accessLog: dir.appendingPathComponent("access.log").path).get()
            let config = try #require(NginxRenderer().standalone(policy, context: RenderContext(), options: options))
            let file = dir.appendingPathComponent("nginx.conf")
            try config.write(to: file, atomically: true, encoding: .utf8)
            let check = try runProcess(binary, ["-t", "-p", dir.path, "-c", file.path, "-e", dir.appendingPathComponent("error.log").path])
            #expect(check.status == 0, "nginx -t: \(check.err)")
            return RealServer.Launch(executable: binary,
                                     arguments: ["-p", dir.path, "-c", file.path, "-e", dir.appendingPathComponent("error.log").path],
                                     stopSignal: SIGQUIT)
        }, body)
    }
}
