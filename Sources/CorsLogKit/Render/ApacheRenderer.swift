/// Apache httpd 2.4: `SetEnvIf Origin` per rule (case-sensitive, each regex
/// anchored at both ends with every dot escaped) names the allowed origin in an
/// environment variable; `Header always set … env=` sends it; preflights from
/// allowed origins are answered 204 by a server-context `RewriteRule … [R=204]`;
/// path rules are `<LocationMatch "^/prefix/">` blocks.
///
/// The traps it avoids, each proven in a real Apache (`ApacheRealServerTests`):
/// - `SetEnvIfNoCase` would let `HTTPS://APP.EXAMPLE.COM` through; `SetEnvIf` does not.
/// - `Header set` (the onsuccess table) never reaches the errors Apache makes
///   itself (404, 500, the 204), `Header always set` does; the two tables are
///   sent together, so each block unsets the CORS headers in both first: a
///   proxied application's own `Access-Control-Allow-Origin` (onsuccess table)
///   would otherwise reach the browser twice; a CGI application's (in the
///   always table, as mod_headers documents for CGI and mod_proxy_fcgi) or
///   another `Header always` line's would stay for origins we refuse.
/// - mod_headers concatenates the `Header` lines of every matching `<Location>`
///   in configuration order, so `/admin/x` runs the `/` block and then the
///   `/admin/` block: each block starts by unsetting, and the blocks are written
///   shortest prefix first, so the longest prefix wins and `/admin/x` never keeps
///   the default rule's origin.
/// - `<Location "/admin">` matches on path-segment boundaries (not `/adminx`),
///   corslog's prefixes are plain string prefixes: `<LocationMatch "^/admin">`.
/// - SetEnvIf in server context runs when the request has been read, before
///   mod_rewrite's server-context rules (URL translation), so those see the
///   variables; per-directory RewriteRules (in `<Location>`) would replace the
///   rules of a `.htaccess`, and need `Options FollowSymLinks` or answer 403,
///   so the preflight rules are server-context rules whose path conditions
///   (`%{REQUEST_URI}`, the decoded path `<LocationMatch>` also sees) mirror the blocks.
/// - An exact entry sends our own normalised origin; a pattern sends the
///   Origin its anchored regex matched (`$0`).
package struct ApacheRenderer: PolicyRenderer {
    package let target = "apache"
    package let summary = "Apache httpd 2.4: SetEnvIf Origin allowlist, Header always set, RewriteRule [R=204] preflights"

    package init() {}

    /// The modules the snippet needs, with their Debian file names.
    package static let modules: [(name: String, file: String)] = [
        ("setenvif_module", "mod_setenvif.so"), ("headers_module", "mod_headers.so"), ("rewrite_module", "mod_rewrite.so"),
    ]
    /// Debian's (and Ubuntu's) module folder.
    package static let debianModules = "/usr/lib/apache2/modules"

    /// The variable set by the RewriteRule that answers a preflight.
    static let preflightVariable = "CORSLOG_PREFLIGHT"
    /// The CORS response headers each block removes before it sets its own.
    static let corsHeaders = ["Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
                              "Access-Control-Allow-Methods", "Access-Control-Allow-Headers",
                              "Access-Control-Max-Age", "Access-Control-Expose-Headers"]

    package func render(_ policy: Policy, context: RenderContext) -> String {
        var out: [String] = []
        out.append("# CORS allowlist for Apache httpd 2.4, \(context.provenance).")
        out.append("# It replaces `Header set Access-Control-Allow-Origin \"*\"`. Review it before use.")
        out.append("#")
        out.append("# Modules: mod_setenvif, mod_headers, mod_rewrite (Debian/Ubuntu: a2enmod setenvif headers rewrite;")
        out.append("#   elsewhere the LoadModule lines of httpd.conf).")
        out.append("# 1. Paste all of it inside the <VirtualHost> that serves the API (or the main server config when")
        out.append("#    there is none): the main server's RewriteRules are not inherited by virtual hosts. Put it")
        out.append("#    before your own RewriteRules, whose [L] or [P] would end rewriting before the preflight rules.")
        out.append("# 2. Remove the other Access-Control-* Header lines. The blocks below unset CORS headers that come")
        out.append("#    from elsewhere (a proxied application, other \"Header always\" lines), so the browser never")
        out.append("#    sees two Access-Control-Allow-Origin headers.")
        out.append("# 3. Keep the <Location>/<LocationMatch> blocks in this order, after your own <Location> blocks:")
        out.append("#    Apache applies every matching block in order, so the last (longest) matching prefix wins.")
        out.append("# Test: apachectl configtest, then curl -i -X OPTIONS -H 'Origin: <an allowed origin>' \\")
        out.append("#         -H 'Access-Control-Request-Method: PUT' <your API URL>")
        out.append("")
        out.append(snippet(policy))
        return out.joined(separator: "\n") + "\n"
    }

    package func standalone(_ policy: Policy, context: RenderContext, options: StandaloneOptions) -> String? {
        let dir = options.workDirectory
        let modules = Self.debianModules
        var out: [String] = []
        out.append("# A complete Apache httpd 2.4 that tries the CORS policy: apache2 -f THIS_FILE -DFOREGROUND")
        out.append("# (or apachectl -f THIS_FILE -DFOREGROUND); \(context.provenance); every path answers 200 \"ok\".")
        out.append("# Module paths are Debian's and Ubuntu's (\(modules)); Fedora/RHEL keep them in")
        out.append("# /usr/lib64/httpd/modules, FreeBSD in /usr/local/libexec/apache24, a source build in")
        out.append("# /usr/local/apache2/modules.")
        out.append("ServerRoot \(Self.quoted(dir))")
        out.append("ServerName 127.0.0.1")
        out.append("Listen \(options.host):\(options.port)")
        out.append("PidFile \(Self.quoted(dir + "/httpd.pid"))")
        out.append("ErrorLog \(Self.quoted(dir + "/error.log"))")
        out.append("LogLevel warn")
        out.append("Mutex file:\(dir) default")
        out.append("DefaultRuntimeDir \(Self.quoted(dir))")
        out.append("# Used only when started as root: the children then run as nobody.")
        out.append("User #65534")
        out.append("Group #65534")
        out.append("LoadModule mpm_event_module \(modules)/mod_mpm_event.so")
        out.append("LoadModule authz_core_module \(modules)/mod_authz_core.so")
        for m in Self.modules {
            out.append("LoadModule \(m.name) \(modules)/\(m.file)")
        }
        out.append("# Debian builds mod_log_config and mod_logio (%O) into apache2; other builds load them.")
        out.append("<IfModule !log_config_module>")
        out.append("    LoadModule log_config_module \(modules)/mod_log_config.so")
        out.append("</IfModule>")
        out.append("<IfModule !logio_module>")
        out.append("    LoadModule logio_module \(modules)/mod_logio.so")
        out.append("</IfModule>")
        out.append("# No file is served: the stub below answers every request.")
        out.append("DocumentRoot \(Self.quoted(dir))")
        out.append("<Directory />")
        out.append("    Require all denied")
        out.append("</Directory>")
        // The apache-cors preset: %{…}o logs the headers "Header always set" added
        // (proven by ApacheRealServerParseTests).
        out.append("LogFormat \"\(LogFormat.preset("apache-cors")!.definition)\" cors")
        out.append("CustomLog \(Self.quoted(options.accessLog)) cors")
        out.append("")
        out.append(snippet(policy))
        out.append("")
        out.append("# The stub: every other request answers 200 \"ok\". [R=200] ends the request with status 200,")
        out.append("# whose ErrorDocument is the text; the CORS headers above come with it (\"Header always\").")
        out.append("ErrorDocument 200 \"ok\"")
        out.append("RewriteRule ^ - [R=200]")
        return out.joined(separator: "\n") + "\n"
    }

    /// One rule with the name of its variable and its path (nil for the defaults).
    private struct Named {
        var prefix: PathPrefix?
        var variable: String
        var rule: CORSRule
        var label: String { prefix?.value ?? "/ (every path no rule below claims)" }
    }

    private func named(_ policy: Policy) -> [Named] {
        [Named(prefix: nil, variable: "CORSLOG_ORIGIN", rule: policy.defaults)]
            + policy.paths.enumerated().map { Named(prefix: $1.prefix, variable: "CORSLOG_ORIGIN_P\($0 + 1)", rule: $1.rule) }
    }

    /// The text to paste: SetEnvIf lines, preflight RewriteRules, one block per rule.
    package func snippet(_ policy: Policy) -> String {
        let rules = named(policy)
        var out: [String] = []
        out.append("# --- 1. Which origin each rule allows ---")
        out.append("# SetEnvIf in server or virtual-host context runs as soon as the request is read, before")
        out.append("# everything below. It is case-sensitive (SetEnvIfNoCase would not be); each regex is anchored")
        out.append("# at both ends, dots escaped. Exact entries set our own spelling of the origin.")
        for r in rules {
            out.append("# Origins allowed under \(r.label)")
            if r.rule.origins.isEmpty && r.rule.patterns.isEmpty { out.append("# (none)") }
            for o in r.rule.origins {
                out.append("SetEnvIf Origin \(Self.quoted(o.anchoredRegex)) \(r.variable)=\(Self.bare(o.serialized))")
            }
            for p in r.rule.patterns {
                // $0: the whole Origin, which the anchored regex has matched.
                out.append("SetEnvIf Origin \(Self.quoted(p.anchoredRegex)) \(r.variable)=$0")
            }
        }
        out.append("")
        out.append("# --- 2. Preflights from allowed origins: OPTIONS with Access-Control-Request-Method, answered 204 ---")
        out.append("# Each rule's path conditions mirror the blocks in part 3 (the longest prefix wins).")
        out.append("RewriteEngine On")
        for r in rules {
            out.append("RewriteCond %{REQUEST_METHOD} =OPTIONS")
            out.append("RewriteCond %{HTTP:Access-Control-Request-Method} .")
            out.append("RewriteCond %{ENV:\(r.variable)} .")
            if let prefix = r.prefix {
                out.append("RewriteCond %{REQUEST_URI} ^\(Self.bare(prefix.regexFragment))")
            }
            for longer in rules.compactMap(\.prefix) where longer.value.count > (r.prefix?.value.count ?? 0)
                && longer.value.hasPrefix(r.prefix?.value ?? "") {
                out.append("RewriteCond %{REQUEST_URI} !^\(Self.bare(longer.regexFragment))")
            }
            out.append("RewriteRule ^ - [E=\(Self.preflightVariable):1,R=204,L]")
        }
        out.append("")
        out.append("# --- 3. The headers, one block per rule; keep them in this order (the last matching block wins) ---")
        // Shortest prefix first: Apache merges matching blocks in the order they appear.
        for r in [rules[0]] + rules.dropFirst().reversed() {
            let open = r.prefix.map { "<LocationMatch \(Self.quoted("^" + $0.regexFragment))>" } ?? "<Location \"/\">"
            out.append(open)
            out.append(contentsOf: block(r).map { "    " + $0 })
            out.append(r.prefix == nil ? "</Location>" : "</LocationMatch>")
        }
        return out.joined(separator: "\n")
    }

    private func block(_ r: Named) -> [String] {
        let v = r.variable, pre = Self.preflightVariable
        var out: [String] = []
        out.append("# Drop CORS headers set elsewhere or by an outer block: \"Header unset\" those of a proxied")
        out.append("# application, \"Header always unset\" those of CGI and FastCGI (PHP-FPM) applications and")
        out.append("# of other \"Header always\" lines.")
        for h in Self.corsHeaders {
            out.append("Header unset \(h)")
            out.append("Header always unset \(h)")
        }
        out.append("# \"always\": also on Apache's own errors (404, 500) and on the 204.")
        out.append("Header always set Access-Control-Allow-Origin \"%{\(v)}e\" env=\(v)")
        if r.rule.credentials {
            out.append("Header always set Access-Control-Allow-Credentials \"true\" env=\(v)")
        }
        if let e = r.rule.exposeHeadersValue {
            out.append("Header always set Access-Control-Expose-Headers \(Self.quoted(e)) env=\(v)")
        }
        out.append("# Only on the preflight the RewriteRule answered.")
        if let m = r.rule.allowMethodsValue {
            out.append("Header always set Access-Control-Allow-Methods \(Self.quoted(m)) env=\(pre)")
        }
        if let h = r.rule.allowHeadersValue {
            out.append("Header always set Access-Control-Allow-Headers \(Self.quoted(h)) env=\(pre)")
        }
        out.append("Header always set Access-Control-Max-Age \"\(r.rule.maxAge)\" env=\(pre)")
        out.append("Header always merge Vary Access-Control-Request-Headers env=\(pre)")
        out.append("# On every response: the answer depends on the Origin.")
        out.append("Header always merge Vary Origin")
        return out
    }

    /// A double-quoted Apache argument. The values are validated origins,
    /// anchored regexes, method and header names, paths and numbers: none holds
    /// `"`, `%` (a mod_headers format), `$` other than a regex's final anchor,
    /// `&`, whitespace other than the ", " we add, or a control byte; a
    /// backslash only before a regex metacharacter. Anything else would be a
    /// bug, so it stops here rather than write a broken or injectable config.
    static func quoted(_ s: String) -> String {
        check(s, allowSpace: true)
        return "\"" + s + "\""
    }

    /// An unquoted argument (an environment value, a RewriteCond pattern): as
    /// `quoted`, and no space.
    static func bare(_ s: String) -> String {
        check(s, allowSpace: false)
        return s
    }

    private static func check(_ s: String, allowSpace: Bool) {
        let bytes = Array(s.utf8)
        for (i, b) in bytes.enumerated() {
            precondition(b > 0x20 || (allowSpace && b == 0x20), "apache renderer got whitespace or a control byte")
            precondition(b < 0x7f && b != UInt8(ascii: "\"") && b != UInt8(ascii: "%") && b != UInt8(ascii: "&")
                && b != UInt8(ascii: "'") && b != UInt8(ascii: "<") && b != UInt8(ascii: ">")
                && b != UInt8(ascii: "{") && b != UInt8(ascii: "}"),
                "apache renderer got a value outside the validated character set")
            precondition(b != UInt8(ascii: "$") || i == bytes.count - 1, "apache renderer got a $ before the end")
            if b == UInt8(ascii: "\\") {
                // PCRE reads a backslash before punctuation as that character.
                precondition(i + 1 < bytes.count && bytes[i + 1] > 0x20 && bytes[i + 1] < 0x7f
                    && !(bytes[i + 1] | 0x20 >= UInt8(ascii: "a") && bytes[i + 1] | 0x20 <= UInt8(ascii: "z"))
                    && !(bytes[i + 1] >= UInt8(ascii: "0") && bytes[i + 1] <= UInt8(ascii: "9")),
                    "apache renderer got a backslash outside a regex escape")
            }
        }
    }
}
