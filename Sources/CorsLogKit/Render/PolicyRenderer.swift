/// What a renderer may say about where a policy came from: numbers and dates
/// only, never text from the logs.
package struct RenderContext: Sendable {
    package var version = CorsLogVersion.current
    package var lines = 0
    package var firstSeen: Int64? = nil
    package var lastSeen: Int64? = nil

    package init(lines: Int = 0, firstSeen: Int64? = nil, lastSeen: Int64? = nil) {
        self.lines = lines
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }

    /// "proposed by corslog 0.1.0 from 12,345 log lines, 2026-11-01 to 2026-11-07".
    package var provenance: String {
        var s = "proposed by corslog \(version)"
        if lines > 0 { s += " from \(ReportText.count(lines)) log lines" }
        if let f = firstSeen, let l = lastSeen { s += ", \(Timestamp.day(f)) to \(Timestamp.day(l))" }
        return s
    }
}

/// Where a standalone configuration listens and logs (`--standalone`).
package struct StandaloneOptions: Sendable {
    /// An IPv4 address (`127.0.0.1`), validated.
    package let host: String
    package let port: Int
    /// The access log path: `/`, letters, digits and `. _ -` only.
    package let accessLog: String
    /// The folder for pid and temporary files (the access log's folder).
    package var workDirectory: String {
        let parts = accessLog.split(separator: "/", omittingEmptySubsequences: false)
        let dir = parts.dropLast().joined(separator: "/")
        return dir.isEmpty ? (accessLog.hasPrefix("/") ? "/" : ".") : dir
    }

    /// Validates `HOST:PORT` and the log path; nil with a reason otherwise.
    package static func make(listen: String, accessLog: String) -> Result<StandaloneOptions, CorsLogError> {
        let parts = listen.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]), (1...65535).contains(port),
              case .origin(let o) = Origin.parse("http://\(parts[0])"), o.hostKind == .ipv4 else {
            return .failure(CorsLogError(.usage, "--listen \(listen): expected IPV4:PORT, e.g. 127.0.0.1:8080"))
        }
        let safe = accessLog.utf8.allSatisfy { b in
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "/") || b == UInt8(ascii: ".")
                || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
        }
        guard safe, !accessLog.isEmpty else {
            return .failure(CorsLogError(.usage, "--access-log \(accessLog): use a path of letters, digits and / . _ -"))
        }
        return .success(StandaloneOptions(host: o.host, port: port, accessLog: accessLog))
    }
}

/// One place where CORS can live (a server, a cloud service, a framework).
///
/// A renderer receives only the `Policy`, whose members are validated types
/// (`Origin`, `OriginPattern`, `HTTPMethod`, `HeaderName`, `PathPrefix`,
/// numbers), and escapes them for its target; nothing else from the logs
/// reaches it.
package protocol PolicyRenderer: Sendable {
    /// The `--target` name.
    var target: String { get }
    /// One line for `--help`.
    var summary: String { get }
    /// The snippet to paste into an existing configuration.
    func render(_ policy: Policy, context: RenderContext) -> String
    /// A complete minimal configuration that runs the policy in front of a stub
    /// answering 200 for any path, for trying it with curl; nil when the
    /// target has none.
    func standalone(_ policy: Policy, context: RenderContext, options: StandaloneOptions) -> String?
}

/// The renderers corslog ships.
package enum RenderTargets {
    package static let all: [any PolicyRenderer] = [
        // HTTP servers
        NginxRenderer(), ApacheRenderer(), HAProxyRenderer(), CaddyRenderer(),
        // Cloud services
        AWSHTTPAPIRenderer(), AWSHTTPAPICloudFormationRenderer(), AWSRESTAPIRenderer(), AWSS3Renderer(),
        // Application frameworks
        FlaskRenderer(), DjangoRenderer(), ExpressRenderer(), SymfonyRenderer(),
    ]

    package static func renderer(named name: String) -> (any PolicyRenderer)? {
        all.first { $0.target == name }
    }

    package static var names: [String] { all.map(\.target) }
}
