/// Flask-CORS (flask-cors 6.0.2, Flask 3.1): one `CORS(app, resources={…})`
/// call with a resource per rule, every origin an anchored, case-sensitive
/// compiled regex, and an `after_request` hook that adds `Vary: Origin` to
/// every response.
///
/// The traps it avoids, each proved against the pinned library in
/// `FlaskRealLibraryTests`:
/// - a plain origin string is compared with `casefold()`, and a match echoes the
///   request's own spelling: `HTTPS://APP.EXAMPLE.COM` would get itself back. A
///   compiled `re.Pattern` is run with `re.match` and no flags (case-sensitive);
///   `^…\Z` anchors both ends (`$` would also match before a trailing newline).
/// - the defaults widen a policy: `origins='*'`, `allow_headers='*'` (reflects
///   whatever a preflight asks), `methods` = every method, and `always_send=True`
///   answers a request without Origin with the allowed origins. Every resource
///   sets each option itself, because Flask-CORS merges a resource's options over
///   `CORS()`'s arguments, the app's `CORS_*` config and those defaults.
/// - resource keys are regexes run with `re.match` (a plain string key is
///   compared with `==`, so `"/admin/"` would claim only that exact path);
///   Flask-CORS re-sorts them (most slashes, then longest pattern first), so the
///   longest matching prefix wins, whatever the dict order.
/// - `vary_header` adds `Vary: Origin` only to answers with CORS headers; the
///   hook adds it to all (including those for other origins and errors).
/// - preflight headers (Allow-Headers, Max-Age) are sent only when the requested
///   method is in `methods`, so GET, HEAD and POST are listed too: a JSON POST
///   is preflighted for its content-type.
package struct FlaskRenderer: PolicyRenderer {
    package let target = "flask"
    package let summary = "Flask-CORS: CORS(app, resources={…}) with exact compiled-regex origins, Vary: Origin hook"

    package init() {}

    package func render(_ policy: Policy, context: RenderContext) -> String {
        var out: [String] = []
        out.append("# CORS allowlist for Flask-CORS 6 (flask-cors 6.0.2, Flask 3.1), \(context.provenance).")
        out.append("# It replaces CORS(app) with origins \"*\". Review it before use.")
        out.append("#")
        out.append("# Paste it after `app = Flask(__name__)` (the imports may move to the top of the file) and")
        out.append("# remove every other CORS(...), @cross_origin and CORS_* config.")
        out.append("# - Origins are anchored, case-sensitive compiled regexes: Flask-CORS compares a plain string")
        out.append("#   case-insensitively and echoes the request's spelling (HTTPS://APP.EXAMPLE.COM).")
        out.append("# - Each rule sets every option: Flask-CORS merges a resource's options over CORS()'s")
        out.append("#   arguments, the app's CORS_* config and its defaults (allow_headers \"*\", every method).")
        out.append("# - Flask-CORS tries the resource with the most slashes, then the longest, first: the")
        out.append("#   longest matching path prefix wins.")
        out.append("# - GET, HEAD and POST are in methods so that their preflights get Allow-Headers too.")
        out.append("# Test: curl -i -X OPTIONS -H 'Origin: <an allowed origin>' \\")
        out.append("#         -H 'Access-Control-Request-Method: PUT' <your API URL>")
        out.append("")
        out.append("import re")
        out.append("")
        out.append("from flask import request")
        out.append("from flask_cors import CORS")
        out.append("")
        out.append("CORS(")
        out.append("    app,")
        out.append("    resources={")
        for (prefix, rule, label) in Self.rules(policy) {
            out.append("        # \(label)")
            out.append("        re.compile(\(PythonLiteral.raw("^" + prefix.regexFragment))): {")
            out.append(contentsOf: Self.options(rule).map { "            " + $0 })
            out.append("        },")
        }
        out.append("    },")
        out.append("    # No CORS headers for a request without Origin, never \"*\", no Private Network Access;")
        out.append("    # CORS headers on error responses (404, 500) too. Vary: set below for every response.")
        out.append("    always_send=False,")
        out.append("    send_wildcard=False,")
        out.append("    allow_private_network=False,")
        out.append("    intercept_exceptions=True,")
        out.append("    vary_header=False,")
        out.append(")")
        out.append("")
        out.append("")
        out.append("@app.after_request")
        out.append("def corslog_vary_origin(response):")
        out.append("    # Vary: Origin on every response, also those without CORS headers, so that caches do not")
        out.append("    # serve one origin's answer to another.")
        out.append("    response.vary.add(\"Origin\")")
        out.append("    if request.method == \"OPTIONS\" and \"Access-Control-Request-Method\" in request.headers:")
        out.append("        response.vary.update([\"Access-Control-Request-Method\", \"Access-Control-Request-Headers\"])")
        out.append("    return response")
        return out.joined(separator: "\n") + "\n"
    }

    package func standalone(_ policy: Policy, context: RenderContext, options: StandaloneOptions) -> String? {
        let base: [HTTPMethod] = [.get, .head, .post, .put, .patch, .delete]
        let methods = (base + Self.rules(policy).flatMap { $0.rule.methods }).filter { $0 != .options }
        var unique: [HTTPMethod] = []
        for m in methods where !unique.contains(m) { unique.append(m) }
        var out: [String] = []
        out.append("# A complete Flask app that tries the CORS policy: python3 THIS_FILE")
        out.append("# (needs Flask 3.1 and flask-cors 6.0.2), \(context.provenance).")
        out.append("# Every path answers 200 \"ok\" on http://\(options.host):\(options.port)/. --access-log is not used:")
        out.append("# Flask's development server logs each request to standard error.")
        out.append("from flask import Flask")
        out.append("")
        out.append("app = Flask(__name__)")
        out.append("")
        out.append("# Flask answers OPTIONS itself (the preflights).")
        out.append("ANY_METHOD = \(PythonLiteral.list(unique.map(\.rawValue)))")
        out.append("")
        out.append("")
        out.append("@app.route(\"/\", defaults={\"path\": \"\"}, methods=ANY_METHOD)")
        out.append("@app.route(\"/<path:path>\", methods=ANY_METHOD)")
        out.append("def ok(path):")
        out.append("    return \"ok\\n\", 200, {\"Content-Type\": \"text/plain\"}")
        out.append("")
        out.append("")
        out.append("# ---- the snippet (corslog render --target flask) ----")
        out.append(render(policy, context: context))
        out.append("")
        out.append("if __name__ == \"__main__\":")
        out.append("    app.run(host=\(PythonLiteral.string(options.host)), port=\(options.port))")
        return out.joined(separator: "\n") + "\n"
    }

    /// The rules as Flask-CORS resources: path rules longest first, then the
    /// defaults at "/" (unless a path rule claims "/" itself).
    static func rules(_ policy: Policy) -> [(prefix: PathPrefix, rule: CORSRule, label: String)] {
        var rules = policy.paths.map { ($0.prefix, $0.rule, "under \($0.prefix.value)") }
        if !policy.paths.contains(where: { $0.prefix.value == "/" }) {
            rules.append((PathPrefix("/")!, policy.defaults, policy.paths.isEmpty ? "every path" : "every other path"))
        }
        return rules
    }

    /// The options of one resource, every one set.
    static func options(_ rule: CORSRule) -> [String] {
        var out: [String] = []
        if rule.origins.isEmpty && rule.patterns.isEmpty {
            out.append("\"origins\": [],  # none allowed here")
        } else {
            out.append("\"origins\": [")
            for o in rule.origins {
                out.append("    re.compile(\(PythonLiteral.raw(PythonLiteral.endAnchored(o.anchoredRegex)))),")
            }
            for p in rule.patterns {
                out.append("    re.compile(\(PythonLiteral.raw(PythonLiteral.endAnchored(p.anchoredRegex)))),  # \(p)")
            }
            out.append("],")
        }
        let methods = Array(Set([HTTPMethod.get, .head, .post] + rule.methods)).sorted()
        out.append("\"methods\": \(PythonLiteral.list(methods.map(\.rawValue))),")
        out.append("\"allow_headers\": \(PythonLiteral.list(rule.headers.map(\.name))),")
        out.append("\"expose_headers\": \(rule.exposeHeaders.isEmpty ? "None" : PythonLiteral.list(rule.exposeHeaders.map(\.name))),")
        out.append("\"supports_credentials\": \(rule.credentials ? "True" : "False"),")
        out.append("\"max_age\": \(rule.maxAge),")
        return out
    }
}
