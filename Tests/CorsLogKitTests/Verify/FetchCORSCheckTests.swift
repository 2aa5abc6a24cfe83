import Testing
@testable import CorsLogKit

/// The cases the Fetch standard spells out, one by one.
@Suite struct FetchCORSCheckTests {
    typealias F = FetchCORSCheck
    typealias H = F.Header
    let app = "https://app.example.com"

    func safe(_ name: String, _ value: String) -> Bool { F.isSafelistedRequestHeader(name: name, value: Array(value.utf8)) }

    @Test func safelistedMethodsAreExactlyGETHEADPOST() {
        for m in ["GET", "HEAD", "POST"] { #expect(F.isSafelistedMethod(m)) }
        for m in ["get", "Post", "PUT", "DELETE", "PATCH", "OPTIONS", "patch"] { #expect(!F.isSafelistedMethod(m), "\(m)") }
    }

    @Test func fetchNormalisesOnlyTheSixKnownMethods() {
        #expect(F.normalizeMethod("delete") == "DELETE")
        #expect(F.normalizeMethod("get") == "GET")
        #expect(F.normalizeMethod("Options") == "OPTIONS")
        #expect(F.normalizeMethod("put") == "PUT")
        #expect(F.normalizeMethod("patch") == "patch", "PATCH is not in the list: fetch() sends patch")
        #expect(F.normalizeMethod("propfind") == "propfind")
    }

    @Test func acceptAndContentTypeRejectUnsafeBytes() {
        #expect(safe("Accept", "text/html, */*;q=0.8"))
        #expect(safe("accept", "a\tb"), "HT is allowed")
        for bad in ["a\"b", "a(b", "a)b", "a:b", "a<b", "a>b", "a?b", "a@b", "a[b", "a\\b", "a]b", "a{b", "a}b", "a\u{7F}", "a\u{01}"] {
            #expect(!safe("accept", bad), "\(bad.debugDescription)")
        }
    }

    @Test func languagesAllowOnlyTheirCharacters() {
        #expect(safe("Accept-Language", "en-US,en;q=0.9, *"))
        #expect(safe("content-language", "de-DE"))
        #expect(!safe("accept-language", "en_US"), "_ is not allowed")
        #expect(!safe("content-language", "en/US"))
        #expect(!safe("accept-language", "é"))
    }

    @Test func contentTypeEssenceMustBeOneOfThree() {
        #expect(safe("Content-Type", "text/plain"))
        #expect(safe("content-type", "text/plain;charset=UTF-8"))
        #expect(safe("content-type", "  Multipart/Form-Data; boundary=x "))
        #expect(safe("content-type", "application/x-www-form-urlencoded"))
        #expect(!safe("content-type", "application/json"))
        #expect(!safe("content-type", "text/html"))
        #expect(!safe("content-type", "text/plain; charset=\"utf-8\""), "a quote is an unsafe byte")
        #expect(!safe("content-type", "textplain"), "no MIME type: failure")
        #expect(!safe("content-type", "text/"), "empty subtype: failure")
    }

    @Test func rangeOnlyASingleRangeWithAStart() {
        #expect(safe("Range", "bytes=0-"))
        #expect(safe("range", "bytes=10-20"))
        #expect(!safe("range", "bytes=-500"), "suffix ranges are not safelisted")
        #expect(!safe("range", "bytes=0-1,5-6"), "several ranges")
        #expect(!safe("range", "bytes=20-10"), "start after end")
        #expect(!safe("range", "bytes = 0-1"), "no whitespace when allowWhitespace is false")
        #expect(!safe("range", "items=0-1"))
    }

    @Test func everyValueAtMost128Bytes() {
        #expect(safe("accept", String(repeating: "a", count: 128)))
        #expect(!safe("accept", String(repeating: "a", count: 129)))
        #expect(!safe("content-type", "text/plain;" + String(repeating: "a", count: 120)))
    }

    @Test func otherHeadersAreNeverSafelisted() {
        #expect(!safe("Authorization", "Bearer x"))
        #expect(!safe("X-Requested-With", "XMLHttpRequest"))
    }

    @Test func unsafeNamesAreASortedLowercaseSetAndSafelistedValuesCountUpTo1024() {
        let names = F.unsafeRequestHeaderNames([H("X-B", "1"), H("Authorization", "t"), H("x-b", "2"), H("Accept", "*/*"),
                                                 H("Content-Type", "application/json")])
        #expect(names == ["authorization", "content-type", "x-b"])
        // Nine safelisted values of 120 bytes: 1,080 > 1,024, so they become unsafe too.
        let many = (0..<9).map { _ in H("Accept", String(repeating: "a", count: 120)) }
        #expect(F.unsafeRequestHeaderNames(many) == ["accept"])
        #expect(F.unsafeRequestHeaderNames(Array(many.prefix(8))) == [])
    }

    @Test func aPreflightIsNeededForUnsafeMethodsOrHeadersOrTheFlag() {
        #expect(!F.needsPreflight(.init(origin: app, method: "GET")))
        #expect(!F.needsPreflight(.init(origin: app, method: "POST", headers: [H("Content-Type", "text/plain")])))
        #expect(F.needsPreflight(.init(origin: app, method: "POST", headers: [H("Content-Type", "application/json")])))
        #expect(F.needsPreflight(.init(origin: app, method: "PUT")))
        #expect(F.needsPreflight(.init(origin: app, method: "get")), "get is not GET")
        #expect(F.needsPreflight(.init(origin: app, method: "GET", headers: [H("Authorization", "x")])))
        #expect(F.needsPreflight(.init(origin: app, method: "GET", useCORSPreflight: true)))
    }

    // MARK: CORS check

    func response(_ headers: [(String, String)], status: Int = 200) -> F.Response {
        F.Response(status: status, headers: headers.map { H($0.0, $0.1) })
    }

    @Test func theCORSCheck() {
        let plain = F.Request(origin: app, method: "GET")
        let withCredentials = F.Request(origin: app, method: "GET", credentials: .include)
        #expect(F.corsCheck(plain, response([])) == .noAllowOrigin)
        #expect(F.corsCheck(plain, response([("Access-Control-Allow-Origin", "*")])) == nil)
        #expect(F.corsCheck(withCredentials, response([("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Credentials", "true")]))
                == .wildcardWithCredentials)
        #expect(F.corsCheck(plain, response([("access-control-allow-origin", app)])) == nil)
        #expect(F.corsCheck(plain, response([("Access-Control-Allow-Origin", "https://APP.example.com")]))
                == .allowOriginMismatch("https://APP.example.com"), "byte for byte")
        #expect(F.corsCheck(plain, response([("Access-Control-Allow-Origin", app + "/")])) == .allowOriginMismatch(app + "/"))
        #expect(F.corsCheck(plain, response([("Access-Control-Allow-Origin", app), ("Access-Control-Allow-Origin", app)]))
                == .allowOriginMismatch("\(app), \(app)"), "two headers combine into one value that matches nothing")
        #expect(F.corsCheck(withCredentials, response([("Access-Control-Allow-Origin", app)])) == .credentialsNotAllowed)
        #expect(F.corsCheck(withCredentials, response([("Access-Control-Allow-Origin", app), ("Access-Control-Allow-Credentials", "True")]))
                == .credentialsNotAllowed, "`true` byte for byte")
        #expect(F.corsCheck(withCredentials, response([("Access-Control-Allow-Origin", app), ("Access-Control-Allow-Credentials", "true")])) == nil)
    }

    @Test func anOpaqueOriginMatchesOnlyNull() {
        let sandboxed = F.Request(origin: "null", method: "GET")
        #expect(F.corsCheck(sandboxed, response([("Access-Control-Allow-Origin", "null")])) == nil)
        #expect(F.corsCheck(sandboxed, response([("Access-Control-Allow-Origin", app)])) == .allowOriginMismatch(app))
        #expect(F.corsCheck(sandboxed, response([("Access-Control-Allow-Origin", "*")])) == nil)
    }

    // MARK: Preflight

    func preflight(_ request: F.Request, _ headers: [(String, String)], status: Int = 204) -> F.Failure? {
        if case .failure(let f) = F.preflightCheck(request, response(headers, status: status)) { return f }
        return nil
    }

    @Test func thePreflightMustPassTheCORSCheckWithAnOkStatus() {
        let put = F.Request(origin: app, method: "PUT")
        #expect(preflight(put, [("Access-Control-Allow-Methods", "PUT")]) == .noAllowOrigin)
        #expect(preflight(put, [("Access-Control-Allow-Origin", app), ("Access-Control-Allow-Methods", "PUT")], status: 301)
                == .preflightStatus(301))
        #expect(preflight(put, [("Access-Control-Allow-Origin", app), ("Access-Control-Allow-Methods", "PUT")], status: 200) == nil)
    }

    @Test func methodsAreMatchedByteForByte() {
        let ok = [("Access-Control-Allow-Origin", app), ("Access-Control-Allow-Methods", "DELETE, PATCH,PUT")]
        #expect(preflight(.init(origin: app, method: "PATCH"), ok) == nil)
        #expect(preflight(.init(origin: app, method: "patch"), ok) == .methodNotAllowed("patch"))
        #expect(preflight(.init(origin: app, method: "PROPFIND"), ok) == .methodNotAllowed("PROPFIND"))
        #expect(preflight(.init(origin: app, method: "POST", headers: [H("Content-Type", "application/json")]),
                          [("Access-Control-Allow-Origin", app), ("Access-Control-Allow-Headers", "content-type")]) == nil,
                "a safelisted method needs no listing")
        #expect(preflight(.init(origin: app, method: "PUT"), [("Access-Control-Allow-Origin", app), ("Access-Control-Allow-Methods", "PUT x")])
                == .unparsableAllowList("Access-Control-Allow-Methods"), "not a token")
    }

    @Test func theMethodWildcardServesOnlyRequestsWithoutCredentials() {
        let star = [("Access-Control-Allow-Origin", app), ("Access-Control-Allow-Methods", "*"), ("Access-Control-Allow-Credentials", "true")]
        #expect(preflight(.init(origin: app, method: "PUT"), star) == nil)
        #expect(preflight(.init(origin: app, method: "PUT", credentials: .include), star) == .methodNotAllowed("PUT"))
    }

    @Test func headersAreMatchedIgnoringCaseAndTheWildcardOnlyWithoutCredentials() {
        let request = F.Request(origin: app, method: "GET", headers: [H("X-Request-Id", "1")])
        #expect(preflight(request, [("Access-Control-Allow-Origin", app), ("Access-Control-Allow-Headers", "X-REQUEST-ID")]) == nil)
        #expect(preflight(request, [("Access-Control-Allow-Origin", app)]) == .headerNotAllowed("x-request-id"))
        #expect(preflight(request, [("Access-Control-Allow-Origin", app), ("Access-Control-Allow-Headers", "*")]) == nil)
        var credentialed = request
        credentialed.credentials = .include
        #expect(preflight(credentialed, [("Access-Control-Allow-Origin", app), ("Access-Control-Allow-Credentials", "true"),
                                         ("Access-Control-Allow-Headers", "*")]) == .headerNotAllowed("x-request-id"))
    }

    @Test func theHeaderWildcardNeverCoversAuthorization() {
        let request = F.Request(origin: app, method: "GET", headers: [H("Authorization", "Bearer x")])
        #expect(preflight(request, [("Access-Control-Allow-Origin", app), ("Access-Control-Allow-Headers", "*")]) == .authorizationNotListed)
        #expect(preflight(request, [("Access-Control-Allow-Origin", app), ("Access-Control-Allow-Headers", "*, Authorization")]) == nil)
        let replayed = F.Request(origin: app, method: "PUT", knownUnsafeNames: ["authorization"])
        #expect(preflight(replayed, [("Access-Control-Allow-Origin", app), ("Access-Control-Allow-Methods", "*"),
                                     ("Access-Control-Allow-Headers", "*")]) == .authorizationNotListed)
    }

    @Test func maxAgeDefaultsTo5AndIsCappedAt7200() throws {
        let put = F.Request(origin: app, method: "PUT")
        func age(_ value: [String]) throws -> Int {
            try F.preflightCheck(put, response([("Access-Control-Allow-Origin", app), ("Access-Control-Allow-Methods", "PUT")]
                + value.map { ("Access-Control-Max-Age", $0) })).get().maxAge
        }
        #expect(try age([]) == 5)
        #expect(try age(["600"]) == 600)
        #expect(try age(["86400"]) == 7200)
        #expect(try age(["-1"]) == 5, "not delta-seconds: failure, so 5")
        #expect(try age(["60", "60"]) == 5, "two values of a single-value header: failure")
    }

    @Test func theCacheSkipsPreflightsItCoversAndKeepsAuthorizationOutOfTheWildcard() throws {
        var cache = F.PreflightCache()
        let put = F.Request(origin: app, method: "PUT", headers: [H("X-Request-Id", "1"), H("Authorization", "t")])
        let result = try F.preflightCheck(put, response([("Access-Control-Allow-Origin", app), ("Access-Control-Allow-Methods", "PUT"),
                                                         ("Access-Control-Allow-Headers", "x-request-id, authorization"),
                                                         ("Access-Control-Max-Age", "600")])).get()
        cache.store(result, request: put, url: "/a", now: 0)
        #expect(!F.needsPreflight(put, url: "/a", cache: cache, now: 599))
        #expect(F.needsPreflight(put, url: "/a", cache: cache, now: 600), "expired")
        #expect(F.needsPreflight(put, url: "/b", cache: cache, now: 1), "another URL")
        var credentialed = put
        credentialed.credentials = .include
        #expect(F.needsPreflight(credentialed, url: "/a", cache: cache, now: 1), "a credentials-less entry does not serve include")

        var starCache = F.PreflightCache()
        let starred = try F.preflightCheck(F.Request(origin: app, method: "GET", headers: [H("X-A", "1")]),
                                           response([("Access-Control-Allow-Origin", app), ("Access-Control-Allow-Headers", "*"),
                                                     ("Access-Control-Max-Age", "600")])).get()
        starCache.store(starred, request: F.Request(origin: app, method: "GET"), url: "/a", now: 0)
        #expect(!F.needsPreflight(F.Request(origin: app, method: "GET", headers: [H("X-B", "1")]), url: "/a", cache: starCache, now: 1))
        #expect(F.needsPreflight(F.Request(origin: app, method: "GET", headers: [H("Authorization", "t")]), url: "/a", cache: starCache, now: 1),
                "a * entry never matches Authorization")
    }
}
