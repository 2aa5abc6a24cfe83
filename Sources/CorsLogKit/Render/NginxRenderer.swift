/// nginx: a `map $http_origin` allowlist with exact matches, `add_header …
/// always`, `Vary: Origin`, and preflights from allowed origins answered 204.
///
/// The traps it avoids (see docs in the README): `add_header` is inherited from
/// an outer level only when the current level has none, so all CORS headers
/// sit at one level; `add_header` inside `if` inherits nothing, so the
/// preflight block repeats what it needs; an empty variable sends no header,
/// which is how other origins get none; map values are our own normalised
/// strings, never the request's `$http_origin`.
package struct NginxRenderer: PolicyRenderer {
    package let target = "nginx"
    package let summary = "nginx: map $http_origin allowlist, add_header … always, 204 preflights"

    package init() {}

    /// The part for the `http {}` block and the part for each API `location {}`.
    package struct Parts: Sendable {
        package var http: String
        package var location: String
    }

    package func render(_ policy: Proposal, context: RenderContext) -> String {
        let parts = self.parts(policy)
        var out: [String] = []
        out.append("# CORS allowlist for nginx, \(context.provenance).")
        out.append("# It replaces `add_header Access-Control-Allow-Origin *`. Review it before use.")
        out.append("#")
        out.append("# 1. The map blocks go in the http {} block (e.g. a file in /etc/nginx/conf.d/).")
        out.append("# 2. The location part goes inside each location {} that serves the API; remove every other")
        out.append("#    Access-Control-* add_header there. nginx inherits add_header from an outer level only")
        out.append("#    when the inner level has none, so keep all add_header lines of that location together.")
        out.append("# 3. If the location proxies to an application that sets CORS headers itself, uncomment the")
        out.append("#    proxy_hide_header lines, or the browser sees two Access-Control-Allow-Origin headers.")
        out.append("# Test: nginx -t, then curl -i -H 'Origin: <an allowed origin>' <your API URL>.")
        out.append("")
        out.append("# --- http {} block ---")
        out.append(parts.http)
        out.append("# --- inside location {} ---")
        out.append(parts.location)
        return out.joined(separator: "\n")
    }

    package func parts(_ policy: Proposal) -> Parts {
        var http: [String] = []
        let longest = policy.origins.map(\.serialized.utf8.count).max() ?? 0
        if longest > 40 {
            http.append("# Long origins: if nginx says \"could not build map_hash\", add to http {}: map_hash_bucket_size 128;")
        }
        http.append("map $http_origin $corslog_cors_origin {")
        http.append("    default \"\";")
        for origin in policy.origins {
            let q = Self.quoted(origin.serialized)
            http.append("    \(q) \(q);")
        }
        http.append("}")
        http.append("")
        http.append("# A preflight from an allowed origin: OPTIONS with Access-Control-Request-Method.")
        http.append("map \"$request_method $corslog_cors_origin $http_access_control_request_method\" $corslog_cors_preflight {")
        http.append("    default 0;")
        http.append("    \"~^OPTIONS \\S+ \\S\" 1;")
        http.append("}")
        if policy.credentials {
            http.append("")
            http.append("map $corslog_cors_origin $corslog_cors_credentials {")
            http.append("    default \"true\";")
            http.append("    \"\" \"\";")
            http.append("}")
        }

        var headers: [String] = []
        headers.append("add_header Access-Control-Allow-Origin $corslog_cors_origin always;")
        if policy.credentials {
            headers.append("add_header Access-Control-Allow-Credentials $corslog_cors_credentials always;")
        }
        var preflight = headers
        if !policy.methods.isEmpty {
            preflight.append("add_header Access-Control-Allow-Methods \(Self.quoted(policy.methods.map(\.rawValue).joined(separator: ", "))) always;")
        }
        if !policy.headers.isEmpty {
            preflight.append("add_header Access-Control-Allow-Headers \(Self.quoted(policy.headers.map(\.name).joined(separator: ", "))) always;")
        }
        preflight.append("add_header Access-Control-Max-Age \(policy.maxAge) always;")
        preflight.append("add_header Vary \"Origin, Access-Control-Request-Method, Access-Control-Request-Headers\" always;")

        var location: [String] = []
        location.append("# proxy_hide_header Access-Control-Allow-Origin;")
        location.append("# proxy_hide_header Access-Control-Allow-Credentials;")
        location.append("# proxy_hide_header Access-Control-Allow-Methods;")
        location.append("# proxy_hide_header Access-Control-Allow-Headers;")
        location.append("if ($corslog_cors_preflight) {")
        for line in preflight { location.append("    " + line) }
        location.append("    return 204;")
        location.append("}")
        location.append(contentsOf: headers)
        location.append("add_header Vary Origin always;")
        return Parts(http: http.joined(separator: "\n") + "\n", location: location.joined(separator: "\n") + "\n")
    }

    /// A double-quoted nginx string. The values are validated origins, method and
    /// header names, none of which can hold `"`, `\`, `$`, `{`, `;` or
    /// whitespace other than the ", " we join with; anything else would be a
    /// bug, so it stops here rather than write a broken or injectable config.
    static func quoted(_ s: String) -> String {
        for b in s.utf8 {
            precondition(b >= 0x20 && b < 0x7f && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\")
                && b != UInt8(ascii: "$") && b != UInt8(ascii: "{") && b != UInt8(ascii: ";"),
                "nginx renderer got a value outside the validated character set")
        }
        return "\"" + s + "\""
    }
}
