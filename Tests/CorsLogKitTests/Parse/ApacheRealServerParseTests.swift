import Foundation
import Testing
@testable import CorsLogKit

/// `corslog log-format apache` pasted into a real Apache httpd 2.4: what it writes
/// to the access log is what the `apache-cors` preset reads, and `%{…}o` shows the
/// CORS headers exactly as the browser received them.
@Suite(.serialized, .enabled(if: serverAvailable(RealApache.binary), "apache2 is not installed (apt-get install apache2): real-server test skipped"))
struct ApacheRealServerParseTests {
    @Test func theAdvisedLogFormatIsWhatApacheWritesAndCorslogReads() throws {
        try RealApache.withAdvice { server in
            let app = "Origin: https://app.example.com"
            // "Header always set": on the 200, the 404 and the preflight.
            let ok = try server.request("/always/orders?x=1", headers: [app])
            #expect(ok.status == 200)
            #expect(ok.header("access-control-allow-origin") == ["*"])
            let missing = try server.request("/always/missing", headers: [app])
            #expect(missing.status == 404)
            #expect(missing.header("access-control-allow-origin") == ["*"])
            let preflight = try server.request("/always/orders", method: "OPTIONS", headers: [
                app, "Access-Control-Request-Method: PUT", "Access-Control-Request-Headers: authorization,content-type"])
            #expect(preflight.status == 200)
            #expect(preflight.header("access-control-allow-origin") == ["*"])
            // "Header set" (without always): on the 200, but not on Apache's own 404.
            let onSuccess = try server.request("/onsuccess/orders", headers: [app])
            #expect(onSuccess.status == 200)
            #expect(onSuccess.header("access-control-allow-origin") == ["*"])
            let onSuccessMissing = try server.request("/onsuccess/missing", headers: [app])
            #expect(onSuccessMissing.status == 404)
            #expect(onSuccessMissing.header("access-control-allow-origin").isEmpty)
            // The Origin echoed with credentials, as the partner's answer.
            let partner = try server.request("/echo/orders", headers: ["Origin: https://partner.example.net:8443"])
            #expect(partner.header("access-control-allow-origin") == ["https://partner.example.net:8443"])
            #expect(partner.header("access-control-allow-credentials") == ["true"])
            // Hostile values: a quote is logged escaped (\") in both the Origin and the echoed
            // answer; a control byte makes Apache refuse the request (400) before the Origin is read.
            let quote = try server.request("/echo/orders", headers: ["Origin: https://a.example\"x"])
            #expect(quote.status == 200)
            #expect(quote.header("access-control-allow-origin") == ["https://a.example\"x"])
            let control = try server.request("/echo/orders", headers: ["Origin: https://a.example\u{01}y"])
            #expect(control.status == 400)
            _ = try server.request("/always/orders", headers: [])
            server.stop(SIGWINCH)

            let log = try String(contentsOf: RealApache.accessLog(server), encoding: .utf8)
            #expect(log.contains(#""https://a.example\"x" "-" "-" "https://a.example\"x" "true""#), "\(log)")
            var options = AnalysisOptions(paths: [RealApache.accessLog(server).path])
            options.format = .given(try #require(LogFormat.preset("apache-cors")))
            let a = try Analyzer.analyze(options)
            #expect(a.input.parsed == 10, "nine requests and the start-up probe")
            #expect(a.input.skipped == 0, "\(a.input.skippedExamples.map(\.reason))")
            let s = try #require(a.evidence.origins[origin("https://app.example.com")])
            #expect(s.requests == 5)
            #expect(s.preflights == 1)
            #expect(s.requestedMethods == [.put: 1])
            #expect(s.requestedHeaders == [HeaderName("authorization")!: 1, HeaderName("content-type")!: 1])
            #expect(s.methods == [.get: 4])
            #expect(s.statusClasses[2] == 3 && s.statusClasses[4] == 2)
            // The four responses that carried "*" (always: 200, 404, preflight; set: 200), and
            // the one that carried nothing (set: Apache's 404).
            #expect(s.allowOriginAnswers == AllowOriginAnswers(none: 1, wildcard: 4, echoed: 0, other: 0))
            let p = try #require(a.evidence.origins[origin("https://partner.example.net:8443")])
            #expect(p.requests == 1)
            #expect(p.allowOriginAnswers.echoed == 1)
            #expect(p.credentialedResponses == 1)
            #expect(a.evidence.invalid.requests == 1)
            #expect(a.evidence.invalid.examples == ["https://a.example\"x"])
            // The probe, the request without Origin, and the 400 whose Origin Apache never read.
            #expect(a.evidence.linesWithoutOrigin == 3)
            #expect(a.evidence.origins.count == 2)

            // Without --format, corslog finds a preset that reads the log the same way.
            let detected = try Analyzer.analyze(AnalysisOptions(paths: [RealApache.accessLog(server).path]))
            #expect(detected.input.parsed == 10)
            #expect(detected.evidence.origins == a.evidence.origins)
            #expect(detected.evidence.invalid == a.evidence.invalid)
        }
    }
}

/// The policy audit on what a real Apache wrote: its `/echo/` location reflects any
/// Origin with credentials, as a misconfigured server does.
@Suite(.serialized, .enabled(if: serverAvailable(RealApache.binary), "apache2 is not installed (apt-get install apache2): real-server test skipped"))
struct ApacheRealServerAuditTests {
    @Test func theAuditFindsBlindReflectionWithCredentialsInWhatApacheLogged() throws {
        try RealApache.withAdvice { server in
            let app = "Origin: https://app.example.com"
            for i in 0..<6 {
                _ = try server.request("/always/orders?i=\(i)", headers: [app])
            }
            let probes = ["https://app.example.com.evil.test", "https://random-7q.example", "http://app.example.com",
                          "null", "https://evil.test\"x"]
            for p in probes {
                let r = try server.request("/echo/orders", headers: ["Origin: \(p)"])
                #expect(r.header("access-control-allow-origin") == [p], "Apache echoes \(p)")
                #expect(r.header("access-control-allow-credentials") == ["true"])
            }
            server.stop(SIGWINCH)

            var options = AnalysisOptions(paths: [RealApache.accessLog(server).path])
            options.format = .given(try #require(LogFormat.preset("apache-cors")))
            options.sites = [origin("https://api.example.com")]
            let a = try Analyzer.analyze(options)
            var inferenceOptions = InferenceOptions()
            inferenceOptions.sites = options.sites
            inferenceOptions.minClients = 1
            inferenceOptions.minDays = 1
            let i = Inferrer.infer(a.evidence, options: inferenceOptions, psl: PublicSuffixList.bundled)
            let audit = PolicyAudit.audit(a.evidence, i, syntax: a.format.syntax)
            #expect(audit.available)
            #expect(a.evidence.answeredRequests == 11, "six from app.example.com, five probes")
            let reflects = try #require(audit.findings.first { $0.code == .reflectsAnyOrigin }, "\(audit.findings)")
            // The lookalike, the http downgrade and the invalid value; the random origin is allowed
            // with --min-clients 1, and null has its own finding.
            #expect(reflects.requests == 3 && reflects.origins == 2)
            #expect(reflects.example == "https://evil.test\"x", "the echoed invalid value is the surest sign")
            let cred = try #require(audit.findings.first { $0.code == .credentialsWithReflection })
            #expect(cred.severity == .critical)
            #expect(cred.requests == 4, "lookalike, http, null, the invalid value: \(cred)")
            #expect(audit.findings.contains { $0.code == .nullAllowed })
            #expect(audit.findings.first?.code == .credentialsWithReflection)
            #expect(audit.summary.wildcard.requests == 6)
        }
    }
}

/// Apache httpd 2.4 run by `RealServer`: `-DFOREGROUND`, its own ServerRoot,
/// pid file, logs, mutexes and runtime directory, stopped gracefully (SIGWINCH).
enum RealApache {
    static let binary = "/usr/sbin/apache2"
    static let modules = "/usr/lib/apache2/modules"

    /// Where the advice's `CustomLog ${APACHE_LOG_DIR}/access.log …` writes, with APACHE_LOG_DIR = the server's folder.
    static func accessLog(_ server: RealServer) -> URL { server.dir.appendingPathComponent("access.log") }

    /// The directives every test server needs, before its own.
    static func baseConfig(dir: URL, port: Int) -> String {
        let mpm = FileManager.default.fileExists(atPath: "\(modules)/mod_mpm_event.so") ? "event" : "prefork"
        return """
            ServerRoot \(dir.path)
            ServerName 127.0.0.1
            Listen 127.0.0.1:\(port)
            PidFile \(dir.path)/httpd.pid
            ErrorLog \(dir.path)/error.log
            LogLevel warn
            Mutex file:\(dir.path) default
            DefaultRuntimeDir \(dir.path)
            # Used only when started as root (as in CI): the children run as nobody.
            User #65534
            Group #65534
            GracefulShutdownTimeout 5
            LoadModule mpm_\(mpm)_module \(modules)/mod_mpm_\(mpm).so
            LoadModule authz_core_module \(modules)/mod_authz_core.so
            LoadModule headers_module \(modules)/mod_headers.so

            """
    }

    /// Starts Apache with `config` (written to httpd.conf) and runs `body`.
    static func with(config: (URL, Int) throws -> String, _ body: (RealServer) throws -> Void) throws {
        try RealServer.with("apache", configure: { dir, port in
            let file = dir.appendingPathComponent("httpd.conf")
            try (baseConfig(dir: dir, port: port) + config(dir, port)).write(to: file, atomically: true, encoding: .utf8)
            return launch(file, dir: dir)
        }, body)
    }

    /// How `RealServer` starts Apache with the complete configuration `file`.
    static func launch(_ file: URL, dir: URL) -> RealServer.Launch {
        // Debian's apache2 reads its variables from /etc/apache2/envvars through apache2ctl;
        // started directly, it needs none of them (the config defines what it uses).
        RealServer.Launch(executable: binary, arguments: ["-d", dir.path, "-f", file.path, "-DFOREGROUND"],
                          environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C"],
                          stopSignal: SIGWINCH)
    }

    /// The advice exactly as `corslog log-format apache` prints it, included into
    /// the server config, and locations answering CORS the ways users write it.
    static func withAdvice(_ body: (RealServer) throws -> Void) throws {
        try with(config: { dir, _ in
            let advice = try #require(LogFormatAdvice.directive(for: "apache"))
            try advice.write(to: dir.appendingPathComponent("corslog-advice.conf"), atomically: true, encoding: .utf8)
            let customLog = try #require(advice.split(separator: "\n").first { $0.hasPrefix("CustomLog ") },
                                         "the advice has a CustomLog line")
            #expect(customLog.split(separator: " ")[1] == "${APACHE_LOG_DIR}/access.log")
            let docs = dir.appendingPathComponent("htdocs")
            for folder in ["always", "onsuccess", "echo"] {
                let d = docs.appendingPathComponent(folder)
                try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
                try "{}\n".write(to: d.appendingPathComponent("orders"), atomically: true, encoding: .utf8)
            }
            return """
                DocumentRoot \(docs.path)
                <Directory \(docs.path)>
                    Require all granted
                </Directory>
                Define APACHE_LOG_DIR \(dir.path)
                Include \(dir.path)/corslog-advice.conf
                <Location /always/>
                    Header always set Access-Control-Allow-Origin "*"
                </Location>
                <Location /onsuccess/>
                    Header set Access-Control-Allow-Origin "*"
                </Location>
                <Location /echo/>
                    Header always set Access-Control-Allow-Origin "expr=%{req:Origin}"
                    Header always set Access-Control-Allow-Credentials "true"
                </Location>

                """
        }, body)
    }
}
