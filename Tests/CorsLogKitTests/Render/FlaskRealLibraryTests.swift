import Foundation
import Testing
@testable import CorsLogKit

/// The flask target in the real flask-cors 6.0.2 / Flask 3.1.3 (the venv): its
/// standalone app (which embeds the very snippet `render` prints) driven by
/// Flask's test client, and once for real with `python3 FILE` and curl.
@Suite(.serialized, .enabled(if: RealLibraries.available(RealLibraries.pythonHas("flask", "flask_cors")),
                             "the venv has no flask/flask_cors (.ci/run makes it): real-library test skipped"))
struct FlaskRealLibraryTests {
    static func app(_ policy: Policy) throws -> String {
        try #require(FlaskRenderer().standalone(policy, context: PythonPolicies.context, options: try PythonPolicies.options()))
    }

    @Test func allowedOriginsGetTheirOriginBackAndOthersGetNothing() throws {
        let app = try Self.app(Policy(proposal: sampleProposal))
        let r = try PythonTestClient.run(app, [
            .get("/v1/orders", origin: "https://app.example.com"),
            .get("/v1/orders", origin: "https://evil.test"),
            .get("/v1/orders", origin: "null"),
            .get("/v1/orders", origin: nil),
        ])
        #expect(r[0].status == 200)
        #expect(r[0].header("access-control-allow-origin") == ["https://app.example.com"])
        #expect(r[0].header("access-control-allow-credentials").isEmpty)
        for response in r {
            #expect(response.header("vary") == ["Origin"], "Vary: Origin on every response, once")
        }
        for response in r.dropFirst() {
            #expect(response.status == 200)
            #expect(!response.hasCORSHeaders, "\(response.headers)")
        }
        try PythonTestClient.expectNoScannerProbeGetsCORS(app, path: "/v1/orders")
    }

    @Test func preflightsFromAllowedOriginsGetTheListsAndOthersNothing() throws {
        let app = try Self.app(Policy(proposal: sampleProposal))
        let r = try PythonTestClient.run(app, [
            .preflight("/v1/orders/7", origin: "https://partner.example.net:8443", headers: "authorization,content-type"),
            .preflight("/v1/orders/7", origin: "https://app.example.com", headers: "authorization, x-evil"),
            .preflight("/v1/orders/7", origin: "https://app.example.com", method: "PATCH"),
            .preflight("/v1/orders/7", origin: "https://app.example.com", method: "POST", headers: "content-type"),
            ClientRequest(method: "OPTIONS", path: "/v1/orders", headers: [["Origin", "https://app.example.com"]]),
        ])
        // Flask answers the OPTIONS itself: 200, empty.
        #expect(r[0].status == 200)
        #expect(r[0].header("access-control-allow-origin") == ["https://partner.example.net:8443"])
        #expect(r[0].header("access-control-allow-methods") == ["DELETE, GET, HEAD, POST, PUT"])
        #expect(r[0].header("access-control-allow-headers") == ["authorization, content-type"])
        #expect(r[0].header("access-control-max-age") == ["3600"])
        #expect(r[0].header("vary") == ["Origin, Access-Control-Request-Method, Access-Control-Request-Headers"])
        // Flask-CORS answers only the requested headers it allows: never x-evil.
        #expect(r[1].header("access-control-allow-headers") == ["authorization"])
        // A method the policy does not allow: no lists, so the browser refuses.
        #expect(r[2].header("access-control-allow-methods").isEmpty)
        #expect(r[2].header("access-control-max-age").isEmpty)
        // A JSON POST is preflighted for its content-type; POST is listed so that it gets Allow-Headers.
        #expect(r[3].header("access-control-allow-headers") == ["content-type"])
        // OPTIONS without Access-Control-Request-Method is not a preflight.
        #expect(r[4].header("access-control-allow-origin") == ["https://app.example.com"])
        #expect(r[4].header("access-control-allow-methods").isEmpty)
        #expect(r[4].header("access-control-max-age").isEmpty)
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
        #expect(r[0].header("vary") == ["Origin"])
        #expect(r[1].status == 500)
        #expect(r[1].header("access-control-allow-origin") == ["https://app.example.com"])
        #expect(r[1].header("vary") == ["Origin"])
        #expect(r[2].status == 404)
        #expect(!r[2].hasCORSHeaders)
        #expect(r[2].header("vary") == ["Origin"])
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
            .get("/%61dmin/users", origin: "https://admin.example.com"),
        ])
        #expect(r[0].header("access-control-allow-origin") == ["https://app.example.com"])
        #expect(r[0].header("access-control-allow-credentials") == ["true"])
        #expect(r[0].header("access-control-expose-headers").isEmpty)
        #expect(!r[1].hasCORSHeaders, "the admin rule does not list app.example.com")
        #expect(r[2].header("access-control-allow-origin") == ["https://admin.example.com"])
        #expect(r[2].header("access-control-allow-methods") == ["DELETE, GET, HEAD, POST"], "no PUT from the defaults")
        #expect(r[2].header("access-control-allow-headers").isEmpty, "no content-type from the defaults")
        #expect(r[2].header("access-control-max-age") == ["60"])
        #expect(r[3].header("access-control-allow-credentials").isEmpty, "no credentials from the defaults")
        #expect(r[4].header("access-control-allow-origin") == ["https://shop.partner.example"])
        #expect(r[4].header("access-control-expose-headers") == ["x-request-id"])
        #expect(!r[5].hasCORSHeaders, "/admin is not under /admin/: the defaults")
        // Flask-CORS matches the decoded path, as Flask routes it.
        #expect(r[6].header("access-control-allow-origin") == ["https://admin.example.com"])
        let tricks = ["https://a.b.partner.example", "https://partner.example", "https://shop.partner.example.evil.test",
                      "https://shoppartner.example", "http://shop.partner.example", "HTTPS://SHOP.PARTNER.EXAMPLE",
                      "https://shop.partner.example/", "https://-x.partner.example"]
        for (trick, response) in zip(tricks, try PythonTestClient.run(app, tricks.map { .get("/public/a", origin: $0) })) {
            #expect(!response.hasCORSHeaders, "\(trick)")
        }
    }

    /// What the snippet's choices guard against, in the pinned library itself:
    /// if a release changes one of these, this test says so.
    @Test func theLibraryDefaultsReallyWidenAPolicy() throws {
        let script = #"""
            import json, re
            from flask import Flask
            from flask_cors import CORS
            app = Flask(__name__)
            @app.route("/<path:p>", methods=["GET", "PUT"])
            def ok(p): return "ok"
            CORS(app, resources={
                re.compile(r"^/"): {"origins": ["https://app.example.com"]},
                re.compile(r"^/admin/"): {"origins": [re.compile(r"^https://admin\.example\.com\Z")]},
                "/literal/": {"origins": ["https://app.example.com"]},
            })
            c = app.test_client()
            def acao(path, headers):
                return c.open(path, method="OPTIONS" if "Access-Control-Request-Method" in headers else "GET",
                              headers=headers).headers.get("Access-Control-Allow-Origin")
            print(json.dumps({
                "upper": acao("/x", {"Origin": "HTTPS://APP.EXAMPLE.COM"}),
                "noOrigin": acao("/x", {}),
                "adminFirst": acao("/admin/x", {"Origin": "https://app.example.com"}),
                "literalKey": acao("/literal/x", {"Origin": "https://app.example.com"}),
                "reflectedHeaders": c.open("/x", method="OPTIONS", headers={"Origin": "https://app.example.com",
                    "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "x-anything"}
                    ).headers.get("Access-Control-Allow-Headers"),
                "varyWithOneOrigin": c.get("/x", headers={"Origin": "https://app.example.com"}).headers.get("Vary"),
            }))
            """#
        let r = try runProcess(RealLibraries.python, ["-c", script])
        #expect(r.status == 0, "\(r.err)")
        let got = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any] ?? [:]
        #expect(got["upper"] as? String == "HTTPS://APP.EXAMPLE.COM", "a plain string matches case-insensitively and echoes the request")
        #expect(got["noOrigin"] as? String == "https://app.example.com", "always_send answers a request without Origin")
        #expect(got["adminFirst"] is NSNull, "the longer ^/admin/ is tried before ^/, though listed after it")
        #expect(got["literalKey"] as? String == "https://app.example.com",
                "a plain key /literal/ matches only that exact path: /literal/x fell through to ^/")
        #expect(got["reflectedHeaders"] as? String == "x-anything", "allow_headers='*' reflects what is asked")
        #expect(got["varyWithOneOrigin"] is NSNull, "vary_header sends no Vary with one plain origin")
    }

    @Test func theStandaloneRunsWithPython3AsTheReadmeSays() throws {
        try RealServer.with("flask", configure: { dir, port in
            let file = dir.appendingPathComponent("app.py")
            let text = try #require(FlaskRenderer().standalone(Policy(proposal: sampleProposal), context: RenderContext(),
                                                               options: try PythonPolicies.options(port: port)))
            try text.write(to: file, atomically: true, encoding: .utf8)
            return RealServer.Launch(executable: RealLibraries.python, arguments: [file.path])
        }) { server in
            let ok = try server.request("/v1/orders", headers: ["Origin: https://app.example.com"])
            #expect(ok.status == 200)
            #expect(ok.header("access-control-allow-origin") == ["https://app.example.com"])
            #expect(ok.header("vary") == ["Origin"])
            let preflight = try server.request("/v1/orders/7", method: "OPTIONS", headers: [
                "Origin: https://app.example.com", "Access-Control-Request-Method: PUT"])
            #expect(preflight.status == 200)
            #expect(preflight.header("access-control-allow-methods") == ["DELETE, GET, HEAD, POST, PUT"])
            #expect(preflight.header("access-control-max-age") == ["3600"])
            #expect(!(try server.request("/v1/orders", headers: [])).hasCORSHeaders)
            try ScannerProbes.expectNoneGetCORS(server, path: "/v1/orders")
        }
    }
}
