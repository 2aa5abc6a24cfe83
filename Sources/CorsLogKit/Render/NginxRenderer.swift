/// nginx: a `map $http_origin` allowlist per rule, each origin an anchored,
/// case-sensitive regex (and likewise person-written patterns), `add_header … always`,
/// `Vary: Origin`, and preflights from allowed origins answered 204.
///
/// The traps it avoids: `add_header` is inherited from an outer level only when
/// the current level has none, so all CORS headers of a location sit at one
/// level; `add_header` inside `if` inherits nothing, so the preflight block
/// repeats what it needs; an empty variable sends no header, which is how other
/// origins get none; exact entries map to our own normalised strings, never to
/// the request's `$http_origin` (a pattern match echoes it, which its anchored
/// regex has validated).
package struct NginxRenderer: PolicyRenderer {
    package let target = "nginx"
    package let summary = "nginx: map $http_origin allowlist, add_header … always, 204 preflights"

    package init() {}

    /// The part for the `http {}` block and, per rule, the part for its `location {}`.
    package struct Parts: Sendable {
        package var http: String
        /// (location path, lines for inside it): the defaults first, at "/".
        package var locations: [(path: String, body: String)]
        package var location: String { locations[0].body }
    }

    package func render(_ policy: Policy, context: RenderContext) -> String {
        let parts = self.parts(policy)
        var out: [String] = []
        out.append("# CORS allowlist for nginx, \(context.provenance).")
        out.append("# It replaces `add_header Access-Control-Allow-Origin *`. Review it before use.")
        out.append("#")
        out.append("# 1. The map blocks go in the http {} block (e.g. a file in /etc/nginx/conf.d/).")
        out.append("# 2. Each location part goes inside the location {} that serves those paths; remove every other")
        out.append("#    Access-Control-* add_header there. nginx inherits add_header from an outer level only")
        out.append("#    when the inner level has none, so keep all add_header lines of a location together.")
        out.append("# 3. If the location proxies to an application that sets CORS headers itself, uncomment the")
        out.append("#    proxy_hide_header lines, or the browser sees two Access-Control-Allow-Origin headers.")
        out.append("# Test: nginx -t, then curl -i -X OPTIONS -H 'Origin: <an allowed origin>' \\")
        out.append("#         -H 'Access-Control-Request-Method: PUT' <your API URL>")
        out.append("")
        out.append("# --- http {} block ---")
        out.append(parts.http)
        for (path, body) in parts.locations {
            out.append("# --- inside location \(path) {} ---")
            out.append(body)
        }
        return out.joined(separator: "\n") + "\n"
    }

    package func standalone(_ policy: Policy, context: RenderContext, options: StandaloneOptions) -> String? {
        let parts = self.parts(policy)
        let dir = options.workDirectory
        let format = LogFormat.preset("nginx-cors")!.definition
        var out: [String] = []
        out.append("# A complete nginx that tries the CORS policy: nginx -p \(dir) -c THIS_FILE")
        out.append("# \(context.provenance); every path answers 200 \"ok\".")
        out.append("worker_processes 1;")
        out.append("daemon off;")
        out.append("pid \(dir)/nginx.pid;")
        out.append("error_log stderr;")
        out.append("events { worker_connections 64; }")
        out.append("http {")
        for temp in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"] {
            out.append("    \(temp)_temp_path \(dir)/\(temp)_temp;")
        }
        out.append("    log_format corslog '\(format)';")
        out.append("    access_log \(options.accessLog) corslog;")
        out.append(indent(parts.http, 4))
        out.append("    server {")
        out.append("        listen \(options.host):\(options.port);")
        for (path, body) in parts.locations {
            out.append("        location \(path) {")
            out.append(indent(body, 12))
            out.append("            return 200 \"ok\\n\";")
            out.append("        }")
        }
        out.append("    }")
        out.append("}")
        return out.joined(separator: "\n") + "\n"
    }

    package func parts(_ policy: Policy) -> Parts {
        var http: [String] = []
        var locations: [(String, String)] = []
        let rules = [("/", "", policy.defaults)]
            + policy.paths.enumerated().map { (i, p) in (p.prefix.value, "_p\(i + 1)", p.rule) }
        let longest = rules.flatMap { $0.2.origins.map(\.serialized.utf8.count) }.max() ?? 0
        if longest > 40 {
            http.append("# Long origins: if nginx says \"could not build map_hash\", add to http {}: map_hash_bucket_size 128;")
        }
        for (path, suffix, rule) in rules {
            let origin = "$corslog_cors_origin\(suffix)"
            let preflight = "$corslog_cors_preflight\(suffix)"
            let credentials = "$corslog_cors_credentials\(suffix)"
            http.append("# Origins allowed under \(path)")
            http.append("map $http_origin \(origin) {")
            http.append("    default \"\";")
            // `~` regexes are case-sensitive: "HTTPS://APP.EXAMPLE.COM" is not
            // "https://app.example.com" (a plain map key would match it).
            for o in rule.origins {
                http.append("    \(Self.quoted("~" + o.anchoredRegex)) \(Self.quoted(o.serialized));")
            }
            for p in rule.patterns {
                // `~` is case-sensitive; browsers send origins lower-case.
                http.append("    \(Self.quoted("~" + p.anchoredRegex)) $http_origin;")
            }
            http.append("}")
            http.append("# A preflight from an allowed origin: OPTIONS with Access-Control-Request-Method.")
            http.append("map \"$request_method \(origin) $http_access_control_request_method\" \(preflight) {")
            http.append("    default 0;")
            http.append("    \"~^OPTIONS \\S+ \\S\" 1;")
            http.append("}")
            if rule.credentials {
                http.append("map \(origin) \(credentials) {")
                http.append("    default \"true\";")
                http.append("    \"\" \"\";")
                http.append("}")
            }
            http.append("")
            locations.append((path, locationBody(rule, origin: origin, preflight: preflight, credentials: credentials)))
        }
        return Parts(http: http.joined(separator: "\n"), locations: locations)
    }

    private func locationBody(_ rule: CORSRule, origin: String, preflight: String, credentials: String) -> String {
        var common: [String] = ["add_header Access-Control-Allow-Origin \(origin) always;"]
        if rule.credentials {
            common.append("add_header Access-Control-Allow-Credentials \(credentials) always;")
        }
        var answer = common
        if let m = rule.allowMethodsValue { answer.append("add_header Access-Control-Allow-Methods \(Self.quoted(m)) always;") }
        if let h = rule.allowHeadersValue { answer.append("add_header Access-Control-Allow-Headers \(Self.quoted(h)) always;") }
        answer.append("add_header Access-Control-Max-Age \(rule.maxAge) always;")
        answer.append("add_header Vary \"Origin, Access-Control-Request-Method, Access-Control-Request-Headers\" always;")

        var body: [String] = []
        body.append("# proxy_hide_header Access-Control-Allow-Origin;")
        body.append("# proxy_hide_header Access-Control-Allow-Credentials;")
        body.append("# proxy_hide_header Access-Control-Allow-Methods;")
        body.append("# proxy_hide_header Access-Control-Allow-Headers;")
        body.append("if (\(preflight)) {")
        for line in answer { body.append("    " + line) }
        body.append("    return 204;")
        body.append("}")
        body.append(contentsOf: common)
        if let e = rule.exposeHeadersValue {
            body.append("add_header Access-Control-Expose-Headers \(Self.quoted(e)) always;")
        }
        body.append("add_header Vary Origin always;")
        return body.joined(separator: "\n")
    }

    private func indent(_ text: String, _ n: Int) -> String {
        let pad = String(repeating: " ", count: n)
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : pad + $0 }.joined(separator: "\n")
    }

    /// A double-quoted nginx string. The values are validated origins, anchored
    /// pattern regexes, method and header names, none of which can hold `"`,
    /// `\` (other than the regex's `\.` and `\S`), `{`, `;` or whitespace other
    /// than the ", " and " " we add; anything else would be a bug, so it stops
    /// here rather than write a broken or injectable config.
    static func quoted(_ s: String) -> String {
        for b in s.utf8 {
            precondition(b >= 0x20 && b < 0x7f && b != UInt8(ascii: "\"") && b != UInt8(ascii: "{")
                && b != UInt8(ascii: "}") && b != UInt8(ascii: ";") && b != UInt8(ascii: "'"),
                "nginx renderer got a value outside the validated character set")
        }
        return "\"" + s + "\""
    }
}
