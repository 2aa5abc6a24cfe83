import Foundation
import Testing
@testable import CorsLogKit

/// The nginx snippet inside a real nginx: what browsers would get back.
@Suite(.serialized, .enabled(if: RealNginx.available, "nginx is not installed (apt-get install nginx): real-server test skipped"))
struct NginxRealServerTests {
    @Test func allowedOriginsGetTheirOriginBackAndOthersGetNothing() throws {
        try RealNginx.with(sampleProposal) { server in
            let allowed = try server.request("/v1/orders", headers: ["Origin: https://app.example.com"])
            #expect(allowed.status == 200)
            #expect(allowed.header("access-control-allow-origin") == ["https://app.example.com"])
            #expect(allowed.header("vary").contains { $0.contains("Origin") })

            for stranger in ["https://evil.test", "https://app.example.com.evil.test", "null", "https://app.example.co"] {
                let r = try server.request("/v1/orders", headers: ["Origin: \(stranger)"])
                #expect(r.status == 200)
                #expect(r.header("access-control-allow-origin").isEmpty, "\(stranger) must get no ACAO")
                #expect(r.header("vary").contains { $0.contains("Origin") }, "Vary: Origin on every response")
            }
            let none = try server.request("/v1/orders", headers: [])
            #expect(none.header("access-control-allow-origin").isEmpty, "no Origin, no CORS headers")
        }
    }

    @Test func preflightsFromAllowedOriginsAreAnswered204() throws {
        try RealNginx.with(sampleProposal) { server in
            let ok = try server.request("/v1/orders/7", method: "OPTIONS", headers: [
                "Origin: https://partner.example.net:8443", "Access-Control-Request-Method: PUT",
                "Access-Control-Request-Headers: authorization,content-type"])
            #expect(ok.status == 204)
            #expect(ok.header("access-control-allow-origin") == ["https://partner.example.net:8443"])
            #expect(ok.header("access-control-allow-methods") == ["DELETE, PUT"])
            #expect(ok.header("access-control-allow-headers") == ["authorization, content-type"])
            #expect(ok.header("access-control-max-age") == ["3600"])

            let refused = try server.request("/v1/orders/7", method: "OPTIONS", headers: [
                "Origin: https://evil.test", "Access-Control-Request-Method: PUT"])
            #expect(refused.status != 204)
            #expect(refused.header("access-control-allow-origin").isEmpty)
            #expect(refused.header("access-control-allow-methods").isEmpty)

            // OPTIONS without Access-Control-Request-Method is not a preflight.
            let plainOptions = try server.request("/v1/orders", method: "OPTIONS", headers: ["Origin: https://app.example.com"])
            #expect(plainOptions.status == 200)
            #expect(plainOptions.header("access-control-allow-methods").isEmpty)
        }
    }

    @Test func errorResponsesCarryTheHeadersToo() throws {
        try RealNginx.with(sampleProposal) { server in
            let r = try server.request("/error", headers: ["Origin: https://app.example.com"])
            #expect(r.status == 500)
            #expect(r.header("access-control-allow-origin") == ["https://app.example.com"])
        }
    }

    @Test func credentialsOnlyForAllowedOrigins() throws {
        var p = sampleProposal
        p.credentials = true
        try RealNginx.with(p) { server in
            let allowed = try server.request("/", headers: ["Origin: https://app.example.com"])
            #expect(allowed.header("access-control-allow-credentials") == ["true"])
            let other = try server.request("/", headers: ["Origin: https://evil.test"])
            #expect(other.header("access-control-allow-credentials").isEmpty)
        }
    }

    @Test func theRecommendedLogFormatIsWhatNginxWritesAndCorslogReads() throws {
        try RealNginx.with(sampleProposal) { server in
            _ = try server.request("/v1/orders?x=1", headers: ["Origin: https://app.example.com"])
            _ = try server.request("/v1/orders/7", method: "OPTIONS", headers: [
                "Origin: https://app.example.com", "Access-Control-Request-Method: PUT",
                "Access-Control-Request-Headers: authorization"])
            _ = try server.request("/v1/orders", headers: ["Origin: https://evil.test\"quote"])
            _ = try server.request("/v1/orders", headers: [])
            server.stop()
            var options = AnalysisOptions(paths: [server.accessLog.path])
            options.format = .given(LogFormat.preset("nginx-cors")!)
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

/// A throwaway nginx on a loopback port, configured with a rendered snippet.
/// It runs in the foreground (`daemon off`) as a child of the test, so the test
/// owns it and stops it; a daemonised nginx would hold the test's pipes open.
final class RealNginx {
    static let binary = "/usr/sbin/nginx"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    let dir: URL
    let port: Int
    private var process: Process?
    var accessLog: URL { dir.appendingPathComponent("access.log") }

    struct Response {
        var status: Int
        var headers: [(String, String)]
        func header(_ name: String) -> [String] { headers.filter { $0.0 == name }.map(\.1) }
    }

    init(dir: URL, port: Int) {
        self.dir = dir
        self.port = port
    }

    static func with(_ proposal: Proposal, _ body: (RealNginx) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-nginx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var lastError = ""
        for _ in 0..<5 {
            let server = RealNginx(dir: dir, port: Int.random(in: 20_000..<45_000))
            try server.writeConfig(proposal)
            if try server.start() {
                defer { server.stop() }
                try body(server)
                return
            }
            lastError = (try? String(contentsOf: dir.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
            if !lastError.contains("Address already in use") { break }
        }
        Issue.record("nginx did not start: \(lastError)")
    }

    /// Starts nginx and waits until it answers; false when it exited instead.
    func start() throws -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = ["-p", dir.path, "-c", dir.appendingPathComponent("nginx.conf").path,
                       "-e", dir.appendingPathComponent("error.log").path, "-g", "daemon off;"]
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        process = p
        for _ in 0..<100 {
            if !p.isRunning { process = nil; return false }
            if (try? request("/", headers: [])) != nil { return true }
            usleep(50_000)
        }
        stop()
        return false
    }

    /// Stops nginx gracefully (SIGQUIT), which also flushes the access log.
    func stop() {
        guard let p = process else { return }
        process = nil
        kill(p.processIdentifier, SIGQUIT)
        p.waitUntilExit()
    }

    func writeConfig(_ proposal: Proposal) throws {
        let parts = NginxRenderer().parts(proposal)
        let advice = LogFormat.preset("nginx-cors")!.definition
        let indentedLocation = parts.location.split(separator: "\n").map { "            " + $0 }.joined(separator: "\n")
        let config = """
            worker_processes 1;
            pid \(dir.path)/nginx.pid;
            events { worker_connections 64; }
            http {
                client_body_temp_path \(dir.path)/body;
                proxy_temp_path \(dir.path)/proxy;
                fastcgi_temp_path \(dir.path)/fastcgi;
                uwsgi_temp_path \(dir.path)/uwsgi;
                scgi_temp_path \(dir.path)/scgi;
                log_format corslog '\(advice)';
                access_log \(accessLog.path) corslog;
            \(parts.http)
                server {
                    listen 127.0.0.1:\(port);
                    location / {
            \(indentedLocation)
                        return 200 "ok\\n";
                    }
                    location /error {
            \(indentedLocation)
                        return 500;
                    }
                }
            }
            """
        try config.write(to: dir.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
    }

    func request(_ path: String, method: String = "GET", headers: [String]) throws -> Response {
        var args = ["-s", "-i", "-o", "-", "--max-time", "5", "-X", method]
        for h in headers { args += ["-H", h] }
        args.append("http://127.0.0.1:\(port)\(path)")
        let r = try runProcess("/usr/bin/curl", args)
        var lines = r.out.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/") else {
            throw CorsLogError(.dataError, "curl got no HTTP response: \(r.err)")
        }
        let status = Int(statusLine.split(separator: " ")[1]) ?? 0
        lines.removeFirst()
        var out: [(String, String)] = []
        for line in lines {
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { continue }
            out.append((line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return Response(status: status, headers: out)
    }
}
