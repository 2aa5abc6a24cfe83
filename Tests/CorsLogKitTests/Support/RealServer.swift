import Foundation
import Testing
@testable import CorsLogKit

/// An HTTP response as curl saw it.
struct HTTPResponse {
    var status: Int
    var headers: [(String, String)]
    /// Every value of the header `name` (lower-case).
    func header(_ name: String) -> [String] { headers.filter { $0.0 == name }.map(\.1) }
    /// Whether any `Access-Control-*` header is present.
    var hasCORSHeaders: Bool { headers.contains { $0.0.hasPrefix("access-control-") } }
}

/// A real server (nginx, Apache, HAProxy, Caddy …) started by a test in the
/// foreground, as a child process, on a random loopback port, with its files in
/// a temporary folder; stopped by its pid at the end. A daemonised server would
/// hold the test's pipes open, so servers run with their foreground option.
final class RealServer {
    /// How to start a server whose configuration `configure` has written.
    struct Launch {
        var executable: String
        var arguments: [String]
        var environment: [String: String]? = nil
        /// The signal that stops it gracefully (flushing its logs).
        var stopSignal: Int32 = SIGTERM
    }

    let dir: URL
    let port: Int
    private var process: Process?
    var consoleLog: URL { dir.appendingPathComponent("console.log") }

    private init(dir: URL, port: Int) {
        self.dir = dir
        self.port = port
    }

    /// Writes the configuration (`configure(dir, port)`), starts the server,
    /// waits until it answers, runs `body`, and stops it. Retries on another
    /// port when the port is taken.
    static func with(_ name: String, configure: (URL, Int) throws -> Launch,
                     _ body: (RealServer) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var lastError = ""
        for _ in 0..<5 {
            let server = RealServer(dir: dir, port: freePort())
            let launch = try configure(dir, server.port)
            if try server.start(launch) {
                defer { server.stop(launch.stopSignal) }
                try body(server)
                return
            }
            let logs = (try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)) ?? []
            lastError = logs.filter { $0.pathExtension == "log" }
                .compactMap { try? String(contentsOf: $0, encoding: .utf8) }.joined(separator: "\n")
            // "Address already in use" (most servers), "That port is already in use" (Django).
            if !lastError.lowercased().contains("already in use") { break }
        }
        Issue.record("\(name) did not start: \(lastError)")
    }

    private var stopSignal: Int32 = SIGTERM

    private func start(_ launch: Launch) throws -> Bool {
        _ = FileManager.default.createFile(atPath: consoleLog.path, contents: nil)
        let console = try FileHandle(forWritingTo: consoleLog)
        defer { try? console.close() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: launch.executable)
        p.arguments = launch.arguments
        if let env = launch.environment { p.environment = env }
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = console
        p.standardError = console
        // Swift Testing's threads block most signals and a spawned program inherits
        // the mask; some servers (Apache) never clear it and would miss the stop
        // signal. Spawn with nothing blocked, then restore this thread's mask.
        var nothing = sigset_t(), saved = sigset_t()
        sigemptyset(&nothing)
        pthread_sigmask(SIG_SETMASK, &nothing, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
        try p.run()
        process = p
        for _ in 0..<100 {
            if !p.isRunning { process = nil; return false }
            if (try? request("/corslog-startup-probe", headers: [])) != nil {
                // Another test's server on the port answers the probe too, while ours is still
                // exiting with "address already in use": ours must still be running a moment later.
                usleep(100_000)
                if !p.isRunning { process = nil; return false }
                return true
            }
            usleep(50_000)
        }
        stop(launch.stopSignal)
        return false
    }

    /// A loopback port no socket listens on now: the kernel's choice for a socket bound to
    /// port 0 (so the servers of tests running side by side do not meet on one port, as two
    /// random picks could), released for the server to take.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return Int.random(in: 20_000..<45_000) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { return Int.random(in: 20_000..<45_000) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Stops the server with its graceful signal; kills it and its children after 10 s.
    func stop(_ signal: Int32 = SIGTERM) {
        guard let p = process else { return }
        process = nil
        let pid = p.processIdentifier
        kill(pid, signal)
        for _ in 0..<200 where p.isRunning { usleep(50_000) }
        if p.isRunning {
            Issue.record("the server did not stop on signal \(signal) within 10 s; killed")
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
            let rest = stat[stat.index(after: close)...].split(separator: " ")
            return rest.count > 1 && pid_t(rest[1]) == pid ? id : nil
        }
    }

    /// One request with curl; headers as "Name: value".
    func request(_ path: String, method: String = "GET", headers: [String]) throws -> HTTPResponse {
        var args = ["-s", "-i", "-o", "-", "--max-time", "5", "--path-as-is", "-X", method]
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
        return HTTPResponse(status: status, headers: out)
    }
}

/// The probes CORS scanners (CORScanner, Corsy) send against an allowlist of
/// `https://app.example.com`; none may get a CORS header.
enum ScannerProbes {
    static let allowed = "https://app.example.com"
    static let refused = [
        "https://evil.test",                       // reflected arbitrary origin
        "https://app.example.com.evil.test",       // prefix match
        "https://evilapp.example.com",             // suffix match
        "https://appxexample.com",                 // unescaped dot
        "https://app.example.co",                  // substring
        "null",
        "http://app.example.com",                  // downgrade
        "https://app_.example.com",                // underscore
        "https://app.example.com`.evil.test",      // backtick
        "https://app.example.com%60.evil.test",    // %60
        "https://x.app.example.com",               // any subdomain
        "HTTPS://APP.EXAMPLE.COM",                 // uppercase variant: browsers never send it
        "https://app.example.com/",                // trailing slash
        "https://app.example.com:443",             // explicit default port
    ]

    /// Sends each refused origin as a simple GET and as a preflight to `path`
    /// and records an issue for any CORS header in the answer.
    static func expectNoneGetCORS(_ server: RealServer, path: String = "/",
                                  sourceLocation: SourceLocation = #_sourceLocation) throws {
        for origin in refused {
            let get = try server.request(path, headers: ["Origin: \(origin)"])
            #expect(!get.hasCORSHeaders, "\(origin) got \(get.headers.filter { $0.0.hasPrefix("access-control-") })",
                    sourceLocation: sourceLocation)
            let preflight = try server.request(path, method: "OPTIONS", headers: [
                "Origin: \(origin)", "Access-Control-Request-Method: PUT", "Access-Control-Request-Headers: authorization"])
            #expect(!preflight.hasCORSHeaders, "preflight from \(origin) got \(preflight.headers.filter { $0.0.hasPrefix("access-control-") })",
                    sourceLocation: sourceLocation)
        }
    }

    /// The policy `ipv6Policy` (a bracketed IPv6 origin with a port, PUT) in `server`: the origin
    /// is matched whole and exactly — the brackets and colons are no pattern syntax once
    /// escaped — its preflight answered 204, near misses get no CORS header.
    static let ipv6Origin = "https://[::1]:8443"
    static var ipv6Policy: Policy { Policy(defaults: CORSRule(origins: [origin(ipv6Origin)], methods: [.put])) }

    static func expectIPv6MatchedExactly(_ server: RealServer, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let ok = try server.request("/", headers: ["Origin: \(ipv6Origin)"])
        #expect(ok.header("access-control-allow-origin") == [ipv6Origin], sourceLocation: sourceLocation)
        let preflight = try server.request("/", method: "OPTIONS", headers: ["Origin: \(ipv6Origin)", "Access-Control-Request-Method: PUT"])
        #expect(preflight.status == 204, sourceLocation: sourceLocation)
        #expect(preflight.header("access-control-allow-methods") == ["PUT"], sourceLocation: sourceLocation)
        for trick in ["https://[::1]:8443x", "https://[::1]", "https://x[::1]:8443", "https://[::2]:8443", "https://[::1]:84430"] {
            #expect(!(try server.request("/", headers: ["Origin: \(trick)"])).hasCORSHeaders, "\(trick)", sourceLocation: sourceLocation)
        }
    }
}

/// Whether a real-server test may be skipped: on a developer machine without
/// the server, yes (with a message); in CI (CI=true), never.
func serverAvailable(_ binary: String) -> Bool {
    FileManager.default.isExecutableFile(atPath: binary) || ProcessInfo.processInfo.environment["CI"] == "true"
}
