/// Express: a module around the `cors` middleware (2.8.5) with ONE options
/// delegate, mounted once at the root: the rule of the longest matching path
/// prefix applies alone, an origin gets CORS headers only when it is exactly on
/// that rule's list (`===`) or matches one of its anchored patterns, and the
/// module adds `Vary: Origin` to every response.
///
/// The traps of `cors` 2.8.5 (lib/index.js, each proven in `ExpressRealServerTests`):
/// - every OPTIONS is a preflight to it: with an origin array it still answers
///   204 with `Access-Control-Allow-Methods`/`-Max-Age` (and `-Allow-Credentials`
///   when set) for ANY origin, also without Origin; only ACAO is left out. So the
///   delegate hands `{origin: false}` to anything not allowed (and to an OPTIONS
///   without `Access-Control-Request-Method`), on which `cors` sets no header and
///   calls `next()`;
/// - `credentials: true` sends `Access-Control-Allow-Credentials` on every
///   response, whatever the origin: the same delegate keeps it from strangers;
/// - `allowedHeaders` unset reflects the request's `Access-Control-Request-Headers`,
///   `methods` unset is GET,HEAD,PUT,PATCH,POST,DELETE: both are always explicit
///   (`[]` sends no header);
/// - `app.use('/admin', cors(a))` next to `app.use(cors(b))` runs both for
///   `/admin/x`, so `b` adds its headers where `a` refused: one delegate picks the
///   rule by `req.path` instead;
/// - `Vary: Origin` is added by `cors` only when it handles the request: the
///   module adds it itself (`res.vary`), so refused and Origin-less answers have it.
/// Exact entries echo our own normalised string (`origin: 'https://…'`, which
/// `cors` sends as a fixed value); a pattern echoes the request's Origin only
/// after its anchored regex matched it.
package struct ExpressRenderer: PolicyRenderer {
    package let target = "express"
    package let summary = "Express: the cors middleware with one options delegate (exact list, longest path prefix alone), Vary: Origin"

    package init() {}

    package func render(_ policy: Policy, context: RenderContext) -> String {
        var out: [String] = []
        out.append("// CORS allowlist for Express with the cors middleware (2.8.5), \(context.provenance).")
        out.append("// It replaces cors() / cors({origin: '*'}). Review it before use.")
        out.append("//")
        out.append("// Save this file beside your app as cors-policy.js and, before any route and instead of every")
        out.append("// other cors() call, mount it once at the root:  app.use(require('./cors-policy'));")
        out.append("// (mounted under a path, req.path loses that path and the path rules below would not match).")
        out.append("// Test: curl -i -X OPTIONS -H 'Origin: <an allowed origin>' \\")
        out.append("//         -H 'Access-Control-Request-Method: PUT' <your API URL>")
        out.append("")
        out.append(module(policy))
        return out.joined(separator: "\n") + "\n"
    }

    package func standalone(_ policy: Policy, context: RenderContext, options: StandaloneOptions) -> String? {
        var out: [String] = []
        out.append("// A complete Express app that tries the CORS policy: NODE_PATH=/usr/share/nodejs node THIS_FILE")
        out.append("// \(context.provenance); every path answers 200 \"ok\"; one JSON line per request in")
        out.append("// \(options.accessLog) (corslog analyze --format json reads it).")
        out.append("")
        out.append(module(policy))
        out.append("")
        out.append("const express = require('express');")
        out.append("const fs = require('fs');")
        out.append("")
        out.append("const app = express();")
        out.append("app.use((req, res, next) => {")
        out.append("  res.on('finish', () => {")
        out.append("    const line = {")
        out.append("      msec: (Date.now() / 1000).toFixed(3),")
        out.append("      remote_addr: req.socket.remoteAddress || '',")
        out.append("      request_method: req.method,")
        out.append("      request_uri: req.originalUrl,")
        out.append("      status: res.statusCode,")
        out.append("      host: req.headers.host || '',")
        out.append("      http_origin: req.headers.origin || '',")
        out.append("      http_referer: req.headers.referer || '',")
        out.append("      http_user_agent: req.headers['user-agent'] || '',")
        out.append("      http_access_control_request_method: req.headers['access-control-request-method'] || '',")
        out.append("      http_access_control_request_headers: req.headers['access-control-request-headers'] || '',")
        out.append("      sent_http_access_control_allow_origin: res.getHeader('Access-Control-Allow-Origin') || '',")
        out.append("      sent_http_access_control_allow_credentials: res.getHeader('Access-Control-Allow-Credentials') || '',")
        out.append("    };")
        out.append("    fs.appendFileSync(\(Self.quoted(options.accessLog)), JSON.stringify(line) + '\\n');")
        out.append("  });")
        out.append("  next();")
        out.append("});")
        out.append("app.use(corslogCors);")
        out.append("app.use((req, res) => {")
        out.append("  res.status(200).type('text/plain').send('ok\\n');")
        out.append("});")
        out.append("app.listen(\(options.port), \(Self.quoted(options.host)), () => {")
        out.append("  console.log('listening on http://\(options.host):\(options.port)');")
        out.append("});")
        return out.joined(separator: "\n") + "\n"
    }

    /// The module: rules, the options delegate, the middleware, `module.exports`.
    package func module(_ policy: Policy) -> String {
        var out: [String] = []
        out.append("'use strict';")
        out.append("const cors = require('cors');")
        out.append("")
        out.append("// One rule per path prefix, longest first, then '/' (everything else). The first rule whose")
        out.append("// prefix starts the request path applies alone (case-sensitive, like corslog's policy).")
        out.append("const corslogRules = [")
        let rules = policy.paths.map { ($0.prefix.value, $0.rule) } + [("/", policy.defaults)]
        for (prefix, rule) in rules {
            out.append("  {")
            out.append("    prefix: \(Self.quoted(prefix)),")
            out.append("    // Compared with === : exactly these strings, case-sensitive.")
            out.append("    origins: \(Self.list(rule.origins.map(\.serialized))),")
            if rule.patterns.isEmpty {
                out.append("    patterns: [],")
            } else {
                out.append("    // Person-written patterns: * is exactly one DNS label; anchored, dots escaped, case-sensitive.")
                out.append("    patterns: [\(rule.patterns.map { Self.regexLiteral($0.anchoredRegex) }.joined(separator: ", "))],")
            }
            out.append("    options: {")
            out.append("      methods: \(Self.list(rule.methods.map(\.rawValue))),")
            out.append("      allowedHeaders: \(Self.list(rule.headers.map(\.name))),")
            out.append("      exposedHeaders: \(Self.list(rule.exposeHeaders.map(\.name))),")
            out.append("      credentials: \(rule.credentials),")
            out.append("      maxAge: \(rule.maxAge),")
            out.append("      optionsSuccessStatus: 204,")
            out.append("    },")
            out.append("  },")
        }
        out.append("];")
        out.append("")
        out.append("// cors's options delegate. An allowed origin gets its rule's options with origin set to our own")
        out.append("// string (an exact entry) or to the Origin its anchored pattern matched. Anything else gets")
        out.append("// {origin: false}: cors then sets no header at all and calls next(). That covers other origins,")
        out.append("// requests without Origin, and an OPTIONS without Access-Control-Request-Method (not a")
        out.append("// preflight: it reaches your routes), which cors alone would answer 204 with Allow-Methods.")
        out.append("function corslogOptions(req, callback) {")
        out.append("  const rule = corslogRules.find((r) => req.path.startsWith(r.prefix));")
        out.append("  const origin = req.headers.origin;")
        out.append("  let allowed = false;")
        out.append("  if (typeof origin === 'string') {")
        out.append("    allowed = rule.origins.find((o) => o === origin)")
        out.append("      || (rule.patterns.some((re) => re.test(origin)) ? origin : false);")
        out.append("  }")
        out.append("  if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] === undefined) {")
        out.append("    allowed = false;")
        out.append("  }")
        out.append("  callback(null, allowed ? Object.assign({}, rule.options, { origin: allowed }) : { origin: false });")
        out.append("}")
        out.append("")
        out.append("const corslogCorsMiddleware = cors(corslogOptions);")
        out.append("")
        out.append("// Vary: Origin on every response, also those without CORS headers (shared caches).")
        out.append("function corslogCors(req, res, next) {")
        out.append("  res.vary('Origin');")
        out.append("  corslogCorsMiddleware(req, res, next);")
        out.append("}")
        out.append("")
        out.append("module.exports = corslogCors;")
        return out.joined(separator: "\n")
    }

    private static func list(_ values: [String]) -> String {
        "[" + values.map(quoted).joined(separator: ", ") + "]"
    }

    /// A single-quoted JavaScript string. The values are validated origins,
    /// method and header names, path prefixes and the standalone's host and log
    /// path, none of which can hold `'`, `\`, a line break or anything outside
    /// printable ASCII; anything else would be a bug, so it stops here rather
    /// than write a broken or injectable program.
    static func quoted(_ s: String) -> String {
        for b in s.utf8 {
            precondition(b >= 0x20 && b < 0x7f && b != UInt8(ascii: "'") && b != UInt8(ascii: "\\")
                && b != UInt8(ascii: "`"), "express renderer got a value outside the validated character set")
        }
        return "'" + s + "'"
    }

    /// A JavaScript regular-expression literal for an anchored regex
    /// (`^…$`, no flags: case-sensitive, and `$` matches only at the very end
    /// without the m flag); `/` is escaped.
    static func regexLiteral(_ anchored: String) -> String {
        precondition(anchored.hasPrefix("^") && anchored.hasSuffix("$"), "express renderer: regex not anchored")
        var out = "/"
        for ch in anchored {
            let b = ch.asciiValue ?? 0
            precondition(b >= 0x21 && b < 0x7f && ch != "'" && ch != "`", "express renderer got a regex outside the validated character set")
            out += ch == "/" ? "\\/" : String(ch)
        }
        return out + "/"
    }
}
