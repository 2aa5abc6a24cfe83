/// Symfony: the whole `config/packages/nelmio_cors.yaml` for NelmioCorsBundle,
/// with empty `defaults` and one `paths` entry per rule, longest prefix first,
/// `'^/'` (the policy's defaults) last.
///
/// The traps it avoids, read in the bundle's source (DependencyInjection/
/// Configuration.php, NelmioCorsExtension.php, Options/ConfigProvider.php,
/// EventListener/CorsListener.php) and checked in PHP by `SymfonyRealLibraryTests`:
/// - a `paths` key is a PCRE run as `preg_match('{KEY}i', $pathInfo)`:
///   unanchored unless it starts with `^`, case-insensitive, and the FIRST key
///   that matches wins in the order written; so keys are `^/prefix` with dots
///   escaped, longest first;
/// - the extension runs `array_filter` over each path's options and then
///   `array_merge($defaults, $path)`: a path inherits every key it leaves out AND
///   every key it sets to `[]`, `false` or `0`. A path could never say "no
///   credentials" or "no headers" under defaults that have them, so `defaults`
///   is all empty and the policy's defaults are the last path, `'^/'`;
/// - `origin_regex: false` compares with `in_array($origin, …, true)`: exact and
///   case-sensitive. `origin_regex: true` runs every entry (exact origins too)
///   as `preg_match('{ENTRY}i', $origin)`, unanchored and case-insensitive, so a
///   rule with patterns writes each entry as `(?-i)^…\z` (case-sensitive again,
///   anchored at both ends; `\z`, not `$`, which also matches before a final
///   newline);
/// - a preflight whose method is not in `allow_methods` gets 405, and an empty
///   list refuses every preflight: the rule's methods plus GET, HEAD and POST
///   (which browsers send in preflights of JSON requests) are listed;
/// - `forced_allow_origin_value` (a fixed ACAO for every origin) stays unset,
///   `hosts` empty, `skip_same_as_origin` at its default.
/// What it cannot avoid: the bundle answers a preflight from ANY origin with
/// Allow-Methods/-Headers/-Max-Age (and -Credentials), leaving out only
/// `Access-Control-Allow-Origin`, and it sets `Vary: Origin` only on preflight
/// answers and cacheable responses.
package struct SymfonyRenderer: PolicyRenderer {
    package let target = "symfony"
    package let summary = "Symfony NelmioCorsBundle: config/packages/nelmio_cors.yaml, empty defaults, one strict path entry per rule"

    package init() {}

    package func render(_ policy: Policy, context: RenderContext) -> String {
        var out: [String] = []
        out.append("# CORS allowlist for Symfony's NelmioCorsBundle, \(context.provenance).")
        out.append("# It replaces allow_origin: ['*'] (or a catch-all origin regex). Review it before use.")
        out.append("#")
        out.append("# This is the whole config/packages/nelmio_cors.yaml: replace that file with it, then")
        out.append("# bin/console cache:clear. How the bundle reads it:")
        out.append("# - each paths key is a regex matched against the path (case-insensitive, unanchored unless it")
        out.append("#   starts with ^); the FIRST key that matches wins, so the longest prefix comes first.")
        out.append("# - a path inherits from defaults every key it leaves out AND every key it sets to [], false or 0,")
        out.append("#   so defaults stay empty and '^/' holds the rule for every other path. Keep every key below.")
        out.append("# - origin_regex: false compares allow_origin exactly (case-sensitive). With origin_regex: true every")
        out.append("#   entry is a case-insensitive, unanchored regex: corslog writes (?-i)^...\\z to make it exact again.")
        out.append("# - a preflight for a method not in allow_methods gets 405; GET, HEAD and POST are listed for that.")
        out.append("# - leave forced_allow_origin_value unset (it sends one fixed origin to everyone) and hosts empty.")
        out.append("# - the bundle answers preflights from other origins too (no Access-Control-Allow-Origin, so browsers")
        out.append("#   refuse them), and sets Vary: Origin only on preflights and cacheable responses.")
        out.append("# Test: bin/console debug:config nelmio_cors, then")
        out.append("#   curl -i -X OPTIONS -H 'Origin: <an allowed origin>' -H 'Access-Control-Request-Method: PUT' <your API URL>")
        out.append("nelmio_cors:")
        out.append("    defaults:")
        out.append("        allow_credentials: false")
        out.append("        allow_origin: []")
        out.append("        allow_headers: []")
        out.append("        allow_methods: []")
        out.append("        expose_headers: []")
        out.append("        max_age: 0")
        out.append("        hosts: []")
        out.append("        origin_regex: false")
        out.append("    paths:")
        var rules = policy.paths.map { ($0.prefix, $0.rule) }
        if !policy.paths.contains(where: { $0.prefix.value == "/" }) {
            rules.append((PathPrefix("/")!, policy.defaults))
        }
        for (prefix, rule) in rules {
            out.append("        \(Self.quoted(Self.pathKey(prefix))):")
            out.append(contentsOf: entry(rule).map { "            " + $0 })
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// None: the bundle runs inside a Symfony application, which corslog cannot write in one file.
    package func standalone(_ policy: Policy, context: RenderContext, options: StandaloneOptions) -> String? {
        nil
    }

    /// `^/prefix` with dots escaped; the `{…}i` delimiters the bundle adds cannot clash
    /// (a `PathPrefix` holds no braces).
    static func pathKey(_ prefix: PathPrefix) -> String { "^" + prefix.regexFragment }

    /// An `origin_regex: true` entry: `(?-i)` turns off the bundle's `i` flag, `^`/`\z` anchor.
    static func originRegex(_ anchored: String) -> String {
        precondition(anchored.hasPrefix("^") && anchored.hasSuffix("$"), "symfony renderer: regex not anchored")
        return "(?-i)" + anchored.dropLast() + "\\z"
    }

    /// The allow_methods list: the rule's methods, then the safelisted ones the
    /// bundle would otherwise refuse in a preflight.
    static func methods(_ rule: CORSRule) -> [String] {
        var list = rule.methods.map(\.rawValue)
        for m in ["GET", "HEAD", "POST"] where !list.contains(m) { list.append(m) }
        return list
    }

    private func entry(_ rule: CORSRule) -> [String] {
        var lines: [String] = []
        if rule.patterns.isEmpty {
            lines.append("allow_origin: \(Self.list(rule.origins.map(\.serialized)))")
            lines.append("origin_regex: false")
        } else {
            let regexes = rule.origins.map { Self.originRegex($0.anchoredRegex) }
                + rule.patterns.map { Self.originRegex($0.anchoredRegex) }
            lines.append("# Patterns need origin_regex, which applies to every entry: all are anchored regexes.")
            lines.append("allow_origin: \(Self.list(regexes))")
            lines.append("origin_regex: true")
        }
        lines.append("allow_methods: \(Self.list(Self.methods(rule)))")
        lines.append("allow_headers: \(Self.list(rule.headers.map(\.name)))")
        lines.append("expose_headers: \(Self.list(rule.exposeHeaders.map(\.name)))")
        lines.append("max_age: \(rule.maxAge)")
        lines.append("allow_credentials: \(rule.credentials)")
        return lines
    }

    private static func list(_ values: [String]) -> String {
        "[" + values.map(quoted).joined(separator: ", ") + "]"
    }

    /// A single-quoted YAML scalar (backslashes are literal there). The values are
    /// validated origins, anchored regexes, method and header names and path
    /// keys, none of which can hold `'`, a line break or anything outside
    /// printable ASCII; anything else would be a bug, so it stops here rather
    /// than write a broken or injectable file.
    static func quoted(_ s: String) -> String {
        for b in s.utf8 {
            precondition(b >= 0x20 && b < 0x7f && b != UInt8(ascii: "'") && b != UInt8(ascii: "{")
                && b != UInt8(ascii: "}") && b != UInt8(ascii: "#"),
                "symfony renderer got a value outside the validated character set")
        }
        return "'" + s + "'"
    }
}
