import Foundation
import Testing
@testable import CorsLogKit

/// The Apache target inside a real Apache httpd 2.4: its standalone
/// configuration (which embeds the very snippet `render` prints) answers as
/// browsers need, and so does the snippet pasted into a virtual host with real
/// files, an ErrorDocument and a proxied application that sends CORS headers of its own.
@Suite(.serialized, .enabled(if: serverAvailable(RealApache.binary),
                             "apache2 is not installed (apt-get install apache2): real-server test skipped"))
struct ApacheRealServerTests {
    @Test func allowedOriginsGetTheirOriginBackAndOthersGetNothing() throws {
        try RealApache.withStandalone(Policy(proposal: sampleProposal)) { server in
            let allowed = try server.request("/v1/orders", headers: ["Origin: https://app.example.com"])
            #expect(allowed.status == 200)
            #expect(allowed.header("access-control-allow-origin") == ["https://app.example.com"])
            #expect(allowed.header("access-control-allow-credentials").isEmpty)
            #expect(allowed.header("access-control-max-age").isEmpty, "Max-Age only on the preflight")
            #expect(allowed.header("vary").contains { $0.contains("Origin") })
            let partner = try server.request("/", headers: ["Origin: https://partner.example.net:8443"])
            #expect(partner.header("access-control-allow-origin") == ["https://partner.example.net:8443"])
            for stranger in ["https://evil.test", "null", "https://partner.example.net"] {
                let r = try server.request("/v1/orders", headers: ["Origin: \(stranger)"])
                #expect(r.status == 200)
                #expect(!r.hasCORSHeaders, "\(stranger) must get no CORS header")
                #expect(r.header("vary").contains { $0.contains("Origin") }, "Vary: Origin on every response")
            }
            // Two Origin headers reach SetEnvIf joined as "a, b", which no anchored regex matches.
            let two = try server.request("/", headers: ["Origin: https://app.example.com", "Origin: https://evil.test"])
            #expect(!two.hasCORSHeaders)
            let none = try server.request("/v1/orders", headers: [])
            #expect(!none.hasCORSHeaders, "no Origin, no CORS headers")
            #expect(none.header("vary").contains { $0.contains("Origin") })
            try ScannerProbes.expectNoneGetCORS(server, path: "/v1/orders")
        }
    }

    @Test func preflightsFromAllowedOriginsAreAnswered204() throws {
        try RealApache.withStandalone(Policy(proposal: sampleProposal)) { server in
            let ok = try server.request("/v1/orders/7", method: "OPTIONS", headers: [
                "Origin: https://partner.example.net:8443", "Access-Control-Request-Method: PUT",
                "Access-Control-Request-Headers: authorization,content-type"])
            #expect(ok.status == 204)
            #expect(ok.header("access-control-allow-origin") == ["https://partner.example.net:8443"])
            #expect(ok.header("access-control-allow-methods") == ["DELETE, PUT"])
            #expect(ok.header("access-control-allow-headers") == ["authorization, content-type"])
            #expect(ok.header("access-control-max-age") == ["3600"])
            #expect(ok.header("access-control-allow-credentials").isEmpty)
            // mod_rewrite adds the request header its condition read; we add the other two.
            let vary = Set(ok.header("vary").flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } })
            #expect(vary == ["Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"], "\(vary)")
            // OPTIONS without Access-Control-Request-Method is not a preflight: the stub answers it.
            let plainOptions = try server.request("/v1/orders", method: "OPTIONS", headers: ["Origin: https://app.example.com"])
            #expect(plainOptions.status == 200)
            #expect(plainOptions.header("access-control-allow-origin") == ["https://app.example.com"])
            #expect(plainOptions.header("access-control-allow-methods").isEmpty)
            #expect(plainOptions.header("access-control-max-age").isEmpty)
            // A preflight from another origin is not answered 204 and gets nothing.
            let refused = try server.request("/v1/orders", method: "OPTIONS", headers: [
                "Origin: https://evil.test", "Access-Control-Request-Method: PUT"])
            #expect(refused.status == 200)
            #expect(!refused.hasCORSHeaders)
        }
    }

    /// A bracketed IPv6 origin with a port (`ScannerProbes.expectIPv6MatchedExactly`).
    @Test func anIPv6OriginIsMatchedExactly() throws {
        try RealApache.withStandalone(ScannerProbes.ipv6Policy) { try ScannerProbes.expectIPv6MatchedExactly($0) }
    }

    @Test func credentialsOnlyWhenTheRuleSaysSoAndOnlyForAllowedOrigins() throws {
        var p = sampleProposal
        p.credentials = true
        try RealApache.withStandalone(Policy(proposal: p)) { server in
            let allowed = try server.request("/", headers: ["Origin: https://app.example.com"])
            #expect(allowed.header("access-control-allow-credentials") == ["true"])
            let preflight = try server.request("/x", method: "OPTIONS", headers: [
                "Origin: https://app.example.com", "Access-Control-Request-Method: DELETE"])
            #expect(preflight.status == 204)
            #expect(preflight.header("access-control-allow-credentials") == ["true"])
            let other = try server.request("/", headers: ["Origin: https://evil.test"])
            #expect(other.header("access-control-allow-credentials").isEmpty)
            #expect(!other.hasCORSHeaders)
        }
    }

    static func pathPolicy() throws -> Policy {
        let psl = PublicSuffixList.bundled
        let pattern = try OriginPattern.parse("https://*.partner.example", psl: psl).get()
        return Policy(
            defaults: CORSRule(origins: [origin("https://app.example.com")], methods: [.put], credentials: true, maxAge: 600),
            paths: [PathRule(prefix: PathPrefix("/admin/")!,
                             rule: CORSRule(origins: [origin("https://admin.example.com")], methods: [.delete], maxAge: 60)),
                    PathRule(prefix: PathPrefix("/admin/audit/")!,
                             rule: CORSRule(origins: [origin("https://audit.example.com")], methods: [.patch], maxAge: 30)),
                    PathRule(prefix: PathPrefix("/public/")!,
                             rule: CORSRule(origins: [], patterns: [pattern], exposeHeaders: [HeaderName("x-request-id")!], maxAge: 7200)),
                    PathRule(prefix: PathPrefix("/reports")!,
                             rule: CORSRule(origins: [origin("https://reports.example.com")], maxAge: 600))])
    }

    @Test func pathRulesAndPatternsApplyWhereTheySay() throws {
        let policy = try Self.pathPolicy()
        try RealApache.withStandalone(policy) { server in
            let app = try server.request("/v1/x", headers: ["Origin: https://app.example.com"])
            #expect(app.header("access-control-allow-origin") == ["https://app.example.com"])
            #expect(app.header("access-control-allow-credentials") == ["true"])
            // The default block runs for /admin/ too (mod_headers joins every matching block);
            // the admin block's unset lines take its headers away again.
            for path in ["/admin/users", "/%61dmin/users", "//admin/users", "/v1/../admin/users"] {
                let appOnAdmin = try server.request(path, headers: ["Origin: https://app.example.com"])
                #expect(appOnAdmin.status == 200)
                #expect(!appOnAdmin.hasCORSHeaders, "the admin rule does not list app.example.com (\(path))")
                let preflight = try server.request(path, method: "OPTIONS", headers: [
                    "Origin: https://app.example.com", "Access-Control-Request-Method: PUT"])
                #expect(preflight.status == 200, "no 204 for the default rule's origin under /admin/ (\(path))")
                #expect(!preflight.hasCORSHeaders, "\(path)")
            }
            let adminGet = try server.request("/admin/users", headers: ["Origin: https://admin.example.com"])
            #expect(adminGet.header("access-control-allow-origin") == ["https://admin.example.com"])
            #expect(adminGet.header("access-control-allow-credentials").isEmpty, "the admin rule has no credentials")
            let admin = try server.request("/admin/users", method: "OPTIONS", headers: [
                "Origin: https://admin.example.com", "Access-Control-Request-Method: DELETE"])
            #expect(admin.status == 204)
            #expect(admin.header("access-control-allow-origin") == ["https://admin.example.com"])
            #expect(admin.header("access-control-allow-methods") == ["DELETE"])
            #expect(admin.header("access-control-max-age") == ["60"])
            #expect(admin.header("access-control-allow-credentials").isEmpty)
            // The nested, longer prefix wins over /admin/ — for headers and for the 204.
            let audit = try server.request("/admin/audit/log", method: "OPTIONS", headers: [
                "Origin: https://audit.example.com", "Access-Control-Request-Method: PATCH"])
            #expect(audit.status == 204)
            #expect(audit.header("access-control-allow-methods") == ["PATCH"])
            #expect(audit.header("access-control-max-age") == ["30"])
            let adminOnAudit = try server.request("/admin/audit/log", method: "OPTIONS", headers: [
                "Origin: https://admin.example.com", "Access-Control-Request-Method: DELETE"])
            #expect(adminOnAudit.status == 200)
            #expect(!adminOnAudit.hasCORSHeaders)
            // Outside every prefix: /admin (no slash) belongs to the defaults, as Policy.rule(for:) says.
            #expect(policy.rule(for: "/admin") == policy.defaults)
            let bare = try server.request("/admin", headers: ["Origin: https://app.example.com"])
            #expect(bare.header("access-control-allow-origin") == ["https://app.example.com"])
            // A prefix without a trailing slash is a string prefix (as in Policy.rule(for:)), not
            // Apache's <Location> path-segment match.
            #expect(policy.rule(for: "/reportsx").origins == [origin("https://reports.example.com")])
            let reports = try server.request("/reportsx", headers: ["Origin: https://reports.example.com"])
            #expect(reports.header("access-control-allow-origin") == ["https://reports.example.com"])
            // A pattern: one DNS label, echoed as matched.
            let shop = try server.request("/public/a", headers: ["Origin: https://shop.partner.example"])
            #expect(shop.header("access-control-allow-origin") == ["https://shop.partner.example"])
            #expect(shop.header("access-control-expose-headers") == ["x-request-id"])
            #expect(shop.header("access-control-allow-credentials").isEmpty)
            let shopPreflight = try server.request("/public/a", method: "OPTIONS", headers: [
                "Origin: https://shop-2.partner.example", "Access-Control-Request-Method: GET"])
            #expect(shopPreflight.status == 204)
            #expect(shopPreflight.header("access-control-max-age") == ["7200"])
            #expect(shopPreflight.header("access-control-allow-methods").isEmpty, "the rule lists no methods")
            for trick in ["https://a.b.partner.example", "https://partner.example", "https://shop.partner.example.evil.test",
                          "https://shoppartner.example", "http://shop.partner.example", "HTTPS://SHOP.PARTNER.EXAMPLE",
                          "https://-shop.partner.example", "https://shop.partner.example:443"] {
                #expect(!(try server.request("/public/a", headers: ["Origin: \(trick)"])).hasCORSHeaders, "\(trick)")
            }
            #expect(!(try server.request("/public/a", headers: ["Origin: https://app.example.com"])).hasCORSHeaders)
        }
    }

    /// The snippet as a user pastes it: inside a <VirtualHost> that serves files (Apache's
    /// own 404 through a local ErrorDocument), carries an old `Header always set … "*"`
    /// in its <Directory>, and proxies to an application that sends its own CORS headers.
    @Test func theSnippetInAVirtualHostOwnsEveryResponse() throws {
        var p = sampleProposal
        p.credentials = true
        let snippet = ApacheRenderer().render(Policy(proposal: p), context: RenderContext())
        try RealApache.with(config: { dir, port in
            let docs = dir.appendingPathComponent("htdocs")
            try FileManager.default.createDirectory(at: docs.appendingPathComponent("v1"), withIntermediateDirectories: true)
            try "{}\n".write(to: docs.appendingPathComponent("v1/orders"), atomically: true, encoding: .utf8)
            try "not here\n".write(to: docs.appendingPathComponent("404.html"), atomically: true, encoding: .utf8)
            try snippet.write(to: dir.appendingPathComponent("cors.conf"), atomically: true, encoding: .utf8)
            // A CGI application with its own CORS header: mod_headers documents that CGI (and
            // mod_proxy_fcgi, PHP-FPM) headers sit in the "always" table, not the onsuccess one.
            let cgi = dir.appendingPathComponent("cgi-bin")
            try FileManager.default.createDirectory(at: cgi, withIntermediateDirectories: true)
            let script = cgi.appendingPathComponent("app")
            try "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\nAccess-Control-Allow-Origin: *\\r\\n\\r\\nok\\n'\n"
                .write(to: script, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
            let m = RealApache.modules
            return """
                LoadModule setenvif_module \(m)/mod_setenvif.so
                LoadModule rewrite_module \(m)/mod_rewrite.so
                LoadModule alias_module \(m)/mod_alias.so
                LoadModule cgid_module \(m)/mod_cgid.so
                ScriptSock \(dir.path)/cgid.sock
                LoadModule proxy_module \(m)/mod_proxy.so
                LoadModule proxy_http_module \(m)/mod_proxy_http.so
                Listen 127.0.0.1:\(port + 1)
                # The application: answers with CORS headers of its own.
                <VirtualHost 127.0.0.1:\(port + 1)>
                    DocumentRoot \(docs.path)
                    <Directory \(docs.path)>
                        Require all granted
                    </Directory>
                    Header always set Access-Control-Allow-Origin "*"
                    Header always set Access-Control-Allow-Methods "GET, POST"
                    Header always set Access-Control-Allow-Credentials "true"
                </VirtualHost>
                <VirtualHost 127.0.0.1:\(port)>
                    DocumentRoot \(docs.path)
                    <Directory \(docs.path)>
                        Require all granted
                        Header always set Access-Control-Allow-Origin "*"
                    </Directory>
                    ErrorDocument 404 /404.html
                    ProxyPass /app/ http://127.0.0.1:\(port + 1)/v1/
                    ScriptAlias /cgi/ \(cgi.path)/
                    <Directory \(cgi.path)>
                        Require all granted
                    </Directory>
                    Include \(dir.path)/cors.conf
                </VirtualHost>

                """
        }) { server in
            let app = "Origin: https://app.example.com"
            let cgiAlone = try server.request("/cgi/app", headers: [])
            #expect(cgiAlone.status == 200, "the CGI application runs")
            for path in ["/v1/orders", "/v1/missing", "/app/orders", "/app/missing", "/cgi/app"] {
                let r = try server.request(path, headers: [app])
                #expect(r.status == (path.hasSuffix("missing") ? 404 : 200), "\(path)")
                #expect(r.header("access-control-allow-origin") == ["https://app.example.com"], "exactly ours on \(path)")
                #expect(r.header("access-control-allow-credentials") == ["true"], "\(path)")
                #expect(r.header("access-control-allow-methods").isEmpty, "the application's own is gone on \(path)")
                #expect(r.header("vary").contains { $0.contains("Origin") }, "\(path)")
                let stranger = try server.request(path, headers: ["Origin: https://evil.test"])
                #expect(!stranger.hasCORSHeaders, "not the old \"*\" nor the application's on \(path)")
                let none = try server.request(path, headers: [])
                #expect(!none.hasCORSHeaders, "\(path)")
            }
            let preflight = try server.request("/app/orders", method: "OPTIONS", headers: [
                app, "Access-Control-Request-Method: PUT", "Access-Control-Request-Headers: authorization"])
            #expect(preflight.status == 204, "answered before the proxy")
            #expect(preflight.header("access-control-allow-origin") == ["https://app.example.com"])
            #expect(preflight.header("access-control-allow-methods") == ["DELETE, PUT"])
            let plainOptions = try server.request("/app/orders", method: "OPTIONS", headers: [app])
            #expect(plainOptions.status == 200, "passed to the application")
            #expect(plainOptions.header("access-control-allow-origin") == ["https://app.example.com"])
            #expect(plainOptions.header("access-control-allow-methods").isEmpty)
            try ScannerProbes.expectNoneGetCORS(server, path: "/app/orders")
            try ScannerProbes.expectNoneGetCORS(server, path: "/v1/missing")
        }
    }

    /// What the renderer avoids, shown in the same Apache: SetEnvIfNoCase lets an
    /// upper-case Origin through; "Header set" misses Apache's own 404; without the
    /// unset lines a proxied application's header reaches the browser twice, and
    /// "Header unset" alone misses a CGI application's (it is in the "always" table); the
    /// default block's origin leaks into a path rule's block; <Location "/admin">
    /// does not cover /adminx; per-directory RewriteRules break .htaccess rules and
    /// folders without FollowSymLinks.
    @Test func theTrapsTheRendererAvoidsAreReal() throws {
        try RealApache.with(config: { dir, port in
            let docs = dir.appendingPathComponent("htdocs")
            try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
            try "{}\n".write(to: docs.appendingPathComponent("orders"), atomically: true, encoding: .utf8)
            // An application's front controller in .htaccess, and a folder without FollowSymLinks.
            for folder in ["ht", "ht2", "nofollow"] {
                let d = docs.appendingPathComponent(folder)
                try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
                try "{}\n".write(to: d.appendingPathComponent("orders"), atomically: true, encoding: .utf8)
            }
            for folder in ["ht", "ht2"] {
                try "front\n".write(to: docs.appendingPathComponent("\(folder)/index.txt"), atomically: true, encoding: .utf8)
                try "RewriteEngine On\nRewriteRule ^front$ index.txt [L]\n"
                    .write(to: docs.appendingPathComponent("\(folder)/.htaccess"), atomically: true, encoding: .utf8)
            }
            let cgi = dir.appendingPathComponent("cgi-bin")
            try FileManager.default.createDirectory(at: cgi, withIntermediateDirectories: true)
            let script = cgi.appendingPathComponent("app")
            try "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\nAccess-Control-Allow-Origin: *\\r\\n\\r\\nok\\n'\n"
                .write(to: script, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
            let m = RealApache.modules
            return """
                LoadModule setenvif_module \(m)/mod_setenvif.so
                LoadModule rewrite_module \(m)/mod_rewrite.so
                LoadModule alias_module \(m)/mod_alias.so
                LoadModule cgid_module \(m)/mod_cgid.so
                ScriptSock \(dir.path)/cgid.sock
                LoadModule proxy_module \(m)/mod_proxy.so
                LoadModule proxy_http_module \(m)/mod_proxy_http.so
                Listen 127.0.0.1:\(port + 1)
                <VirtualHost 127.0.0.1:\(port + 1)>
                    DocumentRoot \(docs.path)
                    <Directory \(docs.path)>
                        Require all granted
                    </Directory>
                    Header set Access-Control-Allow-Origin "*"
                </VirtualHost>
                <VirtualHost 127.0.0.1:\(port)>
                    DocumentRoot \(docs.path)
                    <Directory \(docs.path)>
                        Require all granted
                        AllowOverride All
                    </Directory>
                    <Directory \(docs.path)/nofollow>
                        Options -FollowSymLinks
                    </Directory>
                    # A preflight answered by per-directory RewriteRules, as the renderer does not.
                    <LocationMatch "^/(ht|nofollow)/">
                        RewriteEngine On
                        RewriteCond %{REQUEST_METHOD} =OPTIONS
                        RewriteRule ^ - [R=204]
                    </LocationMatch>
                    SetEnvIfNoCase Origin "^https://app\\.example\\.com$" NOCASE_ORIGIN=https://app.example.com
                    SetEnvIf Origin "^https://app\\.example\\.com$" EXACT_ORIGIN=https://app.example.com
                    Alias /nocase/ \(docs.path)/
                    Alias /onsuccess/ \(docs.path)/
                    Alias /files/ \(docs.path)/
                    ProxyPass /proxied/ http://127.0.0.1:\(port + 1)/
                    ScriptAlias /cgi/ \(cgi.path)/
                    <Directory \(cgi.path)>
                        Require all granted
                    </Directory>
                    <Location "/cgi/">
                        Header unset Access-Control-Allow-Origin
                    </Location>
                    <Location "/">
                        Header always set X-Exact "%{EXACT_ORIGIN}e" env=EXACT_ORIGIN
                        Header always set X-Nocase "%{NOCASE_ORIGIN}e" env=NOCASE_ORIGIN
                        Header always set Access-Control-Allow-Origin "%{EXACT_ORIGIN}e" env=EXACT_ORIGIN
                        Header always merge Vary Origin
                    </Location>
                    <Location "/onsuccess/">
                        Header set X-Onsuccess "yes"
                    </Location>
                    <LocationMatch "^/files/">
                        Header always set X-Files-Block "yes"
                    </LocationMatch>
                    <Location "/fil">
                        Header always set X-Location-Fil "yes"
                    </Location>
                </VirtualHost>

                """
        }) { server in
            let upper = try server.request("/nocase/orders", headers: ["Origin: HTTPS://APP.EXAMPLE.COM"])
            #expect(upper.header("x-nocase") == ["https://app.example.com"], "SetEnvIfNoCase matches the upper-case Origin")
            #expect(upper.header("x-exact").isEmpty, "SetEnvIf does not")
            let found = try server.request("/onsuccess/orders", headers: [])
            #expect(found.header("x-onsuccess") == ["yes"])
            let missing = try server.request("/onsuccess/missing", headers: [])
            #expect(missing.status == 404)
            #expect(missing.header("x-onsuccess").isEmpty, "Header set (onsuccess) is not on Apache's own 404")
            let proxied = try server.request("/proxied/orders", headers: ["Origin: https://app.example.com"])
            #expect(proxied.status == 200)
            #expect(proxied.header("access-control-allow-origin").sorted() == ["*", "https://app.example.com"],
                    "the application's header and ours: two, which browsers refuse")
            // A CGI application's header is in the "always" table: "Header unset" does not reach it,
            // and "Header always set" replaces it (one header, ours) where a proxied one doubled.
            let cgiStranger = try server.request("/cgi/app", headers: ["Origin: https://evil.test"])
            #expect(cgiStranger.status == 200)
            #expect(cgiStranger.header("access-control-allow-origin") == ["*"], "\(cgiStranger.headers)")
            let cgiApp = try server.request("/cgi/app", headers: ["Origin: https://app.example.com"])
            #expect(cgiApp.header("access-control-allow-origin") == ["https://app.example.com"], "\(cgiApp.headers)")
            // Both matching blocks run, in order: the outer block's header stays under /files/.
            let files = try server.request("/files/orders", headers: ["Origin: https://app.example.com"])
            #expect(files.header("x-files-block") == ["yes"])
            #expect(files.header("access-control-allow-origin") == ["https://app.example.com"], "the / block also ran")
            // <Location "/fil"> matches whole path segments only.
            #expect(files.header("x-location-fil").isEmpty)
            #expect(try server.request("/fil/x", headers: []).header("x-location-fil") == ["yes"])
            // Per-directory RewriteRules in a <Location>: they do answer 204, but they replace the
            // .htaccess rules (the front controller is gone) and, without FollowSymLinks, every
            // request is refused with 403.
            #expect(try server.request("/ht/orders", method: "OPTIONS", headers: []).status == 204)
            #expect(try server.request("/ht/orders", headers: []).status == 200)
            #expect(try server.request("/ht2/front", headers: []).status == 200, "outside the block, the .htaccess rule runs")
            #expect(try server.request("/ht/front", headers: []).status == 404, "inside, it no longer does")
            #expect(try server.request("/nofollow/orders", headers: []).status == 403)
            #expect(try server.request("/nofollow/orders", method: "OPTIONS", headers: []).status == 403)
        }
    }

    @Test func theStandaloneLogIsWhatCorslogsApachePresetReads() throws {
        try RealApache.withStandalone(Policy(proposal: sampleProposal)) { server in
            _ = try server.request("/v1/orders?x=1", headers: ["Origin: https://app.example.com"])
            _ = try server.request("/v1/orders/7", method: "OPTIONS", headers: [
                "Origin: https://app.example.com", "Access-Control-Request-Method: PUT",
                "Access-Control-Request-Headers: authorization"])
            _ = try server.request("/v1/orders", headers: ["Origin: https://evil.test\"quote"])
            _ = try server.request("/v1/orders", headers: [])
            server.stop(SIGWINCH)
            var options = AnalysisOptions(paths: [server.dir.appendingPathComponent("access.log").path])
            options.format = .given(try #require(LogFormat.preset("apache-cors")))
            let a = try Analyzer.analyze(options)
            #expect(a.input.parsed == 5, "four requests and the start-up probe")
            #expect(a.input.skipped == 0, "\(a.input.skippedExamples.map(\.reason))")
            let s = try #require(a.evidence.origins[origin("https://app.example.com")])
            #expect(s.requests == 2)
            #expect(s.preflights == 1)
            #expect(s.requestedMethods == [.put: 1])
            #expect(s.requestedHeaders == [HeaderName("authorization")!: 1])
            #expect(s.statusClasses[2] == 2)
            // The 200 and the 204 carried our Access-Control-Allow-Origin, logged by %{…}o.
            #expect(s.allowOriginAnswers.echoed == 2)
            #expect(a.evidence.invalid.requests == 1)
            #expect(a.evidence.linesWithoutOrigin == 2)
        }
    }

    /// The standalone needs no root: as root (as in CI), it is started as nobody, owning only its folder.
    @Test func theStandaloneStartsAsAnOrdinaryUser() throws {
        try RealApache.withStandalone(Policy(proposal: sampleProposal), asNobody: getuid() == 0) { server in
            let r = try server.request("/v1/orders", headers: ["Origin: https://app.example.com"])
            #expect(r.status == 200)
            #expect(r.header("access-control-allow-origin") == ["https://app.example.com"])
            let pid = try String(contentsOf: server.dir.appendingPathComponent("httpd.pid"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
            let uid = status.split(separator: "\n").first { $0.hasPrefix("Uid:") }?.split(separator: "\t").dropFirst().first
            #expect(uid.map(String.init) == (getuid() == 0 ? "65534" : String(getuid())), "the main process is not root")
        }
    }
}

extension RealApache {
    /// Apache running `ApacheRenderer.standalone` and nothing else (no `baseConfig`):
    /// its ServerRoot, pid file, logs and mutexes are those the standalone names.
    /// `asNobody` starts it as uid 65534 (with setpriv) in a folder that user owns.
    static func withStandalone(_ policy: Policy, asNobody: Bool = false, _ body: (RealServer) throws -> Void) throws {
        try RealServer.with("apache", configure: { dir, port in
            let options = try StandaloneOptions.make(listen: "127.0.0.1:\(port)",
                                                     accessLog: dir.appendingPathComponent("access.log").path).get()
            let config = try #require(ApacheRenderer().standalone(policy, context: RenderContext(), options: options))
            let file = dir.appendingPathComponent("httpd.conf")
            try config.write(to: file, atomically: true, encoding: .utf8)
            let check = try runProcess(binary, ["-t", "-f", file.path])
            #expect(check.status == 0, "apache2 -t: \(check.err)")
            // The command the standalone's header names, without -d: it brings its own ServerRoot.
            let command = [binary, "-f", file.path, "-DFOREGROUND"]
            if asNobody { #expect(chown(dir.path, 65534, 65534) == 0, "chown the server's folder") }
            return RealServer.Launch(executable: asNobody ? "/usr/bin/setpriv" : binary,
                                     arguments: asNobody ? ["--reuid=65534", "--regid=65534", "--clear-groups"] + command
                                                         : Array(command.dropFirst()),
                                     environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C"],
                                     stopSignal: SIGWINCH)
        }, body)
    }
}
