import Foundation
import Testing
@testable import CorsLogKit

/// The django target in the real django-cors-headers 4.9.0 / Django 5.2.19 (the
/// venv): its single-file standalone project (which embeds the very settings and
/// middleware `render` prints) driven by Django's test client, checked with
/// `manage.py check`'s equivalent, and run once for real with `python3 FILE`.
@Suite(.serialized, .enabled(if: RealLibraries.available(RealLibraries.pythonHas("django", "corsheaders")),
                             "the venv has no django/corsheaders (.ci/run makes it): real-library test skipped"))
struct DjangoRealLibraryTests {
    static func app(_ policy: Policy, port: Int = 18080) throws -> String {
        try #require(DjangoRenderer().standalone(policy, context: PythonPolicies.context, options: try PythonPolicies.options(port: port)))
    }

    @Test func allowedOriginsGetTheirOriginBackAndOthersGetNothing() throws {
        let app = try Self.app(Policy(proposal: sampleProposal))
        let r = try PythonTestClient.run(app, [
            .get("/v1/orders", origin: "https://app.example.com"),
            .get("/v1/orders", origin: "https://evil.test"),
            .get("/v1/orders", origin: "null"),
            .get("/v1/orders", origin: nil),
            // What the stock middleware lets through (see theStockMiddlewareIsLoose).
            .get("/v1/orders", origin: "https://app.example.com/x?y#z"),
            .get("/v1/orders", origin: "HTTPS://app.example.com"),
        ])
        #expect(r[0].status == 200)
        #expect(r[0].header("access-control-allow-origin") == ["https://app.example.com"])
        #expect(r[0].header("access-control-allow-credentials").isEmpty)
        for response in r {
            #expect(response.header("vary") == ["origin"], "Vary: Origin on every response")
        }
        for response in r.dropFirst() {
            #expect(response.status == 200)
            #expect(!response.hasCORSHeaders, "\(response.headers)")
        }
        try PythonTestClient.expectNoScannerProbeGetsCORS(app, path: "/v1/orders")
    }

    @Test func preflightsFromAllowedOriginsGetExactlyThePolicysLists() throws {
        let app = try Self.app(Policy(proposal: sampleProposal))
        let r = try PythonTestClient.run(app, [
            .preflight("/v1/orders/7", origin: "https://partner.example.net:8443", headers: "authorization,content-type"),
            .preflight("/v1/orders/7", origin: "https://evil.test", headers: "authorization"),
            ClientRequest(method: "OPTIONS", path: "/v1/orders", headers: [["Origin", "https://app.example.com"]]),
        ])
        // django-cors-headers answers preflights itself: 200, empty.
        #expect(r[0].status == 200)
        #expect(r[0].header("access-control-allow-origin") == ["https://partner.example.net:8443"])
        #expect(r[0].header("access-control-allow-methods") == ["DELETE, PUT"])
        #expect(r[0].header("access-control-allow-headers") == ["authorization, content-type"],
                "not the library's default list (accept, user-agent, x-csrftoken, …)")
        #expect(r[0].header("access-control-max-age") == ["3600"], "not the library's default 86400")
        #expect(r[0].header("access-control-allow-private-network").isEmpty)
        #expect(r[1].status == 200)
        #expect(!r[1].hasCORSHeaders)
        // OPTIONS without Access-Control-Request-Method is not a preflight: the view answers, no lists.
        #expect(r[2].header("access-control-allow-origin") == ["https://app.example.com"])
        #expect(r[2].header("access-control-allow-methods").isEmpty)
        #expect(r[2].header("access-control-allow-headers").isEmpty)
    }

    @Test func aRuleWithoutMethodsOrHeadersSendsNoEmptyLists() throws {
        let policy = Policy(defaults: CORSRule(origins: [origin("https://app.example.com")], maxAge: 0))
        let r = try PythonTestClient.send(try Self.app(policy), .preflight("/", origin: "https://app.example.com"))
        #expect(r.header("access-control-allow-origin") == ["https://app.example.com"])
        #expect(r.header("access-control-allow-methods").isEmpty)
        #expect(r.header("access-control-allow-headers").isEmpty)
        #expect(r.header("access-control-max-age") == ["0"])
    }

    @Test func credentialsOnlyWhenThePolicySaysAndOnlyForAllowedOrigins() throws {
        var p = sampleProposal
        p.credentials = true
        let on = try PythonTestClient.run(try Self.app(Policy(proposal: p)), [
            .get("/", origin: "https://app.example.com"), .get("/", origin: "https://evil.test"),
            .preflight("/", origin: "https://app.example.com"),
        ])
        #expect(on[0].header("access-control-allow-credentials") == ["true"])
        #expect(on[1].header("access-control-allow-credentials").isEmpty)
        #expect(on[2].header("access-control-allow-credentials") == ["true"])
        let off = try PythonTestClient.send(try Self.app(Policy(proposal: sampleProposal)), .get("/", origin: "https://app.example.com"))
        #expect(off.header("access-control-allow-credentials").isEmpty)
    }

    @Test func errorResponsesStillCarryTheCORSHeaders() throws {
        let app = try Self.app(Policy(proposal: sampleProposal))
        let r = try PythonTestClient.run(app, [
            .get("/corslog-error/404", origin: "https://app.example.com"),
            .get("/corslog-error/500", origin: "https://app.example.com"),
            .get("/corslog-error/404", origin: "https://evil.test"),
        ])
        #expect(r[0].status == 404)
        #expect(r[0].header("access-control-allow-origin") == ["https://app.example.com"])
        #expect(r[1].status == 500)
        #expect(r[1].header("access-control-allow-origin") == ["https://app.example.com"])
        #expect(r[2].status == 404)
        #expect(!r[2].hasCORSHeaders)
        #expect(r.allSatisfy { $0.header("vary") == ["origin"] })
    }

    @Test func pathRulesAndPatternsApplyWhereTheySayAndDoNotMerge() throws {
        let app = try Self.app(try PythonPolicies.pathRules(credentials: true))
        let r = try PythonTestClient.run(app, [
            .get("/v1/x", origin: "https://app.example.com"),
            .get("/admin/users", origin: "https://app.example.com"),
            .preflight("/admin/users", origin: "https://admin.example.com", method: "DELETE", headers: "content-type"),
            .get("/admin/users", origin: "https://admin.example.com"),
            .get("/public/a", origin: "https://shop.partner.example"),
            .get("/admin", origin: "https://admin.example.com"),
        ])
        #expect(r[0].header("access-control-allow-origin") == ["https://app.example.com"])
        #expect(r[0].header("access-control-allow-credentials") == ["true"])
        #expect(r[0].header("access-control-expose-headers").isEmpty)
        #expect(!r[1].hasCORSHeaders, "the admin rule does not list app.example.com")
        #expect(r[2].header("access-control-allow-origin") == ["https://admin.example.com"])
        #expect(r[2].header("access-control-allow-methods") == ["DELETE"], "no PUT from the defaults")
        #expect(r[2].header("access-control-allow-headers").isEmpty, "no content-type from the defaults")
        #expect(r[2].header("access-control-max-age") == ["60"])
        #expect(r[3].header("access-control-allow-credentials").isEmpty, "no credentials from the defaults")
        #expect(r[4].header("access-control-allow-origin") == ["https://shop.partner.example"])
        #expect(r[4].header("access-control-expose-headers") == ["x-request-id"])
        #expect(!r[5].hasCORSHeaders, "/admin is not under /admin/: the defaults")
        let tricks = ["https://a.b.partner.example", "https://partner.example", "https://shop.partner.example.evil.test",
                      "https://shoppartner.example", "http://shop.partner.example", "HTTPS://SHOP.PARTNER.EXAMPLE",
                      "https://shop.partner.example/", "https://-x.partner.example"]
        for (trick, response) in zip(tricks, try PythonTestClient.run(app, tricks.map { .get("/public/a", origin: $0) })) {
            #expect(!response.hasCORSHeaders, "\(trick)")
        }
    }

    @Test func onlyThePathRulesAreEnabledWhenTheDefaultsAllowNobody() throws {
        let policy = Policy(defaults: CORSRule(origins: []), paths: [
            PathRule(prefix: PathPrefix("/api/v1.0/")!, rule: CORSRule(origins: [origin("https://app.example.com")], methods: [.put]))])
        let app = try Self.app(policy)
        #expect(app.contains(#"CORS_URLS_REGEX = r"^(?:/api/v1\.0/)""#))
        let r = try PythonTestClient.run(app, [
            .get("/api/v1.0/x", origin: "https://app.example.com"),
            .get("/api/v1x0/x", origin: "https://app.example.com"),
            .preflight("/other", origin: "https://app.example.com"),
        ])
        #expect(r[0].header("access-control-allow-origin") == ["https://app.example.com"])
        #expect(!r[1].hasCORSHeaders, "the dot is escaped")
        #expect(r[1].header("vary").isEmpty, "outside CORS_URLS_REGEX the middleware does nothing")
        #expect(!r[2].hasCORSHeaders)
        #expect(r[2].status == 200, "the view answers")
    }

    /// Why the snippet carries a subclass, in the pinned library itself: if a
    /// release changes one of these, this test says so.
    @Test func theStockMiddlewareIsLooseAndTheSignalAllowsAnyOrigin() throws {
        let app = try Self.app(Policy(proposal: sampleProposal))
        let loose = ["https://app.example.com/", "https://app.example.com/x?y#z", "HTTPS://app.example.com"]
        let stock = try PythonTestClient.run(app, loose.map { .get("/", origin: $0) }, stockMiddleware: true)
        for (o, response) in zip(loose, stock) {
            #expect(response.header("access-control-allow-origin") == [o], "the stock middleware echoes \(o)")
        }
        let signalled = try PythonTestClient.send(app, .get("/", origin: "https://evil.test"), stockMiddleware: true, signalAllowsAll: true)
        #expect(signalled.header("access-control-allow-origin") == ["https://evil.test"],
                "a check_request_enabled receiver returning True allows any origin")
        let ours = try PythonTestClient.send(app, .get("/", origin: "https://evil.test"), signalAllowsAll: true)
        #expect(!ours.hasCORSHeaders, "the subclass does not consult the signal")
    }

    @Test func djangosSystemChecksPassAndTheStandaloneRunsWithPython3() throws {
        try RealServer.with("django", configure: { dir, port in
            let file = dir.appendingPathComponent("app.py")
            try Self.app(try PythonPolicies.pathRules(), port: port).write(to: file, atomically: true, encoding: .utf8)
            let check = try runProcess(RealLibraries.python, [file.path, "check", "--fail-level", "WARNING"])
            #expect(check.status == 0, "check: \(check.out) \(check.err)")
            #expect(check.out.contains("System check identified no issues"))
            return RealServer.Launch(executable: RealLibraries.python, arguments: [file.path])
        }) { server in
            let ok = try server.request("/v1/orders", headers: ["Origin: https://app.example.com"])
            #expect(ok.status == 200)
            #expect(ok.header("access-control-allow-origin") == ["https://app.example.com"])
            #expect(ok.header("vary") == ["origin"])
            let preflight = try server.request("/admin/users", method: "OPTIONS", headers: [
                "Origin: https://admin.example.com", "Access-Control-Request-Method: DELETE"])
            #expect(preflight.status == 200)
            #expect(preflight.header("access-control-allow-methods") == ["DELETE"])
            #expect(preflight.header("access-control-max-age") == ["60"])
            #expect(!(try server.request("/v1/orders", headers: [])).hasCORSHeaders)
            try ScannerProbes.expectNoneGetCORS(server, path: "/v1/orders")
        }
    }
}
