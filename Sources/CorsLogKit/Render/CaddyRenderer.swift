/// Caddy 2.6: a `(corslog_cors)` snippet (one `route {}`) with, per rule, a
/// `map` of `{http.request.header.Origin}` through anchored, case-sensitive
/// regexes to our own normalised origin strings, `header` directives guarded by
/// `vars` matchers on the map's verdict, `Vary: Origin`, and preflights from
/// allowed origins answered `respond … 204`; plus `(corslog_cors_upstream)`,
/// `header_down` lines for `reverse_proxy`.
///
/// The traps it avoids (each seen in Caddy 2.6.2, see `CaddyRealServerTests`):
/// - the `header` request matcher compares whole values case-sensitively but
///   treats `*` at either end as "any prefix/suffix", so `https://*.example.com`
///   would match `https://a.b.example.com`; origins are therefore compared only
///   by `map` regexes (Go RE2, case-sensitive), anchored, dots escaped;
/// - `{http.request.header.Origin}` joins several Origin headers with ",", which
///   no anchored regex matches: a request with two Origin headers gets nothing;
/// - `map` outputs are not placeholders-expanded (`"{http.request.header.Origin}"`
///   comes out literally), so a pattern echoes its regex match with `${0}`, and
///   an exact entry answers with our own `Origin.serialized`;
/// - a `vars` matcher on the map's own yes/no output decides, so no header is
///   ever sent with an empty value;
/// - inside `route {}`, `handle` blocks are NOT mutually exclusive in 2.6.2 (no
///   group is made), so each rule's `route` has a matcher that excludes the
///   longer prefixes: a path rule fully replaces the defaults;
/// - the headers are set immediately (not deferred), so a `respond 404`, a
///   `file_server` 404 and a `reverse_proxy` 502 keep them; a `header -…` line
///   would be deferred by Caddy and delete ours too, which is why upstream
///   headers are dropped with `header_down` instead;
/// - Caddy sorts a site block's directives and runs `route` after `handle` /
///   `handle_path` blocks, which end the request: the header comment says to
///   import the snippet inside each `handle` then.
package struct CaddyRenderer: PolicyRenderer {
    package let target = "caddy"
    package let summary = "Caddy 2.6: (corslog_cors) snippet, map of Origin to our strings, header, respond 204 preflights"

    package init() {}

    package func render(_ policy: Policy, context: RenderContext) -> String {
        var out: [String] = []
        out.append("# CORS allowlist for Caddy 2.6+, \(context.provenance).")
        out.append("# It replaces `header Access-Control-Allow-Origin *`. Review it before use.")
        out.append("#")
        out.append("# 1. Paste both snippets at the top level of the Caddyfile, outside every site block.")
        out.append("# 2. Write `import corslog_cors` in the site that serves the API, and remove every other")
        out.append("#    Access-Control-* `header` line there:")
        out.append("#    - at the top of the site block when it has no handle/handle_path blocks;")
        out.append("#    - otherwise as the first line inside EACH handle {} block: Caddy sorts a site block's")
        out.append("#      directives and runs `route` (the snippet) after handle blocks, which end the request.")
        out.append("#      handle_path and uri strip_prefix run before it and shorten the path the path rules see;")
        out.append("#      then write route { import corslog_cors; uri strip_prefix …; … } (route keeps this order).")
        out.append("# 3. Write `import corslog_cors_upstream` inside every reverse_proxy {} behind it: it drops the")
        out.append("#    application's own Access-Control-* headers, or the browser sees two Access-Control-Allow-Origin")
        out.append("#    headers (or the application's `*`). Not `header -Access-Control-*`: Caddy defers deletions")
        out.append("#    to the end, so that would delete these headers too.")
        out.append("# Origins are compared by anchored, case-sensitive regexes on the whole Origin header (two Origin")
        out.append("# headers are joined with \",\" and match nothing); the answer is our own string. Path rules use")
        out.append("# Caddy's path matcher (case-insensitive, on the cleaned path, like your handle blocks); the longest")
        out.append("# prefix wins and replaces the defaults. Errors (404, 502) keep the headers.")
        out.append("# Test: caddy validate --config Caddyfile --adapter caddyfile, then")
        out.append("#       curl -i -X OPTIONS -H 'Origin: <an allowed origin>' -H 'Access-Control-Request-Method: PUT' <your API URL>")
        out.append("")
        out.append(snippets(policy))
        return out.joined(separator: "\n") + "\n"
    }

    package func standalone(_ policy: Policy, context: RenderContext, options: StandaloneOptions) -> String? {
        let dir = options.workDirectory
        var out: [String] = []
        out.append("# A complete Caddy that tries the CORS policy: caddy run --config THIS_FILE --adapter caddyfile")
        out.append("# \(context.provenance); every path answers 200 \"ok\".")
        out.append("# Caddy 2.6 also writes $XDG_CONFIG_HOME/caddy/autosave.json and ~/.step; to keep everything in")
        out.append("# \(dir), run it with HOME=\(dir) XDG_CONFIG_HOME=\(dir) XDG_DATA_HOME=\(dir).")
        out.append("# The access log is JSON lines: corslog analyze --format json \(options.accessLog)")
        out.append("{")
        out.append("\tadmin off")
        out.append("\tauto_https off")
        out.append("\tstorage file_system \(Self.path(dir + "/caddy-data"))")
        out.append("}")
        out.append("")
        out.append(snippets(policy))
        out.append("")
        out.append("http://\(options.host):\(options.port) {")
        out.append("\tbind \(options.host)")
        out.append("\tlog {")
        out.append("\t\toutput file \(Self.path(options.accessLog))")
        out.append("\t\tformat json")
        out.append("\t}")
        out.append("\timport corslog_cors")
        out.append("\trespond \"ok\" 200")
        out.append("}")
        return out.joined(separator: "\n") + "\n"
    }

    /// The two snippets, `(corslog_cors)` and `(corslog_cors_upstream)`.
    package func snippets(_ policy: Policy) -> String {
        var out: [String] = ["(corslog_cors) {", "\troute {"]
        if policy.paths.isEmpty {
            out.append(contentsOf: ruleBody(policy.defaults, name: "corslog_cors").map { "\t\t" + $0 })
        } else {
            let prefixes = policy.paths.map(\.prefix.value)
            for (i, p) in policy.paths.enumerated() {
                let name = "corslog_cors_p\(i + 1)"
                // Longer prefixes come first; exclude those under this one so the longest wins.
                let longer = prefixes[..<i].filter { $0.hasPrefix(p.prefix.value) }
                out.append("\t\t# Paths under \(p.prefix.value)")
                out.append("\t\t@\(name) {")
                out.append("\t\t\tpath \(Self.pathPattern(p.prefix.value))")
                if !longer.isEmpty { out.append("\t\t\tnot path " + longer.map(Self.pathPattern).joined(separator: " ")) }
                out.append("\t\t}")
                out.append("\t\troute @\(name) {")
                out.append(contentsOf: ruleBody(p.rule, name: name).map { "\t\t\t" + $0 })
                out.append("\t\t}")
            }
            out.append("\t\t# Every other path")
            out.append("\t\t@corslog_cors_rest not path " + prefixes.map(Self.pathPattern).joined(separator: " "))
            out.append("\t\troute @corslog_cors_rest {")
            out.append(contentsOf: ruleBody(policy.defaults, name: "corslog_cors_rest").map { "\t\t\t" + $0 })
            out.append("\t\t}")
        }
        out.append("\t}")
        out.append("}")
        out.append("")
        out.append("# Inside each reverse_proxy {} behind corslog_cors: the application's own CORS headers go.")
        out.append("(corslog_cors_upstream) {")
        for h in ["Allow-Origin", "Allow-Credentials", "Allow-Methods", "Allow-Headers", "Expose-Headers", "Max-Age"] {
            out.append("\theader_down -Access-Control-\(h)")
        }
        out.append("}")
        return out.joined(separator: "\n")
    }

    /// The directives of one rule, in the order they run (`route` keeps it).
    private func ruleBody(_ rule: CORSRule, name: String) -> [String] {
        let origin = "{\(name)_origin}", allowed = "{\(name)_allowed}"
        var b: [String] = []
        b.append("# The whole Origin header, through anchored case-sensitive regexes, to our own string.")
        b.append("map {http.request.header.Origin} \(origin) \(allowed) {")
        for o in rule.origins {
            b.append("\t~\(Self.regex(o.anchoredRegex)) \(Self.quoted(o.serialized)) yes")
        }
        for p in rule.patterns {
            // ${0}: the whole match, i.e. the Origin its anchored regex accepted.
            b.append("\t~\(Self.regex(p.anchoredRegex)) \"${0}\" yes")
        }
        b.append("\tdefault \"\" no")
        b.append("}")
        b.append("@\(name)_allowed vars \(allowed) yes")
        b.append("@\(name)_preflight {")
        b.append("\tvars \(allowed) yes")
        b.append("\tmethod OPTIONS")
        b.append("\theader_regexp Access-Control-Request-Method .")
        b.append("}")
        b.append("header +Vary Origin")
        b.append("header @\(name)_allowed {")
        b.append("\tAccess-Control-Allow-Origin \(origin)")
        if rule.credentials { b.append("\tAccess-Control-Allow-Credentials true") }
        if let e = rule.exposeHeadersValue { b.append("\tAccess-Control-Expose-Headers \(Self.quoted(e))") }
        b.append("}")
        b.append("header @\(name)_preflight {")
        if let m = rule.allowMethodsValue { b.append("\tAccess-Control-Allow-Methods \(Self.quoted(m))") }
        if let h = rule.allowHeadersValue { b.append("\tAccess-Control-Allow-Headers \(Self.quoted(h))") }
        b.append("\tAccess-Control-Max-Age \(rule.maxAge)")
        b.append("\t+Vary \"Access-Control-Request-Method, Access-Control-Request-Headers\"")
        b.append("}")
        b.append("respond @\(name)_preflight 204")
        return b
    }

    /// `/admin/` → `/admin/*`: Caddy's path matcher with a trailing `*` is a prefix match.
    static func pathPattern(_ prefix: String) -> String {
        path(prefix) + "*"
    }

    /// A path (validated: letters, digits and `/ . _ ~ -`), unquoted.
    static func path(_ s: String) -> String {
        precondition(!s.isEmpty && s.utf8.allSatisfy { b in
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "/") || b == UInt8(ascii: ".")
                || b == UInt8(ascii: "_") || b == UInt8(ascii: "~") || b == UInt8(ascii: "-")
        }, "caddy renderer got a path outside the validated character set")
        return s
    }

    /// An anchored regex as one unquoted Caddyfile token. The regexes are built
    /// from validated origins and patterns: no whitespace, quotes, braces or `#`
    /// (a comment in the Caddyfile, `{…}` a placeholder); backslashes only before
    /// the characters they escape, which the Caddyfile lexer keeps as they are.
    static func regex(_ s: String) -> String {
        precondition(s.hasPrefix("^") && s.hasSuffix("$"), "caddy renderer got an unanchored regex")
        check(s, allowBackslash: true)
        return s
    }

    /// A double-quoted Caddyfile string of a validated value (origin, method and
    /// header names joined with ", "): anything that could end the string, start
    /// a placeholder or a comment is a bug, so it stops here.
    static func quoted(_ s: String) -> String {
        check(s, allowBackslash: false)
        return "\"" + s + "\""
    }

    private static func check(_ s: String, allowBackslash: Bool) {
        for b in s.utf8 {
            precondition(b >= 0x20 && b < 0x7f && b != UInt8(ascii: "\"") && b != UInt8(ascii: "{")
                && b != UInt8(ascii: "}") && b != UInt8(ascii: "#") && b != UInt8(ascii: "`")
                && b != UInt8(ascii: "'") && (allowBackslash || b != UInt8(ascii: "\\"))
                && (allowBackslash ? b != UInt8(ascii: " ") : true),
                "caddy renderer got a value outside the validated character set")
        }
    }
}
