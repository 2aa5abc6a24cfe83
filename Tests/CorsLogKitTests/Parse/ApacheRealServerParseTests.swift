import Foundation
import Testing
@testable import CorsLogKit

/// `corslog log-format apache` pasted into a real Apache httpd 2.4: what it writes
/// to the access log is what the `apache-cors` preset reads, and `%{…}o` shows the
/// CORS headers exactly as the browser received them.
@Suite(.serialized, .enabled(if: RealApache.available, "apache2 is not installed (apt-get install apache2): real-server test skipped"))
struct ApacheRealServerParseTests {
    @Test func theAdvisedLogFormatIsWhatApacheWritesAndCorslogReads() throws {
        try RealApache.with { server in
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
            server.stop()

            let log = try String(contentsOf: server.accessLog, encoding: .utf8)
            #expect(log.contains(#""https://a.example\"x" "-" "-" "https://a.example\"x" "true""#), "\(log)")
            var options = AnalysisOptions(paths: [server.accessLog.path])
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
            let detected = try Analyzer.analyze(AnalysisOptions(paths: [server.accessLog.path]))
            #expect(detected.input.parsed == 10)
            #expect(detected.evidence.origins == a.evidence.origins)
            #expect(detected.evidence.invalid == a.evidence.invalid)
        }
    }
}

/// A throwaway Apache httpd on a loopback port whose server config includes the
/// `corslog log-format apache` advice verbatim. It runs in the foreground
/// (`-DFOREGROUND`) as a child of the test, with its own ServerRoot, pid file,
/// logs, mutexes and runtime directory, and is stopped gracefully (SIGWINCH);
/// a daemonised Apache would hold the test's pipes open.
final class RealApache {
    static let binary = "/usr/sbin/apache2"
    static let modules = "/usr/lib/apache2/modules"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    let dir: URL
    let port: Int
    private var process: Process?
    /// Where the advice's `CustomLog ${APACHE_LOG_DIR}/…` writes, with APACHE_LOG_DIR = dir.
    private(set) var accessLog: URL
    var errorLog: URL { dir.appendingPathComponent("error.log") }
    var consoleLog: URL { dir.appendingPathComponent("console.log") }

    init(dir: URL, port: Int) {
        self.dir = dir
        self.port = port
        self.accessLog = dir.appendingPathComponent("access.log")
    }

    static func with(_ body: (RealApache) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-apache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var lastError = ""
        for _ in 0..<5 {
            let server = RealApache(dir: dir, port: Int.random(in: 20_000..<45_000))
            try server.writeConfig()
            if try server.start() {
                defer { server.stop() }
                try body(server)
                return
            }
            lastError = [server.errorLog, server.consoleLog]
                .compactMap { try? String(contentsOf: $0, encoding: .utf8) }.joined(separator: "\n")
            if !lastError.contains("Address already in use") { break }
        }
        Issue.record("apache2 did not start: \(lastError)")
    }

    /// Starts Apache and waits until it answers; false when it exited instead.
    func start() throws -> Bool {
        for log in [accessLog, errorLog, consoleLog] { try? FileManager.default.removeItem(at: log) }
        _ = FileManager.default.createFile(atPath: consoleLog.path, contents: nil)
        let console = try FileHandle(forWritingTo: consoleLog)
        defer { try? console.close() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = ["-d", dir.path, "-f", dir.appendingPathComponent("httpd.conf").path, "-DFOREGROUND"]
        // Debian's apache2 reads its variables from /etc/apache2/envvars through apache2ctl;
        // started directly, it needs none of them (the config defines what it uses).
        p.environment = ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C"]
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = console
        p.standardError = console
        // Swift Testing runs tests on threads that block most signals, and a spawned
        // program inherits the spawning thread's mask. nginx clears its mask itself;
        // Apache does not, and would never see the SIGWINCH that stops it. So spawn
        // with nothing blocked, and restore this thread's mask at once.
        var nothing = sigset_t(), saved = sigset_t()
        sigemptyset(&nothing)
        pthread_sigmask(SIG_SETMASK, &nothing, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
        try p.run()
        process = p
        for _ in 0..<100 {
            if !p.isRunning { process = nil; return false }
            if (try? request("/probe", headers: [])) != nil { return true }
            usleep(50_000)
        }
        stop()
        return false
    }

    /// Stops Apache gracefully (SIGWINCH: graceful-stop), so that every request
    /// in flight finishes and is logged before the test reads the log.
    func stop() {
        guard let p = process else { return }
        process = nil
        let pid = p.processIdentifier
        kill(pid, SIGWINCH)
        for _ in 0..<200 where p.isRunning { usleep(50_000) }
        if p.isRunning {
            // It ignored the signal: end it and its children by their ids, so that
            // no worker is left holding the log open or the test waiting.
            Issue.record("apache2 did not stop on SIGWINCH within 10 s; killed")
            for child in Self.children(of: pid) { kill(child, SIGKILL) }
            kill(pid, SIGKILL)
        }
        p.waitUntilExit()
    }

    /// The ids of the processes whose parent is `pid` (from /proc/*/stat).
    static func children(of pid: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let id = pid_t(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            // "pid (comm) state ppid …": the comm may hold spaces, so split after its ")".
            let rest = stat[stat.index(after: close)...].split(separator: " ")
            return rest.count > 1 && pid_t(rest[1]) == pid ? id : nil
        }
    }

    /// The advice exactly as `corslog log-format apache` prints it, included into
    /// the server config, and locations answering CORS the ways users write it.
    func writeConfig() throws {
        let advice = try #require(LogFormatAdvice.directive(for: "apache"))
        try advice.write(to: dir.appendingPathComponent("corslog-advice.conf"), atomically: true, encoding: .utf8)
        let customLog = try #require(advice.split(separator: "\n").first { $0.hasPrefix("CustomLog ") },
                                     "the advice has a CustomLog line")
        let target = customLog.split(separator: " ")[1].replacingOccurrences(of: "${APACHE_LOG_DIR}", with: dir.path)
        accessLog = URL(fileURLWithPath: target)

        let docs = dir.appendingPathComponent("htdocs")
        for folder in ["always", "onsuccess", "echo"] {
            let d = docs.appendingPathComponent(folder)
            try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
            try "{}\n".write(to: d.appendingPathComponent("orders"), atomically: true, encoding: .utf8)
        }
        let mpm = FileManager.default.fileExists(atPath: "\(Self.modules)/mod_mpm_event.so") ? "event" : "prefork"
        let config = """
            ServerRoot \(dir.path)
            ServerName 127.0.0.1
            Listen 127.0.0.1:\(port)
            PidFile \(dir.path)/httpd.pid
            ErrorLog \(errorLog.path)
            LogLevel warn
            Mutex file:\(dir.path) default
            DefaultRuntimeDir \(dir.path)
            # Used only when started as root (as in CI): the children run as nobody.
            User #65534
            Group #65534
            GracefulShutdownTimeout 5
            LoadModule mpm_\(mpm)_module \(Self.modules)/mod_mpm_\(mpm).so
            LoadModule authz_core_module \(Self.modules)/mod_authz_core.so
            LoadModule headers_module \(Self.modules)/mod_headers.so
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
        try config.write(to: dir.appendingPathComponent("httpd.conf"), atomically: true, encoding: .utf8)
    }

    func request(_ path: String, method: String = "GET", headers: [String]) throws -> RealNginx.Response {
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
        return RealNginx.Response(status: status, headers: out)
    }
}
