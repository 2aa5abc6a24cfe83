import Foundation
import Testing
@testable import CorsLogKit

/// The caddy target inside a real Caddy 2.6: its standalone configuration
/// (which embeds the very snippets `render` prints) answers as browsers need,
/// and the snippet pasted as its header comment says (inside `handle` blocks,
/// in front of a `reverse_proxy`) does too.
@Suite(.serialized, .enabled(if: serverAvailable(RealCaddy.binary),
                             "caddy is not installed (apt-get install caddy): real-server test skipped"))
struct CaddyRealServerTests {
    @Test func allowedOriginsGetTheirOriginBackAndOthersGetNothing() throws {
        try RealCaddy.with(Policy(proposal: sampleProposal)) { server in
            let allowed = try server.request("/v1/orders", headers: ["Origin: https://app.example.com"])
            #expect(allowed.status == 200)
            #expect(allowed.header("access-control-allow-origin") == ["https://app.example.com"])
            #expect(allowed.header("access-control-allow-credentials").isEmpty, "credentials only when the rule says so")
            #expect(allowed.header("vary") == ["Origin"])
            for stranger in ["https://evil.test", "null"] {
                let r = try server.request("/v1/orders", headers: ["Origin: \(stranger)"])
                #expect(r.status == 200)
                #expect(!r.hasCORSHeaders, "\(stranger) must get no CORS header")
                #expect(r.header("vary") == ["Origin"], "Vary: Origin on every response")
            }
            let none = try server.request("/v1/orders", headers: [])
            #expect(!none.hasCORSHeaders, "no Origin, no CORS headers")
            #expect(none.header("vary") == ["Origin"])
            try ScannerProbes.expectNoneGetCORS(server, path: "/v1/orders")
        }
    }

    @Test func errorResponsesFromTheAppKeepTheHeaders() throws {
        try RealCaddy.with(Policy(proposal: sampleProposal)) { server in
            let missing = try server.request("/missing/x", headers: ["Origin: https://app.example.com"])
            #expect(missing.status == 404)
            #expect(missing.header("access-control-allow-origin") == ["https://app.example.com"])
            #expect(missing.header("vary") == ["Origin"])
            let other = try server.request("/missing/x", headers: ["Origin: https://evil.test"])
            #expect(other.status == 404)
            #expect(!other.hasCORSHeaders)
        }
    }

    @Test func preflightsFromAllowedOriginsAreAnswered204() throws {
        try RealCaddy.with(Policy(proposal: sampleProposal)) { server in
            let ok = try server.request("/v1/orders/7", method: "OPTIONS", headers: [
                "Origin: https://partner.example.net:8443", "Access-Control-Request-Method: PUT",
                "Access-Control-Request-Headers: authorization,content-type"])
            #expect(ok.status == 204)
            #expect(ok.header("access-control-allow-origin") == ["https://partner.example.net:8443"])
            #expect(ok.header("access-control-allow-methods") == ["DELETE, PUT"])
            #expect(ok.header("access-control-allow-headers") == ["authorization, content-type"])
            #expect(ok.header("access-control-max-age") == ["3600"])
            #expect(ok.header("vary") == ["Origin", "Access-Control-Request-Method, Access-Control-Request-Headers"])
            // OPTIONS without Access-Control-Request-Method is not a preflight: the app answers.
            let plainOptions = try server.request("/v1/orders", method: "OPTIONS", headers: ["Origin: https://app.example.com"])
            #expect(plainOptions.status == 200)
            #expect(plainOptions.header("access-control-allow-origin") == ["https://app.example.com"])
            #expect(plainOptions.header("access-control-allow-methods").isEmpty)
            // A preflight from another origin is not answered by the policy either.
            let stranger = try server.request("/v1/orders", method: "OPTIONS", headers: [
                "Origin: https://evil.test", "Access-Control-Request-Method: PUT"])
            #expect(stranger.status == 200)
            #expect(!stranger.hasCORSHeaders)
        }
    }

    @Test func twoOriginHeadersGetNothing() throws {
        // {http.request.header.Origin} is the values joined with ",", which no anchored regex matches.
        try RealCaddy.with(Policy(proposal: sampleProposal)) { server in
            for pair in [["https://app.example.com", "https://evil.test"], ["https://evil.test", "https://app.example.com"],
                         ["https://app.example.com", "https://app.example.com"]] {
                let r = try server.request("/v1/orders", headers: pair.map { "Origin: \($0)" })
                #expect(!r.hasCORSHeaders, "\(pair)")
                let p = try server.request("/v1/orders", method: "OPTIONS",
                                           headers: pair.map { "Origin: \($0)" } + ["Access-Control-Request-Method: PUT"])
                #expect(p.status == 200, "\(pair)")
                #expect(!p.hasCORSHeaders, "\(pair)")
            }
        }
    }

    @Test func anIPv6OriginIsMatchedExactly() throws {
        try RealCaddy.with(ScannerProbes.ipv6Policy) { try ScannerProbes.expectIPv6MatchedExactly($0) }
    }

    @Test func credentialsOnlyForAllowedOrigins() throws {
        var p = sampleProposal
        p.credentials = true
        try RealCaddy.with(Policy(proposal: p)) { server in
            let allowed = try server.request("/", headers: ["Origin: https://app.example.com"])
            #expect(allowed.header("access-control-allow-credentials") == ["true"])
            let preflight = try server.request("/", method: "OPTIONS", headers: [
                "Origin: https://app.example.com", "Access-Control-Request-Method: PUT"])
            #expect(preflight.status == 204)
            #expect(preflight.header("access-control-allow-credentials") == ["true"])
            let other = try server.request("/", headers: ["Origin: https://evil.test"])
            #expect(!other.hasCORSHeaders)
        }
    }

    static let pathPolicy: Policy = {
        let psl = PublicSuffixList.bundled
        let pattern = try! OriginPattern.parse("https://*.partner.example", psl: psl).get()
        return Policy(
            defaults: CORSRule(origins: [origin("https://app.example.com")], methods: [.put], maxAge: 600),
            paths: [PathRule(prefix: PathPrefix("/admin/")!,
                             rule: CORSRule(origins: [origin("https://admin.example.com")], methods: [.delete], maxAge: 60)),
                    PathRule(prefix: PathPrefix("/public/")!,
                             rule: CORSRule(origins: [], patterns: [pattern], maxAge: 7200)),
                    PathRule(prefix: PathPrefix("/public/private/")!,
                             rule: CORSRule(origins: [origin("https://app.example.com")], credentials: true, maxAge: 5))])
    }()

    @Test func pathRulesAndPatternsApplyWhereTheySay() throws {
        try RealCaddy.with(Self.pathPolicy) { server in
            let app = try server.request("/v1/x", headers: ["Origin: https://app.example.com"])
            #expect(app.header("access-control-allow-origin") == ["https://app.example.com"])
            // The admin rule replaces the defaults; Caddy's path matcher cleans the path and ignores case,
            // as the site's own handle blocks do, so these are all /admin/.
            for path in ["/admin/users", "//admin/users", "/ADMIN/users", "/%61dmin/users", "/v1/../admin/users"] {
                let appOnAdmin = try server.request(path, headers: ["Origin: https://app.example.com"])
                #expect(!appOnAdmin.hasCORSHeaders, "the admin rule does not list app.example.com: \(path)")
                #expect(appOnAdmin.header("vary") == ["Origin"], "one rule only: \(path)")
                let appPreflight = try server.request(path, method: "OPTIONS", headers: [
                    "Origin: https://app.example.com", "Access-Control-Request-Method: PUT"])
                #expect(appPreflight.status == 200, "\(path)")
                #expect(!appPreflight.hasCORSHeaders, "\(path)")
            }
            let admin = try server.request("/admin/users", method: "OPTIONS", headers: [
                "Origin: https://admin.example.com", "Access-Control-Request-Method: DELETE"])
            #expect(admin.status == 204)
            #expect(admin.header("access-control-allow-origin") == ["https://admin.example.com"])
            #expect(admin.header("access-control-allow-methods") == ["DELETE"])
            #expect(admin.header("access-control-max-age") == ["60"])
            #expect(!(try server.request("/v1/x", headers: ["Origin: https://admin.example.com"])).hasCORSHeaders)
            let shop = try server.request("/public/a", headers: ["Origin: https://shop.partner.example"])
            #expect(shop.header("access-control-allow-origin") == ["https://shop.partner.example"])
            let shopPreflight = try server.request("/public/a", method: "OPTIONS", headers: [
                "Origin: https://shop.partner.example", "Access-Control-Request-Method: POST"])
            #expect(shopPreflight.status == 204)
            #expect(shopPreflight.header("access-control-allow-origin") == ["https://shop.partner.example"])
            #expect(shopPreflight.header("access-control-max-age") == ["7200"])
            #expect(shopPreflight.header("access-control-allow-methods").isEmpty, "the rule lists no method")
            for trick in ["https://a.b.partner.example", "https://partner.example", "https://shop.partner.example.evil.test",
                          "https://shoppartner.example", "http://shop.partner.example", "https://SHOP.partner.example",
                          "https://shop.partner.example/", "https://-shop.partner.example", "https://shop.partner.example:443"] {
                #expect(!(try server.request("/public/a", headers: ["Origin: \(trick)"])).hasCORSHeaders, "\(trick)")
            }
            #expect(!(try server.request("/v1/x", headers: ["Origin: https://shop.partner.example"])).hasCORSHeaders,
                    "the pattern is for /public/ only")
            // The longest prefix wins: /public/private/ has its own rule, with credentials.
            let priv = try server.request("/public/private/a", headers: ["Origin: https://app.example.com"])
            #expect(priv.header("access-control-allow-origin") == ["https://app.example.com"])
            #expect(priv.header("access-control-allow-credentials") == ["true"])
            #expect(priv.header("vary") == ["Origin"], "one rule only")
            #expect(!(try server.request("/public/private/a", headers: ["Origin: https://shop.partner.example"])).hasCORSHeaders)
            #expect((try server.request("/public/a", headers: ["Origin: https://app.example.com"]))
                .header("access-control-allow-credentials").isEmpty)
            try ScannerProbes.expectNoneGetCORS(server, path: "/v1/x")
            try ScannerProbes.expectNoneGetCORS(server, path: "/public/private/a")
        }
    }

    /// The snippet as the header comment says to paste it: inside each `handle`
    /// of a site, and `corslog_cors_upstream` inside `reverse_proxy`, in front of
    /// an application that sends `Access-Control-Allow-Origin: *` itself.
    @Test func theSnippetInsideHandleBlocksInFrontOfAProxiedApp() throws {
        var p = sampleProposal
        p.credentials = true
        let snippet = CaddyRenderer().render(Policy(proposal: p), context: RenderContext())
        try RealServer.with("caddy-snippet", configure: { dir, port in
            let appPort = port + 1
            let config = """
            {
            \tadmin off
            \tauto_https off
            }
            \(snippet)
            http://127.0.0.1:\(appPort) {
            \tbind 127.0.0.1
            \theader Access-Control-Allow-Origin *
            \theader Access-Control-Allow-Credentials true
            \theader Access-Control-Allow-Methods *
            \trespond /app/missing 404
            \trespond "app" 200
            }
            http://127.0.0.1:\(port) {
            \tbind 127.0.0.1
            \thandle /app/* {
            \t\timport corslog_cors
            \t\treverse_proxy 127.0.0.1:\(appPort) {
            \t\t\timport corslog_cors_upstream
            \t\t}
            \t}
            \thandle /raw/* {
            \t\timport corslog_cors
            \t\treverse_proxy 127.0.0.1:\(appPort)
            \t}
            \thandle /down/* {
            \t\timport corslog_cors
            \t\treverse_proxy 127.0.0.1:1
            \t}
            \thandle /files/* {
            \t\timport corslog_cors
            \t\tfile_server {
            \t\t\troot \(dir.path)
            \t\t}
            \t}
            \thandle {
            \t\timport corslog_cors
            \t\trespond "ok" 200
            \t}
            }
            """
            return try RealCaddy.launch(config, in: dir)
        }) { server in
            let proxied = try server.request("/app/x", headers: ["Origin: https://app.example.com"])
            #expect(proxied.status == 200)
            #expect(proxied.header("access-control-allow-origin") == ["https://app.example.com"], "ours, once")
            #expect(proxied.header("access-control-allow-credentials") == ["true"])
            #expect(proxied.header("access-control-allow-methods").isEmpty, "the app's own is dropped")
            let appMissing = try server.request("/app/missing", headers: ["Origin: https://app.example.com"])
            #expect(appMissing.status == 404)
            #expect(appMissing.header("access-control-allow-origin") == ["https://app.example.com"])
            let strangerProxied = try server.request("/app/x", headers: ["Origin: https://evil.test"])
            #expect(!strangerProxied.hasCORSHeaders, "the app's * must not reach a refused origin")
            #expect(strangerProxied.header("vary").contains("Origin"))
            let preflight = try server.request("/app/x", method: "OPTIONS", headers: [
                "Origin: https://app.example.com", "Access-Control-Request-Method: PUT"])
            #expect(preflight.status == 204)
            #expect(preflight.header("access-control-allow-methods") == ["DELETE, PUT"])
            // Without corslog_cors_upstream the browser would see two values, which is why the comment asks for it.
            let raw = try server.request("/raw/x", headers: ["Origin: https://app.example.com"])
            #expect(raw.header("access-control-allow-origin") == ["https://app.example.com", "*"])
            // Errors returned by handlers (no handle_errors) keep the headers set before them.
            let down = try server.request("/down/x", headers: ["Origin: https://app.example.com"])
            #expect(down.status == 502)
            #expect(down.header("access-control-allow-origin") == ["https://app.example.com"])
            let noFile = try server.request("/files/nothing-here", headers: ["Origin: https://app.example.com"])
            #expect(noFile.status == 404)
            #expect(noFile.header("access-control-allow-origin") == ["https://app.example.com"])
            #expect((try server.request("/other", headers: ["Origin: https://app.example.com"]))
                .header("access-control-allow-origin") == ["https://app.example.com"])
            try ScannerProbes.expectNoneGetCORS(server, path: "/app/x")
        }
    }

    /// Why origins are never compared with the `header` matcher: in Caddy 2.6 a
    /// `*` at either end of its value is a prefix/suffix wildcard that spans any
    /// number of labels and the scheme, a `*` inside is a literal `*`, and any
    /// other value is compared exactly, case-sensitively.
    @Test func theHeaderMatcherWildcardSpansLabels() throws {
        try RealServer.with("caddy-header-matcher", configure: { dir, port in
            try RealCaddy.launch("""
            {
            \tadmin off
            \tauto_https off
            }
            http://127.0.0.1:\(port) {
            \tbind 127.0.0.1
            \t@star header Origin *.example.com
            \theader @star X-Star yes
            \t@inner header Origin https://*.example.com
            \theader @inner X-Inner yes
            \t@exact header Origin https://app.example.com
            \theader @exact X-Exact yes
            \trespond "ok" 200
            }
            """, in: dir)
        }) { server in
            func header(_ name: String, for origin: String) throws -> [String] {
                try server.request("/", headers: ["Origin: \(origin)"]).header(name)
            }
            #expect(try header("x-star", for: "https://a.b.example.com") == ["yes"])
            #expect(try header("x-star", for: "http://evil.test.example.com") == ["yes"])
            #expect(try header("x-inner", for: "https://app.example.com").isEmpty, "a * inside is literal")
            #expect(try header("x-inner", for: "https://*.example.com") == ["yes"])
            #expect(try header("x-exact", for: "https://app.example.com") == ["yes"])
            #expect(try header("x-exact", for: "HTTPS://APP.EXAMPLE.COM").isEmpty)
            #expect(try header("x-exact", for: "https://app.example.com/").isEmpty)
            #expect(try header("x-exact", for: "https://app.example.com:443").isEmpty)
            _ = try server.request("/", headers: [])
        }
    }

    @Test func theAccessLogIsWhatCorslogReads() throws {
        try RealCaddy.with(Policy(proposal: sampleProposal)) { server in
            _ = try server.request("/v1/orders?x=1", headers: ["Origin: https://app.example.com"])
            _ = try server.request("/v1/orders/7", method: "OPTIONS", headers: [
                "Origin: https://app.example.com", "Access-Control-Request-Method: PUT",
                "Access-Control-Request-Headers: authorization"])
            _ = try server.request("/v1/orders", headers: ["Origin: https://evil.test\"quote"])
            _ = try server.request("/v1/orders", headers: [])
            server.stop(SIGINT)
            let log = server.dir.appendingPathComponent("access.log")
            let text = try String(contentsOf: log, encoding: .utf8)
            #expect(text.contains(#""Origin":["https://app.example.com"]"#), "Caddy logs header values as arrays")
            var options = AnalysisOptions(paths: [log.path])
            options.format = .given(LogFormat.preset("json")!)
            let a = try Analyzer.analyze(options)
            #expect(a.input.parsed == 5, "four requests and the start-up probe")
            #expect(a.input.skipped == 0)
            let s = try #require(a.evidence.origins[origin("https://app.example.com")])
            #expect(s.requests == 2)
            #expect(s.preflights == 1)
            #expect(s.requestedMethods == [.put: 1])
            #expect(s.requestedHeaders == [HeaderName("authorization")!: 1])
            #expect(s.allowOriginAnswers.echoed == 2, "resp_headers.Access-Control-Allow-Origin is read")
            #expect(a.evidence.invalid.requests == 1)
            #expect(a.evidence.linesWithoutOrigin == 2)
        }
    }
}

/// Caddy running `CaddyRenderer.standalone`, with HOME and the XDG folders in
/// the test's folder (Caddy 2.6 writes autosave.json and ~/.step there).
enum RealCaddy {
    static let binary = "/usr/bin/caddy"

    static func environment(_ dir: URL) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = dir.path
        env["XDG_DATA_HOME"] = dir.appendingPathComponent("xdg-data").path
        env["XDG_CONFIG_HOME"] = dir.appendingPathComponent("xdg-config").path
        return env
    }

    /// Runs `caddy validate`; `(status, output)`.
    static func validate(_ file: URL, in dir: URL) throws -> (status: Int32, out: String) {
        var args = ["HOME=\(dir.path)", "XDG_DATA_HOME=\(dir.appendingPathComponent("xdg-data").path)",
                    "XDG_CONFIG_HOME=\(dir.appendingPathComponent("xdg-config").path)"]
        args += [binary, "validate", "--config", file.path, "--adapter", "caddyfile"]
        let r = try runProcess("/usr/bin/env", args)
        return (r.status, r.out + r.err)
    }

    /// Writes `config`, checks it with `caddy validate`, and says how to run it.
    static func launch(_ config: String, in dir: URL) throws -> RealServer.Launch {
        let file = dir.appendingPathComponent("Caddyfile")
        try config.write(to: file, atomically: true, encoding: .utf8)
        let check = try validate(file, in: dir)
        #expect(check.status == 0, "caddy validate: \(check.out)")
        return RealServer.Launch(executable: binary, arguments: ["run", "--config", file.path, "--adapter", "caddyfile"],
                                 environment: environment(dir), stopSignal: SIGINT)
    }

    /// The standalone, plus `respond /missing/* 404` so that a test sees an error from the app.
    static func with(_ policy: Policy, _ body: (RealServer) throws -> Void) throws {
        try RealServer.with("caddy", configure: { dir, port in
            let options = try StandaloneOptions.make(listen: "127.0.0.1:\(port)",
                                                     accessLog: dir.appendingPathComponent("access.log").path).get()
            let config = try #require(CaddyRenderer().standalone(policy, context: RenderContext(), options: options))
            let stub = "\trespond \"ok\" 200\n}\n"
            #expect(config.hasSuffix(stub))
            return try launch(String(config.dropLast(stub.count)) + "\trespond /missing/* 404\n" + stub, in: dir)
        }, body)
    }
}
