/// HAProxy (2.2+, tested with 2.6): per rule `http-request set-var` lines that
/// compare the one Origin header whole and exactly (`req.fhdr(origin) -m str`,
/// or an anchored `-m reg` for a person-written pattern) and store OUR string
/// for it; preflights from allowed origins answered by `http-request return
/// status 204`; every CORS header set by `http-after-response`.
///
/// The traps it avoids, each seen in a real HAProxy 2.6 (HAProxyRealServerTests):
/// - `req.hdr(origin)` splits the header on commas, so
///   `Origin: https://evil.test, https://app.example.com` matches an ACL on it;
///   `req.fhdr()` takes the whole value, and `req.fhdr_cnt(origin) eq 1` refuses
///   a request with two Origin headers.
/// - `-m str` is exact and case-sensitive (`-i` would not be); a pattern's
///   `-m reg` regex is anchored at both ends with its dots escaped, single-quoted
///   so that neither `\` nor `$` is interpreted by the config parser.
/// - `http-response` rules do not run on responses HAProxy makes itself (the 204
///   of `http-request return`, a 503 when no server is up, its own errors);
///   `http-after-response` runs on all of them and on the application's.
/// - An application that already sends `Access-Control-*` would produce two
///   Allow-Origin headers: they are deleted first, on every response.
/// - Request headers cannot be read in response rules or at log time
///   (`haproxy -c` refuses it), so the decision is made in `http-request` rules
///   and carried in `txn.` variables.
/// - The path rule is chosen by prefix, the defaults first and then the
///   prefixes shortest first, so the last (longest) matching prefix wins and
///   replaces the defaults entirely. `path_beg` would compare the raw path, so
///   `/%61dmin/` or `//admin/` (which an application may route to `/admin/`)
///   would get the defaults: the path is percent-decoded and its slashes merged
///   first, and one with a dot segment left (browsers resolve them) gets nothing.
package struct HAProxyRenderer: PolicyRenderer {
    package let target = "haproxy"
    package let summary = "HAProxy 2.2+: req.fhdr(origin) -m str ACLs, http-request return 204 preflights, http-after-response headers"

    package init() {}

    /// What the stand-in application of the standalone answers to every request.
    package static let stubAnswer = "http-request return status 200 content-type text/plain string \"ok\\n\""

    package func render(_ policy: Policy, context: RenderContext) -> String {
        var out: [String] = []
        out.append("# CORS allowlist for HAProxy 2.2 or later (tested with 2.6), \(context.provenance).")
        out.append("# It replaces `http-response set-header Access-Control-Allow-Origin *`. Review it before use.")
        out.append("#")
        out.append("# Paste these lines into the frontend (or listen) section, in mode http, that receives the API's requests,")
        out.append("# before any http-request rule that answers requests itself (return, redirect, deny, auth),")
        out.append("# and remove every other rule that sets Access-Control-* headers. The application's own")
        out.append("# Access-Control-* headers are deleted, so it need not change. The decision is made from the")
        out.append("# request and kept in txn.corslog_* variables, because response rules cannot read the request.")
        out.append("# Test: haproxy -c -f /etc/haproxy/haproxy.cfg, then curl -i -X OPTIONS -H 'Origin: <an allowed origin>' \\")
        out.append("#         -H 'Access-Control-Request-Method: PUT' <your API URL>")
        out.append("")
        out.append(snippet(policy))
        return out.joined(separator: "\n") + "\n"
    }

    package func standalone(_ policy: Policy, context: RenderContext, options: StandaloneOptions) -> String? {
        let dir = options.workDirectory
        let socket = dir + "/corslog-stub.sock"
        // A unix socket path holds at most 107 bytes, and HAProxy binds it as
        // PATH.PID.tmp first; a longer one uses Linux's abstract namespace.
        let stub = socket.utf8.count <= 80 ? "unix@\(socket)" : "abns@corslog-stub-\(options.port)"
        var out: [String] = []
        out.append("# A complete HAProxy that tries the CORS policy, \(context.provenance).")
        out.append("# Every path answers 200 \"ok\" from a stand-in application behind it. Run it as an ordinary user:")
        out.append("#   haproxy -W -f THIS_FILE >> \(options.accessLog)")
        out.append("# HAProxy cannot write a log file itself (only syslog, a socket, stdout or stderr), so the access")
        out.append("# log goes to standard output, one line per request in the layout of corslog's nginx-cors preset:")
        out.append("#   corslog analyze --format nginx-cors \(options.accessLog)")
        out.append("# Stop it with Ctrl-C or kill $(cat \(dir)/haproxy.pid) (SIGTERM); a soft stop (SIGUSR1)")
        out.append("# would add \"Proxy ... stopped\" lines to the log.")
        out.append("global")
        out.append("    pidfile \(dir)/haproxy.pid")
        out.append("    maxconn 256")
        out.append("    # Fail with \"Address already in use\" rather than share the port with another HAProxy.")
        out.append("    noreuseport")
        out.append("")
        out.append("defaults")
        out.append("    mode http")
        out.append("    timeout connect 5s")
        out.append("    timeout client 30s")
        out.append("    timeout server 30s")
        out.append("")
        out.append("frontend corslog")
        out.append("    bind \(options.host):\(options.port)")
        out.append(indent(accessLog(), 4))
        out.append(indent(snippet(policy), 4))
        out.append("    # The CORS headers as sent, for the log (after every other http-after-response rule).")
        out.append("    http-after-response set-var(txn.corslog_log_acao) res.hdr(access-control-allow-origin)" + Self.nginxEscape)
        out.append("    http-after-response set-var(txn.corslog_log_acac) res.hdr(access-control-allow-credentials)" + Self.nginxEscape)
        out.append("    default_backend corslog_app")
        out.append("")
        out.append("backend corslog_app")
        out.append("    server app \(stub)")
        out.append("")
        out.append("# The stand-in application: a second listener, so that its answers are server responses,")
        out.append("# as an application's would be (a backend's own http-request return skips http-response rules).")
        out.append("frontend corslog_stub")
        out.append("    bind \(stub)")
        out.append("    " + Self.stubAnswer)
        return out.joined(separator: "\n") + "\n"
    }

    /// The access log lines of the standalone's frontend: the nginx-cors layout.
    /// Request headers are not available at log time (`haproxy -c` refuses
    /// `req.hdr` in `log-format`), so they are copied into variables first, with
    /// `\` and `"` written as nginx writes them, `\x5C` and `\x22`, so that a
    /// quote cannot end a field early. (`%{+E}` would also escape `]`, as `\]`,
    /// which no nginx reader undoes: `http://[::1]:8080` would read as invalid;
    /// the `json` converter writes `/` as `\/`.) The levels of backslashes:
    /// the config parser halves them, the argument parser halves them again,
    /// and regsub's replacement once more.
    func accessLog() -> String {
        let fields: [(String, String)] = [
            ("referer", "referer"), ("ua", "user-agent"), ("host", "host"), ("origin", "origin"),
            ("acrm", "access-control-request-method"), ("acrh", "access-control-request-headers"),
        ]
        var format = "%ci - - [%trl] \\\"%r\\\" %ST %B"
        for name in ["referer", "ua", "host", "origin", "acrm", "acrh", "acao", "acac"] {
            format += " \\\"%[var(txn.corslog_log_\(name))]\\\""
        }
        var lines = ["log stdout format raw local0", "log-format \"\(format)\""]
        for (name, header) in fields {
            lines.append("http-request set-var(txn.corslog_log_\(name)) req.fhdr(\(header))" + Self.nginxEscape)
        }
        return lines.joined(separator: "\n")
    }

    /// `\` → `\x5C`, then `"` → `\x22` (see `accessLog`).
    static let nginxEscape = #",regsub([\\\\x5C],\\\\\\\\x5C,g),regsub([\\\\x22],\\\\\\\\x22,g)"#

    /// The lines for the frontend section.
    package func snippet(_ policy: Policy) -> String {
        let rules = [("the defaults (every path no path rule claims)", policy.defaults)]
            + policy.paths.map { ("paths beginning \($0.prefix.value)", $0.rule) }
        var out: [String] = []
        out.append("# Exactly one Origin header, compared whole: req.hdr(origin) would split")
        out.append("# \"https://evil.test, https://app.example.com\" on the comma and match the second half.")
        out.append("acl corslog_one_origin req.fhdr_cnt(origin) eq 1")
        out.append("# The rule for the path: the defaults (0), then each path rule, shortest prefix first,")
        out.append("# so that the longest matching prefix is set last and wins.")
        out.append("http-request set-var(txn.corslog_rule) int(0)")
        if !policy.paths.isEmpty {
            out.append("# Prefixes are compared with the path percent-decoded and repeated slashes merged, as an")
            out.append("# application may route /%61dmin/ or //admin/ to /admin/. Browsers resolve dot segments")
            out.append("# (/x/../admin/) before sending, so a path that still has one gets no CORS headers at all.")
            out.append("http-request set-var(txn.corslog_path) path,url_dec,regsub(/+,/,g)")
        }
        for (i, p) in policy.paths.enumerated().reversed() {
            out.append("http-request set-var(txn.corslog_rule) int(\(i + 1)) if { var(txn.corslog_path) -m beg \(Self.word(p.prefix.value)) }")
        }
        if !policy.paths.isEmpty {
            out.append("http-request set-var(txn.corslog_rule) int(-1) if { var(txn.corslog_path) -m reg \(Self.singleQuoted(#"/\.\.?(/|$)"#)) }")
        }
        for i in rules.indices {
            out.append("acl corslog_rule\(i) var(txn.corslog_rule) -m int \(i)")
        }
        for (i, (what, rule)) in rules.enumerated() {
            out.append("# Origins allowed for \(what): exact and case-sensitive; the answer is our own string.")
            for o in rule.origins {
                out.append("http-request set-var(txn.corslog_origin) str(\(Self.word(o.serialized))) if corslog_one_origin corslog_rule\(i) { req.fhdr(origin) -m str \(Self.word(o.serialized)) }")
            }
            for p in rule.patterns {
                out.append("# \(p): one DNS label for *, anchored, case-sensitive; echoes the Origin the regex matched.")
                out.append("http-request set-var(txn.corslog_origin) req.fhdr(origin) if corslog_one_origin corslog_rule\(i) { req.fhdr(origin) -m reg \(Self.singleQuoted(p.anchoredRegex)) }")
            }
        }
        out.append("acl corslog_allowed var(txn.corslog_origin) -m found")
        out.append("# A preflight: OPTIONS with Access-Control-Request-Method from an allowed origin. Answered here;")
        out.append("# its CORS headers come from the http-after-response rules below, as on every response.")
        out.append("http-request set-var(txn.corslog_preflight) bool(true) if METH_OPTIONS corslog_allowed { req.hdr_cnt(access-control-request-method) gt 0 }")
        out.append("acl corslog_preflight var(txn.corslog_preflight) -m bool")
        out.append("http-request return status 204 if corslog_preflight")
        out.append("# http-after-response, not http-response: only it also reaches the responses HAProxy makes itself")
        out.append("# (the 204 above, a 503 when no server is up, its own errors). The application's Access-Control-*")
        out.append("# headers go first, so that there is never a second Access-Control-Allow-Origin.")
        for h in ["Origin", "Credentials", "Methods", "Headers"] {
            out.append("http-after-response del-header Access-Control-Allow-\(h)")
        }
        out.append("http-after-response del-header Access-Control-Expose-Headers")
        out.append("http-after-response del-header Access-Control-Max-Age")
        out.append("http-after-response set-header Access-Control-Allow-Origin %[var(txn.corslog_origin)] if corslog_allowed")
        for (i, (_, rule)) in rules.enumerated() {
            let cond = "corslog_allowed corslog_rule\(i)"
            if rule.credentials {
                out.append("http-after-response set-header Access-Control-Allow-Credentials true if \(cond)")
            }
            if let m = rule.allowMethodsValue {
                out.append("http-after-response set-header Access-Control-Allow-Methods \(Self.doubleQuoted(m)) if corslog_preflight corslog_rule\(i)")
            }
            if let h = rule.allowHeadersValue {
                out.append("http-after-response set-header Access-Control-Allow-Headers \(Self.doubleQuoted(h)) if corslog_preflight corslog_rule\(i)")
            }
            out.append("http-after-response set-header Access-Control-Max-Age \(rule.maxAge) if corslog_preflight corslog_rule\(i)")
            if let e = rule.exposeHeadersValue {
                out.append("http-after-response set-header Access-Control-Expose-Headers \(Self.doubleQuoted(e)) if \(cond) !corslog_preflight")
            }
        }
        out.append("# Vary: Origin on every response, also those without CORS headers, unless it is there already.")
        out.append("acl corslog_vary_origin res.hdr(vary) -m str -i origin")
        out.append("http-after-response add-header Vary \"Origin, Access-Control-Request-Method, Access-Control-Request-Headers\" if corslog_preflight")
        out.append("http-after-response add-header Vary Origin if !corslog_preflight !corslog_vary_origin")
        return out.joined(separator: "\n")
    }

    private func indent(_ text: String, _ n: Int) -> String {
        let pad = String(repeating: " ", count: n)
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : pad + $0 }.joined(separator: "\n")
    }

    /// An unquoted HAProxy word: a validated origin or path prefix, made of
    /// letters, digits and `: / . - _ ~ [ ] +` only (`+` from a scheme such as
    /// `git+https`, which an origin may have). Anything else (a space, `#`,
    /// a quote, `\`, `$`, `,`, `(`, `)`, `{`, `}`) would end or change the word,
    /// the sample fetch or the ACL, so it stops here as a bug.
    static func word(_ s: String) -> String {
        precondition(!s.isEmpty)
        for b in s.utf8 {
            let ok = (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
                || ":/.-_~[]+".utf8.contains(b)
            precondition(ok, "HAProxy renderer got a value outside the validated character set")
        }
        return s
    }

    /// A single-quoted HAProxy word (strong quoting: `\` and `$` are literal),
    /// for an anchored regex; it cannot hold `'` or control characters.
    static func singleQuoted(_ s: String) -> String {
        for b in s.utf8 {
            precondition(b > 0x20 && b < 0x7f && b != UInt8(ascii: "'") && b != UInt8(ascii: "#"),
                         "HAProxy renderer got a regex outside the validated character set")
        }
        return "'" + s + "'"
    }

    /// A double-quoted HAProxy log-format value: method and header names joined
    /// by ", " — letters, digits, `-`, `,` and spaces only, so that neither `%`
    /// (log-format), `$` (environment) nor `\` or `"` can appear.
    static func doubleQuoted(_ s: String) -> String {
        for b in s.utf8 {
            let ok = (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "-") || b == UInt8(ascii: ",")
                || b == UInt8(ascii: " ")
            precondition(ok, "HAProxy renderer got a value outside the validated character set")
        }
        return "\"" + s + "\""
    }
}
