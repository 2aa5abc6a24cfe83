import Testing
@testable import CorsLogKit

/// What a server with the policy answers: the semantics every target shares.
@Suite struct PolicyResponderTests {
    let responder: PolicyResponder = {
        let psl = PublicSuffixList.bundled
        let pattern = try! OriginPattern.parse("https://*.partner.example", psl: psl).get()
        return PolicyResponder(policy: Policy(
            defaults: CORSRule(origins: [origin("https://app.example.com")], methods: [.put, .delete],
                               headers: [HeaderName("authorization")!], exposeHeaders: [HeaderName("x-total")!], maxAge: 3600),
            paths: [PathRule(prefix: PathPrefix("/admin/")!, rule: CORSRule(origins: [origin("https://admin.example.com")],
                                                                             methods: [.delete], credentials: true, maxAge: 60)),
                    PathRule(prefix: PathPrefix("/public/")!, rule: CORSRule(origins: [], patterns: [pattern]))]))
    }()

    func headers(_ r: FetchCORSCheck.Response) -> [String: String] {
        Dictionary(r.headers.map { ($0.name.lowercased(), String(decoding: $0.value, as: UTF8.self)) }, uniquingKeysWith: { a, _ in a })
    }

    @Test func allowedOriginsGetTheirOriginAndOthersNothing() {
        let ok = headers(responder.respond(.init(method: "GET", target: "/v1/orders?x=1", origin: "https://app.example.com")))
        #expect(ok["access-control-allow-origin"] == "https://app.example.com")
        #expect(ok["access-control-expose-headers"] == "x-total")
        #expect(ok["vary"] == "Origin")
        #expect(ok["access-control-allow-credentials"] == nil)
        for other in ["https://evil.test", "null", "HTTPS://APP.EXAMPLE.COM", "https://app.example.com:443", "https://app.example.com/", ""] {
            let r = headers(responder.respond(.init(method: "GET", target: "/v1/orders", origin: other)))
            #expect(r["access-control-allow-origin"] == nil, "\(other)")
            #expect(r["vary"] == "Origin", "Vary on every response")
        }
        #expect(headers(responder.respond(.init(method: "GET", target: "/", origin: nil)))["vary"] == "Origin")
    }

    @Test func preflightsFromAllowedOriginsAreAnswered204() {
        let r = responder.respond(.init(method: "OPTIONS", target: "/v1/orders/7", origin: "https://app.example.com",
                                        requestMethod: "PUT", requestHeaders: "authorization"))
        #expect(r.status == 204)
        let h = headers(r)
        #expect(h["access-control-allow-methods"] == "DELETE, PUT")
        #expect(h["access-control-allow-headers"] == "authorization")
        #expect(h["access-control-max-age"] == "3600")
        let refused = responder.respond(.init(method: "OPTIONS", target: "/v1/orders/7", origin: "https://evil.test", requestMethod: "PUT"))
        #expect(refused.status == 200, "the application's answer")
        #expect(headers(refused)["access-control-allow-methods"] == nil)
        let notAPreflight = responder.respond(.init(method: "OPTIONS", target: "/v1/orders", origin: "https://app.example.com"))
        #expect(notAPreflight.status == 200)
        #expect(headers(notAPreflight)["access-control-allow-methods"] == nil, "OPTIONS without Access-Control-Request-Method")
    }

    @Test func theLongestPathPrefixDecidesAlone() {
        let appOnAdmin = headers(responder.respond(.init(method: "GET", target: "/admin/users", origin: "https://app.example.com")))
        #expect(appOnAdmin["access-control-allow-origin"] == nil)
        let admin = responder.respond(.init(method: "OPTIONS", target: "/admin/users", origin: "https://admin.example.com", requestMethod: "DELETE"))
        let h = headers(admin)
        #expect(h["access-control-allow-credentials"] == "true")
        #expect(h["access-control-allow-methods"] == "DELETE")
        #expect(h["access-control-allow-headers"] == nil, "the rule lists no header")
        #expect(h["access-control-max-age"] == "60")
        #expect(headers(responder.respond(.init(method: "GET", target: "/adminx", origin: "https://app.example.com")))["access-control-allow-origin"]
                == "https://app.example.com", "/adminx is not under /admin/")
    }

    @Test func patternsMatchOneLabel() {
        func allowed(_ o: String) -> Bool {
            headers(responder.respond(.init(method: "GET", target: "/public/a", origin: o)))["access-control-allow-origin"] == o
        }
        #expect(allowed("https://shop.partner.example"))
        for trick in ["https://a.b.partner.example", "https://partner.example", "https://shop.partner.example.evil.test",
                      "http://shop.partner.example", "https://shoppartner.example"] {
            #expect(!allowed(trick), "\(trick)")
        }
    }
}
