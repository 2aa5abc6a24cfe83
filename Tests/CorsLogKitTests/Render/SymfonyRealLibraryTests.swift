import Foundation
import Testing
@testable import CorsLogKit

/// The symfony target read by Symfony's own YAML component (Debian
/// php-symfony-yaml 5.4) and checked against NelmioCorsBundle's configuration
/// tree (Tests/Scripts/nelmio_check.php); then the bundle's answers, computed by
/// that script's restatement of the bundle's logic on the real PHP and PCRE.
/// NelmioCorsBundle itself is not packaged for Debian (php-symfony-http-foundation
/// is, but without the bundle there is no CorsListener to run), so what the
/// answers prove is the regex, comparison, ordering and merge semantics, not
/// the bundle's own code.
@Suite(.serialized, .enabled(if: RealLibraries.available(Nelmio.present),
                             "php-cli / php-symfony-yaml are not installed (apt-get install php-cli php-symfony-yaml): test skipped"))
struct SymfonyRealLibraryTests {
    @Test func symfonysYAMLParserReadsExactlyTheBundlesKeysAndTypes() throws {
        let yaml = SymfonyRenderer().render(Policy(proposal: sampleProposal), context: RenderContext(lines: 1))
        let r = try Nelmio.check(yaml)
        #expect(r.status == 0, "\(r.err)")
        let parsed = try #require(r.out.split(separator: "\n").last)
        #expect(parsed == #"{"nelmio_cors":{"defaults":{"allow_credentials":false,"allow_origin":[],"allow_headers":[],"allow_methods":[],"expose_headers":[],"max_age":0,"hosts":[],"origin_regex":false},"paths":{"^/":{"allow_origin":["https://app.example.com","https://partner.example.net:8443"],"origin_regex":false,"allow_methods":["DELETE","PUT","GET","HEAD","POST"],"allow_headers":["authorization","content-type"],"expose_headers":[],"max_age":3600,"allow_credentials":false}}}}"#)
    }

    @Test func theCheckRefusesWhatTheBundleOrCorslogsRulesWouldNot() throws {
        let cases: [(String, String)] = [
            ("nelmio_cors:\n  paths:\n    '^/':\n      allowed_origins: ['https://a.example']\n", "unknown key allowed_origins"),
            ("nelmio_cors:\n  paths:\n    '^/':\n      allow_origin: ['https://a.example']\n", "allow_methods missing"),
            ("nelmio_cors:\n  defaults:\n    allow_origin: ['https://a.example']\n", "defaults: allow_origin must be empty"),
            ("nelmio_cors:\n  defaults:\n    forced_allow_origin_value: '*'\n", "forced_allow_origin_value must stay unset"),
            ("nelmio_cors:\n  paths:\n    '^/':\n      origin_regex: true\n      allow_origin: ['^https://a\\.example$']\n", "is not (?-i)^...\\z"),
            ("nelmio_cors:\n  paths:\n    '^/':\n      max_age: 'soon'\n", "max_age is not a int"),
            ("nelmio_cors:\n  paths:\n    '/api':\n      allow_origin: ['*']\n", "is not anchored with ^/"),
            ("nelmio_cors: [\n", "YAML:"),
        ]
        for (yaml, message) in cases {
            let r = try Nelmio.check(yaml)
            #expect(r.status != 0 && r.err.contains(message), "\(message): \(r.err)")
        }
    }

    @Test func allowedOriginsGetTheirOriginBackAndOthersGetNothing() throws {
        let yaml = SymfonyRenderer().render(Policy(proposal: sampleProposal), context: RenderContext())
        let allowed = try Nelmio.answer(yaml, "/v1/orders", headers: ["Origin": "https://app.example.com"])
        #expect(allowed.headers == ["access-control-allow-origin": "https://app.example.com"])
        for stranger in ScannerProbes.refused + ["https://evil.test"] {
            let get = try Nelmio.answer(yaml, "/v1/orders", headers: ["Origin": stranger])
            #expect(get.headers.isEmpty, "\(stranger): \(get.headers)")
            let preflight = try Nelmio.answer(yaml, "/v1/orders", method: "OPTIONS", headers: [
                "Origin": stranger, "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "authorization"])
            #expect(preflight.headers["access-control-allow-origin"] == nil, "\(stranger)")
        }
        #expect(try Nelmio.answer(yaml, "/v1/orders", headers: [:]).headers.isEmpty, "no Origin, no CORS headers")
    }

    @Test func preflightsFromAllowedOriginsAndTheBundlesAnswerToOthers() throws {
        let yaml = SymfonyRenderer().render(Policy(proposal: sampleProposal), context: RenderContext())
        let ok = try Nelmio.answer(yaml, "/v1/orders/7", method: "OPTIONS", headers: [
            "Origin": "https://partner.example.net:8443", "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "authorization,content-type"])
        #expect(ok.answeredByBundle && ok.status == 200)
        #expect(ok.headers == ["access-control-allow-origin": "https://partner.example.net:8443", "vary": "Origin",
                               "access-control-allow-methods": "DELETE, PUT, GET, HEAD, POST",
                               "access-control-allow-headers": "authorization, content-type", "access-control-max-age": "3600"])
        let jsonPost = try Nelmio.answer(yaml, "/v1/orders", method: "OPTIONS", headers: [
            "Origin": "https://app.example.com", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"])
        #expect(jsonPost.status == 200, "POST listed: without it the bundle answers 405")
        let patch = try Nelmio.answer(yaml, "/v1/orders", method: "OPTIONS", headers: [
            "Origin": "https://app.example.com", "Access-Control-Request-Method": "PATCH"])
        #expect(patch.status == 405)
        let header = try Nelmio.answer(yaml, "/v1/orders", method: "OPTIONS", headers: [
            "Origin": "https://app.example.com", "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "x-other"])
        #expect(header.status == 400)
        // What the bundle does and no configuration changes: a refused origin's preflight is
        // answered too, with everything but Access-Control-Allow-Origin.
        let other = try Nelmio.answer(yaml, "/v1/orders", method: "OPTIONS", headers: [
            "Origin": "https://evil.test", "Access-Control-Request-Method": "PUT"])
        #expect(other.answeredByBundle && other.headers["access-control-allow-origin"] == nil)
        #expect(other.headers["access-control-allow-methods"] != nil)
        let plain = try Nelmio.answer(yaml, "/v1/orders", method: "OPTIONS", headers: ["Origin": "https://app.example.com"])
        #expect(!plain.answeredByBundle, "an OPTIONS without Access-Control-Request-Method reaches the app")
    }

    @Test func credentialsOnlyForAllowedOrigins() throws {
        var p = sampleProposal
        p.credentials = true
        let yaml = SymfonyRenderer().render(Policy(proposal: p), context: RenderContext())
        #expect(try Nelmio.answer(yaml, "/", headers: ["Origin": "https://app.example.com"]).headers["access-control-allow-credentials"] == "true")
        #expect(try Nelmio.answer(yaml, "/", headers: ["Origin": "https://evil.test"]).headers.isEmpty)
        p.credentials = false
        let off = SymfonyRenderer().render(Policy(proposal: p), context: RenderContext())
        #expect(try Nelmio.answer(off, "/", headers: ["Origin": "https://app.example.com"]).headers["access-control-allow-credentials"] == nil)
    }

    @Test func pathRulesAndPatternsApplyWhereTheySay() throws {
        let psl = PublicSuffixList.bundled
        let pattern = try OriginPattern.parse("https://*.partner.example", psl: psl).get()
        let policy = Policy(
            defaults: CORSRule(origins: [origin("https://app.example.com")], methods: [.put], headers: [HeaderName("x-a")!],
                               credentials: true, maxAge: 600),
            paths: [PathRule(prefix: PathPrefix("/admin/")!,
                             rule: CORSRule(origins: [origin("https://admin.example.com")], methods: [.delete], maxAge: 60)),
                    PathRule(prefix: PathPrefix("/public/")!,
                             rule: CORSRule(origins: [origin("https://app.example.com")], patterns: [pattern], maxAge: 7200))])
        let yaml = SymfonyRenderer().render(policy, context: RenderContext())
        #expect(try Nelmio.check(yaml).status == 0)
        let app = try Nelmio.answer(yaml, "/v1/x", headers: ["Origin": "https://app.example.com"])
        #expect(app.headers["access-control-allow-origin"] == "https://app.example.com")
        let appOnAdmin = try Nelmio.answer(yaml, "/admin/users", headers: ["Origin": "https://app.example.com"])
        #expect(appOnAdmin.rule == "^/admin/")
        #expect(appOnAdmin.headers.isEmpty, "the admin rule does not list app.example.com")
        let admin = try Nelmio.answer(yaml, "/admin/users", method: "OPTIONS", headers: [
            "Origin": "https://admin.example.com", "Access-Control-Request-Method": "DELETE"])
        #expect(admin.status == 200)
        #expect(admin.headers["access-control-allow-methods"] == "DELETE, GET, HEAD, POST")
        #expect(admin.headers["access-control-max-age"] == "60")
        #expect(admin.headers["access-control-allow-credentials"] == nil, "false in the path, and defaults hold no true to inherit")
        #expect(admin.headers["access-control-allow-headers"] == nil, "[] in the path, and defaults hold no headers to inherit")
        let shop = try Nelmio.answer(yaml, "/public/a", headers: ["Origin": "https://shop.partner.example"])
        #expect(shop.headers["access-control-allow-origin"] == "https://shop.partner.example")
        let appOnPublic = try Nelmio.answer(yaml, "/public/a", headers: ["Origin": "https://app.example.com"])
        #expect(appOnPublic.headers["access-control-allow-origin"] == "https://app.example.com", "exact entries as anchored regexes")
        for trick in ["https://a.b.partner.example", "https://partner.example", "https://shop.partner.example.evil.test",
                      "https://shoppartner.example", "http://shop.partner.example", "HTTPS://SHOP.PARTNER.EXAMPLE",
                      "https://shop.partner.example\n", "HTTPS://APP.EXAMPLE.COM", "https://app.example.com\n"]
            + ScannerProbes.refused {
            #expect(try Nelmio.answer(yaml, "/public/a", headers: ["Origin": trick]).headers.isEmpty, "\(trick)")
        }
    }

    /// The traps, shown on hand-written files: a path inherits what it sets empty or
    /// false, the first key that matches wins, origin regexes are case-insensitive and `$`
    /// matches before a final newline.
    @Test func theBundlesTrapsThatTheRenderedFileAvoids() throws {
        let inherits = """
            nelmio_cors:
              defaults: {allow_origin: ['https://app.example.com'], allow_methods: [PUT], allow_credentials: true, allow_headers: [x-a]}
              paths:
                '^/admin/': {allow_origin: ['https://admin.example.com'], allow_credentials: false, allow_headers: []}
            """
        let admin = try Nelmio.answer(inherits, "/admin/x", method: "OPTIONS", headers: [
            "Origin": "https://admin.example.com", "Access-Control-Request-Method": "PUT"])
        #expect(admin.headers["access-control-allow-credentials"] == "true", "allow_credentials: false is dropped, true inherited")
        #expect(admin.headers["access-control-allow-headers"] == "x-a", "allow_headers: [] is dropped, x-a inherited")
        let firstWins = """
            nelmio_cors:
              paths:
                '^/': {allow_origin: ['https://app.example.com'], allow_methods: [PUT]}
                '^/admin/': {allow_origin: ['https://admin.example.com'], allow_methods: [DELETE]}
                'api': {allow_origin: ['https://x.example.com'], allow_methods: [PUT]}
            """
        #expect(try Nelmio.answer(firstWins, "/admin/x", headers: [:]).rule == "^/", "declaration order, not length")
        let unanchored = "nelmio_cors:\n  paths:\n    'api': {allow_origin: ['https://x.example.com']}\n"
        #expect(try Nelmio.answer(unanchored, "/v1/rapid", headers: [:]).rule == "api", "unanchored: matches anywhere in the path")
        let regexes = """
            nelmio_cors:
              paths:
                '^/': {origin_regex: true, allow_origin: ['^https://app\\.example\\.com$'], allow_methods: [PUT]}
            """
        #expect(try Nelmio.answer(regexes, "/", headers: ["Origin": "HTTPS://APP.EXAMPLE.COM"]).headers["access-control-allow-origin"] != nil,
                "the bundle's i flag: without (?-i) the upper-case variant is allowed")
        #expect(try Nelmio.answer(regexes, "/", headers: ["Origin": "https://app.example.com\n"]).headers["access-control-allow-origin"] != nil,
                "$ matches before a final newline; \\z does not")
        let strict = "nelmio_cors:\n  paths:\n    '^/': {allow_origin: ['https://app.example.com'], allow_methods: [PUT]}\n"
        #expect(try Nelmio.answer(strict, "/", headers: ["Origin": "HTTPS://APP.EXAMPLE.COM"]).headers.isEmpty, "origin_regex: false is case-sensitive")
        #expect(try Nelmio.answer(strict, "/", method: "OPTIONS", headers: [
            "Origin": "https://app.example.com", "Access-Control-Request-Method": "POST"]).status == 405, "POST must be listed")
    }
}

/// php-cli with Symfony's YAML component and `Tests/Scripts/nelmio_check.php`.
enum Nelmio {
    static let yamlAutoload = "/usr/share/php/Symfony/Component/Yaml/autoload.php"
    static let script = PackagePaths.root.appendingPathComponent("Tests/Scripts/nelmio_check.php").path
    static var present: Bool {
        FileManager.default.isExecutableFile(atPath: RealLibraries.php) && FileManager.default.fileExists(atPath: yamlAutoload)
    }

    struct Answer {
        var answeredByBundle: Bool
        var status: Int
        var headers: [String: String]
        var rule: String?
    }

    static func withFile<T>(_ yaml: String, _ body: (String) throws -> T) throws -> T {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-nelmio-\(UUID().uuidString).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try body(file.path)
    }

    /// The parse and schema check: status 0 and the parsed config as JSON, or the errors.
    static func check(_ yaml: String) throws -> (status: Int32, out: String, err: String) {
        try withFile(yaml) { try runProcess(RealLibraries.php, [script, $0]) }
    }

    /// What the bundle answers to one request for `path` on https://api.example.com.
    static func answer(_ yaml: String, _ path: String, method: String = "GET", headers: [String: String]) throws -> Answer {
        let request: [String: Any] = ["path": path, "method": method, "headers": headers]
        let input = try JSONSerialization.data(withJSONObject: [request])
        let r = try withFile(yaml) { try runProcess(RealLibraries.php, [script, $0, "eval"], stdin: input) }
        guard r.status == 0, let list = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]],
              let a = list.first else {
            throw CorsLogError(.dataError, "nelmio_check.php eval failed: \(r.err) \(r.out)")
        }
        return Answer(answeredByBundle: a["answered_by_bundle"] as? Bool ?? false, status: a["status"] as? Int ?? 0,
                      headers: a["headers"] as? [String: String] ?? [:], rule: a["rule"] as? String)
    }
}
