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

/// One place where CORS can live (a server, a cloud service, a framework).
///
/// A renderer receives only the `Proposal`, whose members are validated types
/// (`Origin`, `HTTPMethod`, `HeaderName`, numbers), and escapes them for its
/// target; nothing else from the logs reaches it.
package protocol PolicyRenderer: Sendable {
    /// The `--target` name.
    var target: String { get }
    /// One line for `--help`.
    var summary: String { get }
    func render(_ policy: Proposal, context: RenderContext) -> String
}

/// The renderers corslog ships.
package enum RenderTargets {
    package static let all: [any PolicyRenderer] = [NginxRenderer()]

    package static func renderer(named name: String) -> (any PolicyRenderer)? {
        all.first { $0.target == name }
    }

    package static var names: [String] { all.map(\.target) }
}
