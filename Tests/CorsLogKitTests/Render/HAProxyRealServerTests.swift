import Foundation
import Testing
@testable import CorsLogKit

/// The HAProxy target inside a real HAProxy: its standalone configuration
/// (which embeds the very snippet `render` prints) answers as browsers need,
/// and the HAProxy behaviour the renderer is built on is what it is.
@Suite(.serialized, .enabled(if: serverAvailable(RealHAProxy.binary),
                             "haproxy is not installed (apt-get install haproxy): real-server test skipped"))
struct HAProxyRealServerTests {
    @Test func allowedOriginsGetTheirOriginBackAndOthersGetNothing() throws {
        try RealHAProxy.with(Policy(proposal: sampleProposal)) { server in
            let allowed = try server.request("/v1/orders", headers: ["Origin: https://app.example.com"])
            #expect(allowed.status == 200)
            #expect(allowed.header("access-control-allow-origin") == ["https://app.example.com"])
            #expect(allowed.header("vary") == ["Origin"])
            #expect(allowed.header("access-control-allow-methods").isEmpty, "only preflights list methods")
            let partner = try server.request("/v1/orders", headers: ["Origin: https://partner.example.net:8443"])
            #expect(partner.header("access-control-allow-origin") == ["https://partner.example.net:8443"])
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

    @Test func anOriginListOrTwoOriginHeadersGetNothing() throws {
        try RealHAProxy.with(Policy(proposal: sampleProposal)) { server in
            // req.hdr(origin) would split this on the comma and match its second half
            // (HAProxyFacts below shows it does); the renderer compares req.fhdr whole.
            for list in ["https://evil.test, https://app.example.com", "https://app.example.com, https://evil.test",
                         "https://app.example.com,https://app.example.com"] {
                let get = try server.request("/v1/orders", headers: ["Origin: \(list)"])
                #expect(!get.hasCORSHeaders, "\(list)")
                let preflight = try server.request("/v1/orders", method: "OPTIONS", headers: [
                    "Origin: \(list)", "Access-Control-Request-Method: PUT"])
                #expect(preflight.status == 200, "not answered as a preflight: \(list)")
                #expect(!preflight.hasCORSHeaders, "\(list)")
            }
            let two = try server.request("/v1/orders", headers: ["Origin: https://evil.test", "Origin: https://app.example.com"])
            #expect(!two.hasCORSHeaders, "two Origin headers: req.fhdr would take the last")
            let same = try server.request("/v1/orders", headers: ["Origin: https://app.example.com", "Origin: https://app.example.com"])
            #expect(!same.hasCORSHeaders, "exactly one Origin header")
        }
    }

    @Test func preflightsFromAllowedOriginsAreAnswered204() throws {
        try RealHAProxy.with(Policy(proposal: sampleProposal)) { server in
            let ok = try server.request("/v1/orders/7", method: "OPTIONS", headers: [
                "Origin: https://partner.example.net:8443", "Access-Control-Request-Method: PUT",
                "Access-Control-Request-Headers: authorization,content-type"])
            #expect(ok.status == 204)
            #expect(ok.header("access-control-allow-origin") == ["https://partner.example.net:8443"])
            #expect(ok.header("access-control-allow-methods") == ["DELETE, PUT"])
            #expect(ok.header("access-control-allow-headers") == ["authorization, content-type"])
            #expect(ok.header("access-control-max-age") == ["3600"])
            #expect(ok.header("access-control-allow-credentials").isEmpty)
            #expect(ok.header("vary") == ["Origin, Access-Control-Request-Method, Access-Control-Request-Headers"])
            // OPTIONS without Access-Control-Request-Method is not a preflight: the application answers.
            let plainOptions = try server.request("/v1/orders", method: "OPTIONS", headers: ["Origin: https://app.example.com"])
            #expect(plainOptions.status == 200)
            #expect(plainOptions.header("access-control-allow-origin") == ["https://app.example.com"])
            #expect(plainOptions.header("access-control-allow-methods").isEmpty)
            #expect(plainOptions.header("access-control-max-age").isEmpty)
            // A preflight from another origin goes to the application, and gets nothing.
            let refused = try server.request("/v1/orders", method: "OPTIONS", headers: [
                "Origin: https://evil.test", "Access-Control-Request-Method: PUT"])
            #expect(refused.status == 200)
            #expect(!refused.hasCORSHeaders)
            // A GET with Access-Control-Request-Method is no preflight either.
            let get = try server.request("/v1/orders", headers: ["Origin: https://app.example.com", "Access-Control-Request-Method: PUT"])
            #expect(get.status == 200)
            #expect(get.header("access-control-allow-methods").isEmpty)
        }
    }

    @Test func credentialsOnlyWhenTheRuleSaysSo() throws {
        var p = sampleProposal
        try RealHAProxy.with(Policy(proposal: p)) { server in
            let allowed = try server.request("/", headers: ["Origin: https://app.example.com"])
            #expect(allowed.header("access-control-allow-origin") == ["https://app.example.com"])
            #expect(allowed.header("access-control-allow-credentials").isEmpty)
        }
        p.credentials = true
        try RealHAProxy.with(Policy(proposal: p)) { server in
            let allowed = try server.request("/", headers: ["Origin: https://app.example.com"])
            #expect(allowed.header("access-control-allow-credentials") == ["true"])
            let preflight = try server.request("/", method: "OPTIONS", headers: [
                "Origin: https://app.example.com", "Access-Control-Request-Method: DELETE"])
            #expect(preflight.status == 204)
            #expect(preflight.header("access-control-allow-credentials") == ["true"])
            let other = try server.request("/", headers: ["Origin: https://evil.test"])
            #expect(!other.hasCORSHeaders)
        }
    }

    @Test func pathRulesAndPatternsApplyWhereTheySay() throws {
        let psl = PublicSuffixList.bundled
        let pattern = try OriginPattern.parse("https://*.partner.example", psl: psl).get()
        let policy = Policy(
            defaults: CORSRule(origins: [origin("https://app.example.com")], methods: [.put], maxAge: 600),
            paths: [PathRule(prefix: PathPrefix("/admin/")!,
                             rule: CORSRule(origins: [origin("https://admin.example.com")], methods: [.delete], maxAge: 60)),
                    PathRule(prefix: PathPrefix("/admin/keys/")!,
                             rule: CORSRule(origins: [origin("https://keys.example.com")], credentials: true, maxAge: 30)),
                    PathRule(prefix: PathPrefix("/public/")!,
                             rule: CORSRule(origins: [], patterns: [pattern], exposeHeaders: [HeaderName("x-total")!], maxAge: 7200))])
        try RealHAProxy.with(policy) { server in
            let app = try server.request("/v1/x", headers: ["Origin: https://app.example.com"])
            #expect(app.header("access-control-allow-origin") == ["https://app.example.com"])
            let appOnAdmin = try server.request("/admin/users", headers: ["Origin: https://app.example.com"])
            #expect(!appOnAdmin.hasCORSHeaders, "the admin rule replaces the defaults and does not list app.example.com")
            #expect(appOnAdmin.header("vary") == ["Origin"])
            // An application may route these to /admin/ too: they are /admin/ for the policy.
            for disguised in ["/%61dmin/users", "//admin/users", "/admin//users"] {
                #expect(!(try server.request(disguised, headers: ["Origin: https://app.example.com"])).hasCORSHeaders, "\(disguised)")
                #expect(try server.request(disguised, headers: ["Origin: https://admin.example.com"])
                    .header("access-control-allow-origin") == ["https://admin.example.com"], "\(disguised)")
            }
            // Browsers resolve dot segments; a path that still has one gets nothing.
            for dots in ["/public/../admin/users", "/public/%2e%2e/admin/users", "/public/./a", "/v1/.."] {
                for o in ["https://shop.partner.example", "https://app.example.com", "https://admin.example.com"] {
                    #expect(!(try server.request(dots, headers: ["Origin: \(o)"])).hasCORSHeaders, "\(dots) \(o)")
                }
            }
            #expect(try server.request("/v1/..x", headers: ["Origin: https://app.example.com"])
                .header("access-control-allow-origin") == ["https://app.example.com"], "..x is no dot segment")
            let appPreflightOnAdmin = try server.request("/admin/x", method: "OPTIONS", headers: [
                "Origin: https://app.example.com", "Access-Control-Request-Method: PUT"])
            #expect(appPreflightOnAdmin.status == 200)
            #expect(!appPreflightOnAdmin.hasCORSHeaders)
            let admin = try server.request("/admin/users", method: "OPTIONS", headers: [
                "Origin: https://admin.example.com", "Access-Control-Request-Method: DELETE"])
            #expect(admin.status == 204)
            #expect(admin.header("access-control-allow-methods") == ["DELETE"])
            #expect(admin.header("access-control-max-age") == ["60"])
            #expect(admin.header("access-control-allow-credentials").isEmpty)
            // The longest prefix wins: /admin/keys/ is not /admin/.
            let keys = try server.request("/admin/keys/1", headers: ["Origin: https://keys.example.com"])
            #expect(keys.header("access-control-allow-origin") == ["https://keys.example.com"])
            #expect(keys.header("access-control-allow-credentials") == ["true"])
            #expect(!(try server.request("/admin/keys/1", headers: ["Origin: https://admin.example.com"])).hasCORSHeaders)
            #expect(!(try server.request("/admin/users", headers: ["Origin: https://keys.example.com"])).hasCORSHeaders)
            let keysPreflight = try server.request("/admin/keys/1", method: "OPTIONS", headers: [
                "Origin: https://keys.example.com", "Access-Control-Request-Method: GET"])
            #expect(keysPreflight.status == 204)
            #expect(keysPreflight.header("access-control-allow-methods").isEmpty, "the rule has no methods")
            #expect(keysPreflight.header("access-control-max-age") == ["30"])
            // The pattern: one label, echoed after its anchored regex matched.
            let shop = try server.request("/public/a", headers: ["Origin: https://shop.partner.example"])
            #expect(shop.header("access-control-allow-origin") == ["https://shop.partner.example"])
            #expect(shop.header("access-control-expose-headers") == ["x-total"])
            let shopPreflight = try server.request("/public/a", method: "OPTIONS", headers: [
                "Origin: https://a-1.partner.example", "Access-Control-Request-Method: GET"])
            #expect(shopPreflight.status == 204)
            #expect(shopPreflight.header("access-control-allow-origin") == ["https://a-1.partner.example"])
            #expect(shopPreflight.header("access-control-expose-headers").isEmpty)
            #expect(shopPreflight.header("access-control-max-age") == ["7200"])
            for trick in ["https://a.b.partner.example", "https://partner.example", "https://shop.partner.example.evil.test",
                          "https://shoppartner.example", "http://shop.partner.example", "HTTPS://SHOP.PARTNER.EXAMPLE",
                          "https://-x.partner.example", "https://shop.partner.example:443", "https://shop.partner.example/",
                          "https://evil.test, https://shop.partner.example"] {
                #expect(!(try server.request("/public/a", headers: ["Origin: \(trick)"])).hasCORSHeaders, "\(trick)")
            }
            #expect(!(try server.request("/v1/x", headers: ["Origin: https://shop.partner.example"])).hasCORSHeaders,
                    "the pattern belongs to /public/ only")
        }
    }

    @Test func responsesFromTheApplicationAndFromHAProxyItselfCarryTheHeaders() throws {
        // A stub that answers 404, and one that sends its own CORS headers and Vary.
        let stub = """
            http-request return status 404 content-type text/plain string "missing" if { path_beg /missing }
                http-request return status 200 content-type text/plain string "ok" hdr Access-Control-Allow-Origin "*" hdr Access-Control-Allow-Methods "*" hdr Access-Control-Max-Age 99 if { path_beg /star }
                http-request return status 200 content-type text/plain string "ok" hdr Vary Origin if { path_beg /vary-origin }
                http-request return status 200 content-type text/plain string "ok" hdr Vary Accept-Encoding if { path_beg /vary-other }
                \(HAProxyRenderer.stubAnswer)
            """
        try RealHAProxy.with(Policy(proposal: sampleProposal), stub: stub) { server in
            let missing = try server.request("/missing/x", headers: ["Origin: https://app.example.com"])
            #expect(missing.status == 404)
            #expect(missing.header("access-control-allow-origin") == ["https://app.example.com"])
            #expect(missing.header("vary") == ["Origin"])
            let star = try server.request("/star", headers: ["Origin: https://app.example.com"])
            #expect(star.header("access-control-allow-origin") == ["https://app.example.com"], "one header, ours, not *")
            #expect(star.header("access-control-allow-methods").isEmpty)
            #expect(star.header("access-control-max-age").isEmpty)
            let starPreflight = try server.request("/star", method: "OPTIONS", headers: [
                "Origin: https://app.example.com", "Access-Control-Request-Method: PUT"])
            #expect(starPreflight.status == 204)
            #expect(starPreflight.header("access-control-allow-methods") == ["DELETE, PUT"])
            let starOther = try server.request("/star", headers: ["Origin: https://evil.test"])
            #expect(!starOther.hasCORSHeaders, "the application's * is removed for other origins")
            let starNone = try server.request("/star", headers: [])
            #expect(!starNone.hasCORSHeaders)
            let varyOrigin = try server.request("/vary-origin", headers: ["Origin: https://app.example.com"])
            #expect(varyOrigin.header("vary") == ["Origin"], "not a second Vary: Origin")
            let varyOther = try server.request("/vary-other", headers: ["Origin: https://app.example.com"])
            #expect(varyOther.header("vary") == ["Accept-Encoding", "Origin"])
        }
        // No application at all: HAProxy's own 503 (and the preflight, answered before any server).
        try RealHAProxy.with(Policy(proposal: sampleProposal), edit: { config, dir in
            config.replacingOccurrences(of: "    server app unix@\(dir.path)/corslog-stub.sock",
                                        with: "    retries 0\n    server app unix@\(dir.path)/absent.sock")
        }) { server in
            let down = try server.request("/v1/orders", headers: ["Origin: https://app.example.com"])
            #expect(down.status == 503)
            #expect(down.header("access-control-allow-origin") == ["https://app.example.com"])
            #expect(down.header("vary") == ["Origin"])
            let other = try server.request("/v1/orders", headers: ["Origin: https://evil.test"])
            #expect(other.status == 503)
            #expect(!other.hasCORSHeaders)
            let preflight = try server.request("/v1/orders", method: "OPTIONS", headers: [
                "Origin: https://app.example.com", "Access-Control-Request-Method: PUT"])
            #expect(preflight.status == 204)
            #expect(preflight.header("access-control-allow-methods") == ["DELETE, PUT"])
        }
    }

    @Test func theLogHAProxyWritesIsReadByTheNginxCORSPreset() throws {
        let psl = PublicSuffixList.bundled
        let policy = Policy(defaults: CORSRule(origins: [origin("https://app.example.com"), origin("http://[::1]:8080")],
                                               patterns: [try OriginPattern.parse("https://*.partner.example", psl: psl).get()],
                                               methods: [.put], credentials: true))
        try RealHAProxy.with(policy) { server in
            _ = try server.request("/v1/orders?x=1", headers: ["Origin: https://app.example.com", "Referer: https://app.example.com/"])
            _ = try server.request("/v1/orders/7", method: "OPTIONS", headers: [
                "Origin: https://app.example.com", "Access-Control-Request-Method: PUT",
                "Access-Control-Request-Headers: authorization"])
            _ = try server.request("/v1/orders", headers: ["Origin: http://[::1]:8080"])
            _ = try server.request("/v1/orders", headers: ["Origin: https://shop.partner.example"])
            _ = try server.request("/v1/orders", headers: ["Origin: https://evil.test\"quote\\x", "User-Agent: a\"b\\"])
            _ = try server.request("/v1/orders", headers: [])
            server.stop(SIGTERM)
            let log = server.dir.appendingPathComponent("access.log")
            let text = try String(contentsOf: log, encoding: .utf8)
            #expect(text.contains("\"https://evil.test\\x22quote\\x5Cx\""), "a quote cannot end the field: \(text)")
            #expect(text.contains("\"http://[::1]:8080\""), "] is not escaped")
            #expect(!text.contains("stopped"), "SIGTERM writes nothing more into the log")
            var options = AnalysisOptions(paths: [log.path])
            options.format = .given(LogFormat.preset("nginx-cors")!)
            let a = try Analyzer.analyze(options)
            #expect(a.input.parsed == 7, "six requests and the start-up probe")
            #expect(a.input.skipped == 0)
            let s = try #require(a.evidence.origins[origin("https://app.example.com")])
            #expect(s.requests == 2)
            #expect(s.preflights == 1)
            #expect(s.requestedMethods == [.put: 1])
            #expect(s.requestedHeaders == [HeaderName("authorization")!: 1])
            #expect(s.allowOriginAnswers.echoed == 2)
            #expect(a.evidence.origins[origin("http://[::1]:8080")]?.allowOriginAnswers.echoed == 1)
            #expect(a.evidence.origins[origin("https://shop.partner.example")]?.allowOriginAnswers.echoed == 1)
            #expect(a.evidence.invalid.requests == 1)
            #expect(a.evidence.linesWithoutOrigin == 2)
        }
    }

    @Test func aLongWorkDirectoryUsesAnAbstractSocketThatHAProxyAccepts() throws {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("corslog-haproxy-long-" + String(repeating: "d", count: 90))
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let options = try StandaloneOptions.make(listen: "127.0.0.1:18080", accessLog: dir.appendingPathComponent("access.log").path).get()
        let config = try #require(HAProxyRenderer().standalone(Policy(proposal: sampleProposal), context: RenderContext(), options: options))
        #expect(config.contains("server app abns@corslog-stub-18080"))
        let file = dir.appendingPathComponent("haproxy.cfg")
        try config.write(to: file, atomically: true, encoding: .utf8)
        let check = try runProcess(RealHAProxy.binary, ["-c", "-f", file.path])
        #expect(check.status == 0, "haproxy -c: \(check.err)")
    }
}

/// What HAProxy 2.6 itself does, on which the renderer is built (hand-written
/// configurations, not the renderer's).
@Suite(.serialized, .enabled(if: serverAvailable(RealHAProxy.binary),
                             "haproxy is not installed (apt-get install haproxy): real-server test skipped"))
struct HAProxyFacts {
    @Test func reqHdrSplitsOnCommasAndReqFhdrDoesNot() throws {
        let rules = """
                http-request set-var(txn.split) bool(true) if { req.hdr(origin) -m str https://app.example.com }
                http-request set-var(txn.whole) bool(true) if { req.fhdr(origin) -m str https://app.example.com }
                http-after-response set-header X-Split 1 if { var(txn.split) -m bool }
                http-after-response set-header X-Whole 1 if { var(txn.whole) -m bool }
                http-request return status 200
            """
        try RealHAProxy.withConfig(frontend: rules) { server in
            let list = try server.request("/", headers: ["Origin: https://evil.test, https://app.example.com"])
            #expect(list.header("x-split") == ["1"], "req.hdr matches one element of the comma-separated list")
            #expect(list.header("x-whole").isEmpty)
            let upper = try server.request("/", headers: ["Origin: HTTPS://APP.EXAMPLE.COM"])
            #expect(upper.header("x-whole").isEmpty, "-m str is case-sensitive")
            let exact = try server.request("/", headers: ["Origin: https://app.example.com"])
            #expect(exact.header("x-whole") == ["1"])
        }
    }

    @Test func httpResponseSkipsResponsesHAProxyMakesAndHttpAfterResponseDoesNot() throws {
        let rules = """
                http-response set-header X-Response 1
                http-after-response set-header X-After 1
                http-request return status 299 if { path /frontend-return }
                use_backend local if { path /backend-return }
                use_backend down if { path /down }
                default_backend app
            backend local
                http-request return status 200 content-type text/plain string "ok"
            backend down
                retries 0
                server none unix@DIR/absent.sock
            backend app
                server stub unix@DIR/stub.sock
            frontend stub
                bind unix@DIR/stub.sock
                http-request return status 404 content-type text/plain string "missing" if { path /missing }
                http-request return status 200 content-type text/plain string "ok"
            """
        try RealHAProxy.withConfig(frontend: rules) { server in
            for path in ["/", "/missing"] {
                let r = try server.request(path, headers: [])
                #expect(r.header("x-response") == ["1"], "a server's answer (\(r.status)) passes http-response rules")
                #expect(r.header("x-after") == ["1"])
            }
            for (path, status) in [("/frontend-return", 299), ("/backend-return", 200), ("/down", 503)] {
                let r = try server.request(path, headers: [])
                #expect(r.status == status)
                #expect(r.header("x-response").isEmpty, "http-response does not run on HAProxy's own \(path) answer")
                #expect(r.header("x-after") == ["1"], "http-after-response does, on \(path)")
            }
        }
    }
}

/// HAProxy running `HAProxyRenderer.standalone`, its access log on standard output
/// redirected into `access.log` as the standalone's header says.
enum RealHAProxy {
    static let binary = "/usr/sbin/haproxy"

    /// `stub` replaces the stand-in application's answer line; `edit` changes the
    /// configuration further (given it and the folder).
    static func with(_ policy: Policy, stub: String? = nil, edit: ((String, URL) -> String)? = nil,
                     _ body: (RealServer) throws -> Void) throws {
        try RealServer.with("haproxy", configure: { dir, port in
            let options = try StandaloneOptions.make(listen: "127.0.0.1:\(port)",
                                                     accessLog: dir.appendingPathComponent("access.log").path).get()
            var config = try #require(HAProxyRenderer().standalone(policy, context: RenderContext(), options: options))
            let snippet = HAProxyRenderer().snippet(policy).split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
            #expect(config.contains(snippet), "the standalone embeds the snippet")
            if let stub {
                #expect(config.contains(HAProxyRenderer.stubAnswer))
                config = config.replacingOccurrences(of: HAProxyRenderer.stubAnswer, with: stub)
            }
            if let edit { config = edit(config, dir) }
            return try launch(config, dir: dir)
        }, body)
    }

    /// A hand-written configuration: `frontend` holds the lines after the
    /// frontend's bind line (and may open further sections); DIR is the folder.
    static func withConfig(frontend: String, _ body: (RealServer) throws -> Void) throws {
        try RealServer.with("haproxy-facts", configure: { dir, port in
            let config = """
                global
                    pidfile \(dir.path)/haproxy.pid
                    noreuseport
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s
                frontend facts
                    bind 127.0.0.1:\(port)
                \(frontend.replacingOccurrences(of: "DIR", with: dir.path))

                """
            return try launch(config, dir: dir)
        }, body)
    }

    /// Checks the configuration with `haproxy -c` and starts it in the foreground
    /// in master-worker mode (`-W`), which writes the pid file: the test stops the
    /// master by its pid with SIGTERM, and the master stops its worker.
    private static func launch(_ config: String, dir: URL) throws -> RealServer.Launch {
        let file = dir.appendingPathComponent("haproxy.cfg")
        try config.write(to: file, atomically: true, encoding: .utf8)
        let check = try runProcess(binary, ["-c", "-f", file.path])
        #expect(check.status == 0, "haproxy -c: \(check.err)")
        #expect(!check.err.contains("WARNING"), "haproxy -c warns: \(check.err)")
        let log = dir.appendingPathComponent("access.log").path
        // exec: the shell becomes HAProxy, so the pid the test holds is HAProxy's master.
        return RealServer.Launch(executable: "/bin/sh",
                                 arguments: ["-c", "exec \"$0\" -W -f \"$1\" >> \"$2\"", binary, file.path, log],
                                 stopSignal: SIGTERM)
    }
}
