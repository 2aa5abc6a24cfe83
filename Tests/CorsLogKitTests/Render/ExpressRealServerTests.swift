import Foundation
import Testing
@testable import CorsLogKit

/// The express target in a real Express 4.18 with Debian's `cors` 2.8.5
/// (NODE_PATH=/usr/share/nodejs): its standalone app (which embeds the very
/// module `render` prints), and apps that `require` the rendered module.
@Suite(.serialized, .enabled(if: RealLibraries.available(RealLibraries.nodeHas("express") && RealLibraries.nodeHas("cors")),
                             "node-express / node-cors are not installed (apt-get install node-express node-cors): real-server test skipped"))
struct ExpressRealServerTests {
    @Test func allowedOriginsGetTheirOriginBackAndOthersGetNothing() throws {
        try RealExpress.with(Policy(proposal: sampleProposal)) { server in
            let allowed = try server.request("/v1/orders", headers: ["Origin: https://app.example.com"])
            #expect(allowed.status == 200)
            #expect(allowed.header("access-control-allow-origin") == ["https://app.example.com"])
            #expect(allowed.header("access-control-allow-credentials").isEmpty)
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
            let nonePreflight = try server.request("/v1/orders", method: "OPTIONS", headers: ["Access-Control-Request-Method: PUT"])
            #expect(!nonePreflight.hasCORSHeaders, "cors alone answers this 204 with Allow-Methods")
            try ScannerProbes.expectNoneGetCORS(server, path: "/v1/orders")
        }
    }

    @Test func preflightsFromAllowedOriginsAreAnswered204AndPlainOptionsReachTheApp() throws {
        try RealExpress.with(Policy(proposal: sampleProposal)) { server in
            let ok = try server.request("/v1/orders/7", method: "OPTIONS", headers: [
                "Origin: https://partner.example.net:8443", "Access-Control-Request-Method: PUT",
                "Access-Control-Request-Headers: authorization,content-type,x-other"])
            #expect(ok.status == 204)
            #expect(ok.header("access-control-allow-origin") == ["https://partner.example.net:8443"])
            #expect(ok.header("access-control-allow-methods") == ["DELETE,PUT"])
            #expect(ok.header("access-control-allow-headers") == ["authorization,content-type"], "our list, not the request's")
            #expect(ok.header("access-control-max-age") == ["3600"])
            #expect(ok.header("content-length") == ["0"])
            let refused = try server.request("/v1/orders/7", method: "OPTIONS", headers: [
                "Origin: https://evil.test", "Access-Control-Request-Method: PUT"])
            #expect(refused.status == 200, "not answered by cors: the app's own answer")
            #expect(!refused.hasCORSHeaders)
            // OPTIONS without Access-Control-Request-Method is not a preflight.
            let plainOptions = try server.request("/v1/orders", method: "OPTIONS", headers: ["Origin: https://app.example.com"])
            #expect(plainOptions.status == 200)
            #expect(plainOptions.header("access-control-allow-methods").isEmpty)
        }
    }

    @Test func noMethodsOrHeadersMeansNoSuchPreflightHeaders() throws {
        let p = Proposal(origins: [origin("https://app.example.com")], methods: [], headers: [], maxAge: 600, credentials: false)
        try RealExpress.with(Policy(proposal: p)) { server in
            let r = try server.request("/", method: "OPTIONS", headers: [
                "Origin: https://app.example.com", "Access-Control-Request-Method: PUT", "Access-Control-Request-Headers: x-secret"])
            #expect(r.status == 204)
            #expect(r.header("access-control-allow-methods").isEmpty, "not cors's default GET,HEAD,PUT,PATCH,POST,DELETE")
            #expect(r.header("access-control-allow-headers").isEmpty, "not the reflected x-secret")
            #expect(r.header("access-control-max-age") == ["600"])
        }
    }

    @Test func credentialsOnlyForAllowedOrigins() throws {
        var p = sampleProposal
        p.credentials = true
        try RealExpress.with(Policy(proposal: p)) { server in
            let allowed = try server.request("/", headers: ["Origin: https://app.example.com"])
            #expect(allowed.header("access-control-allow-credentials") == ["true"])
            let preflight = try server.request("/", method: "OPTIONS", headers: [
                "Origin: https://app.example.com", "Access-Control-Request-Method: DELETE"])
            #expect(preflight.header("access-control-allow-credentials") == ["true"])
            for path in ["/", "/x"] {
                let other = try server.request(path, headers: ["Origin: https://evil.test"])
                #expect(other.header("access-control-allow-credentials").isEmpty)
            }
        }
    }

    @Test func pathRulesAndPatternsApplyWhereTheySay() throws {
        let psl = PublicSuffixList.bundled
        let pattern = try OriginPattern.parse("https://*.partner.example", psl: psl).get()
        let policy = Policy(
            defaults: CORSRule(origins: [origin("https://app.example.com")], methods: [.put], credentials: true, maxAge: 600),
            paths: [PathRule(prefix: PathPrefix("/admin/")!,
                             rule: CORSRule(origins: [origin("https://admin.example.com")], methods: [.delete], maxAge: 60)),
                    PathRule(prefix: PathPrefix("/public/")!,
                             rule: CORSRule(origins: [], patterns: [pattern], maxAge: 7200))])
        try RealExpress.with(policy) { server in
            let app = try server.request("/v1/x", headers: ["Origin: https://app.example.com"])
            #expect(app.header("access-control-allow-origin") == ["https://app.example.com"])
            let appOnAdmin = try server.request("/admin/users", headers: ["Origin: https://app.example.com"])
            #expect(!appOnAdmin.hasCORSHeaders, "the admin rule does not list app.example.com; the defaults do not add theirs")
            let admin = try server.request("/admin/users", method: "OPTIONS", headers: [
                "Origin: https://admin.example.com", "Access-Control-Request-Method: DELETE"])
            #expect(admin.status == 204)
            #expect(admin.header("access-control-allow-origin") == ["https://admin.example.com"])
            #expect(admin.header("access-control-allow-methods") == ["DELETE"])
            #expect(admin.header("access-control-max-age") == ["60"])
            #expect(admin.header("access-control-allow-credentials").isEmpty, "the admin rule has no credentials")
            let adminOnDefaults = try server.request("/v1/x", headers: ["Origin: https://admin.example.com"])
            #expect(!adminOnDefaults.hasCORSHeaders)
            let shop = try server.request("/public/a", headers: ["Origin: https://shop.partner.example"])
            #expect(shop.header("access-control-allow-origin") == ["https://shop.partner.example"])
            for trick in ["https://a.b.partner.example", "https://partner.example", "https://shop.partner.example.evil.test",
                          "https://shoppartner.example", "http://shop.partner.example", "HTTPS://SHOP.PARTNER.EXAMPLE"] {
                #expect(!(try server.request("/public/a", headers: ["Origin: \(trick)"])).hasCORSHeaders, "\(trick)")
            }
            try ScannerProbes.expectNoneGetCORS(server, path: "/public/a")
        }
    }

    /// The rendered module `require`d by an app with one route: Express's own 404
    /// (finalhandler) keeps the headers set before it.
    @Test func theAppsOwn404KeepsTheCORSHeaders() throws {
        let module = ExpressRenderer().render(Policy(proposal: sampleProposal), context: RenderContext())
        try RealExpress.run(files: ["cors-policy.js": module], main: """
            const express = require('express');
            const app = express();
            app.use(require('./cors-policy'));
            app.get('/corslog-startup-probe', (req, res) => res.send('ok'));
            """) { server in
            let missing = try server.request("/v1/missing", headers: ["Origin: https://app.example.com"])
            #expect(missing.status == 404)
            #expect(missing.header("access-control-allow-origin") == ["https://app.example.com"])
            #expect(missing.header("vary") == ["Origin"])
            let other = try server.request("/v1/missing", headers: ["Origin: https://evil.test"])
            #expect(other.status == 404)
            #expect(!other.hasCORSHeaders)
        }
    }

    /// What plain `cors` 2.8.5 does, which the module avoids: proven here so that
    /// a new `cors` that changes it shows up.
    @Test func plainCorsAnswersEveryOriginsPreflightAndPerPathAppUseLeaksTheDefaults() throws {
        try RealExpress.run(files: [:], main: """
            const express = require('express');
            const cors = require('cors');
            const app = express();
            app.use('/admin', cors({ origin: ['https://admin.example.com'], methods: ['DELETE'] }));
            app.use(cors({ origin: ['https://app.example.com'], credentials: true }));
            app.use((req, res) => res.send('ok'));
            """) { server in
            let evilPreflight = try server.request("/v1/x", method: "OPTIONS", headers: [
                "Origin: https://evil.test", "Access-Control-Request-Method: PUT", "Access-Control-Request-Headers: x-secret"])
            #expect(evilPreflight.status == 204)
            #expect(evilPreflight.header("access-control-allow-origin").isEmpty)
            #expect(evilPreflight.header("access-control-allow-methods") == ["GET,HEAD,PUT,PATCH,POST,DELETE"], "the default methods")
            #expect(evilPreflight.header("access-control-allow-headers") == ["x-secret"], "reflected")
            #expect(evilPreflight.header("access-control-allow-credentials") == ["true"], "to any origin")
            let noOrigin = try server.request("/v1/x", method: "OPTIONS", headers: [])
            #expect(noOrigin.status == 204, "any OPTIONS is a preflight to cors")
            let evilGet = try server.request("/v1/x", headers: ["Origin: https://evil.test"])
            #expect(evilGet.header("access-control-allow-credentials") == ["true"])
            #expect(evilGet.header("vary") == ["Origin"])
            let leak = try server.request("/admin/users", headers: ["Origin: https://app.example.com"])
            #expect(leak.header("access-control-allow-origin") == ["https://app.example.com"],
                    "both app.use run for /admin/x: the defaults allow an origin the /admin rule refused")
        }
    }

    @Test func theStandaloneLogsWhatCorslogReads() throws {
        try RealExpress.with(Policy(proposal: sampleProposal)) { server in
            _ = try server.request("/v1/orders?x=1", headers: ["Origin: https://app.example.com"])
            _ = try server.request("/v1/orders/7", method: "OPTIONS", headers: [
                "Origin: https://app.example.com", "Access-Control-Request-Method: PUT",
                "Access-Control-Request-Headers: authorization"])
            _ = try server.request("/v1/orders", headers: ["Origin: https://evil.test\"quote"])
            _ = try server.request("/v1/orders", headers: [])
            // The app writes a line on the response's 'finish' event, which may come after
            // curl has its answer: wait (at most 5 s) for the five lines.
            let logPath = server.dir.appendingPathComponent("access.log").path
            for _ in 0..<100 {
                let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                if text.split(separator: "\n").count >= 5 { break }
                usleep(50_000)
            }
            var options = AnalysisOptions(paths: [logPath])
            options.format = .given(LogFormat.preset("json")!)
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

/// Debian's node running an Express app.
enum RealExpress {
    static let environment = ["NODE_PATH": RealLibraries.nodePath, "PATH": "/usr/bin:/bin"]

    /// `ExpressRenderer.standalone` for `policy`.
    static func with(_ policy: Policy, _ body: (RealServer) throws -> Void) throws {
        try RealServer.with("express", configure: { dir, port in
            let options = try StandaloneOptions.make(listen: "127.0.0.1:\(port)",
                                                     accessLog: dir.appendingPathComponent("access.log").path).get()
            let app = try #require(ExpressRenderer().standalone(policy, context: RenderContext(), options: options))
            let file = dir.appendingPathComponent("app.js")
            try app.write(to: file, atomically: true, encoding: .utf8)
            return RealServer.Launch(executable: RealLibraries.node, arguments: [file.path], environment: environment)
        }, body)
    }

    /// An app: `files` beside it, then `main` (which defines `app`), listening on the test's port.
    static func run(files: [String: String], main: String, _ body: (RealServer) throws -> Void) throws {
        try RealServer.with("express", configure: { dir, port in
            for (name, text) in files {
                try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
            let file = dir.appendingPathComponent("app.js")
            try (main + "\napp.listen(\(port), '127.0.0.1');\n").write(to: file, atomically: true, encoding: .utf8)
            return RealServer.Launch(executable: RealLibraries.node, arguments: [file.path], environment: environment)
        }, body)
    }
}
