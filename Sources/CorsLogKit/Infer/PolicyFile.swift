import Foundation
import Yams

/// The policy file: the proposal written as a small, commented YAML file a
/// person reviews and edits, and read back (strictly validated) to render.
///
///     version: 1
///     site: [https://api.example.com]
///     origins:                 # exact origins, each with its evidence in a comment
///       - https://app.example.com
///     patterns: []             # person-written: https://*.example.com (one label)
///     methods: [DELETE, PUT]   # non-safelisted methods
///     headers: [authorization, content-type]
///     expose_headers: []
///     credentials: false
///     max_age: 3600
///     paths:                   # optional; a missing key inherits the top level
///       - prefix: /admin/
///         origins: [https://admin.example.com]
package enum PolicyFile {
    /// The YAML text for an inference's proposal, with the evidence of each origin as a comment.
    package static func write(_ inference: Inference, context: RenderContext) -> String {
        let p = inference.proposal
        var out: [String] = []
        out.append("# corslog policy, \(context.provenance).")
        out.append("# Review and edit it, then render it: corslog render --policy THIS_FILE --target nginx")
        out.append("# Every value is checked when the file is read; an error names the line.")
        out.append("version: 1")
        out.append("# What the proposal was made from; render repeats it in each configuration's header.")
        out.append("evidence: " + evidenceLine(context))
        out.append("site:" + (inference.sites.isEmpty ? " []" : ""))
        for s in inference.sites { out.append("  - \(s.serialized)") }
        out.append("origins:" + (p.origins.isEmpty ? " []" : ""))
        for o in p.origins {
            if let v = inference.verdicts.first(where: { $0.origin == o }) {
                out.append("  # " + evidence(v))
            }
            out.append("  - \(o.serialized)")
        }
        out.append("# Person-written patterns, e.g. https://*.example.com: * is one DNS label, never across a public suffix.")
        out.append("patterns: []")
        out.append("# Non-safelisted methods the allowed origins used (GET, HEAD and POST need no permission).")
        out.append("methods: [\(p.methods.map(\.rawValue).joined(separator: ", "))]")
        if inference.otherMethodRequests > 0 {
            // The methods themselves are log text, which never goes into this file: the report names them.
            out.append("# NOT PROPOSABLE: \(ReportText.count(inference.otherMethodRequests)) requests and preflights used a method no policy")
            out.append("# can allow (the report names them; a lower-case patch, say: a page sends it as written, and it")
            out.append("# is not PATCH): they fail; have the page use the upper-case name.")
        }
        out.append("# Request headers their preflights asked for.")
        if inference.requestHeadersNotLogged > 0 {
            out.append("# UNKNOWN: the log format does not record Access-Control-Request-Headers, so which headers")
            out.append("# \(ReportText.count(inference.requestHeadersNotLogged)) preflights asked for is not known. List the headers your pages")
            out.append("# send (content-type for JSON bodies, authorization, ...) before rendering: a preflight that")
            out.append("# asks for one not listed fails in the browser.")
        }
        out.append("headers: [\(p.headers.map(\.name).joined(separator: ", "))]")
        let held = inference.heldMethods.map { "\($0.name) (\($0.clients) client\($0.clients == 1 ? "" : "s"))" }
            + inference.heldHeaders.map { "\($0.name) (\($0.clients) client\($0.clients == 1 ? "" : "s"))" }
        if !held.isEmpty { out.append("# Held back, asked for by too few clients: \(held.joined(separator: ", "))") }
        out.append("# Response headers the pages may read beyond the safelisted ones. Access logs do not show them:")
        out.append("# if Access-Control-Expose-Headers lists any today (X-Total-Count, ETag, ...), list them here.")
        out.append("expose_headers: []")
        if inference.credentialsNotLogged > 0 {
            out.append("# UNKNOWN: the server echoed the Origin to \(ReportText.count(inference.credentialsNotLogged)) requests and the log format does")
            out.append("# not record Access-Control-Allow-Credentials: if it answers true today, pages that send cookies need true here.")
        }
        out.append("credentials: \(p.credentials)")
        out.append("max_age: \(p.maxAge)")
        out.append("# Rules for path prefixes (the longest prefix wins; a missing key inherits the values above), e.g.")
        out.append("#   - prefix: /admin/")
        out.append("#     origins: [https://admin.example.com]")
        out.append("#     methods: [DELETE]")
        out.append("paths: []")
        return out.joined(separator: "\n") + "\n"
    }

    /// `{lines: 4866, from: 2025-11-01, to: 2025-11-07}` (from/to only when the logs had times).
    static func evidenceLine(_ c: RenderContext) -> String {
        var fields = ["lines: \(c.lines)"]
        if let f = c.firstSeen, let l = c.lastSeen { fields += ["from: \(Timestamp.day(f))", "to: \(Timestamp.day(l))"] }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    /// "41 clients, 7 days, 2,791 requests, last seen 2025-11-07; third-party (partner.example): confirm"
    static func evidence(_ v: OriginVerdict) -> String {
        let s = v.stats
        var text = "\(ReportText.count(s.clients.count, "client")), \(ReportText.count(s.days.count, "day")), \(ReportText.count(s.requests, "request"))"
        if let last = s.lastSeen { text += ", last seen \(Timestamp.day(last))" }
        if v.reasons.contains(where: { $0.code == .thirdParty }) { text += "; third-party: confirm" }
        if v.reasons.contains(where: { $0.code == .trusted }) { text += "; trusted by a person" }
        return text
    }

    /// Reads and validates a policy file; errors name the file and line.
    package static func load(path: String, psl: PublicSuffixList) throws(CorsLogError) -> (Policy, RenderContext) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CorsLogError(.noInput, "\(path): cannot read the policy file")
        }
        return try parseWithContext(String(decoding: data, as: UTF8.self), file: path, psl: psl)
    }

    package static func parse(_ text: String, file: String, psl: PublicSuffixList) throws(CorsLogError) -> Policy {
        try parseWithContext(text, file: file, psl: psl).0
    }

    /// The policy and the evidence window its `evidence:` key records (empty when it has none).
    package static func parseWithContext(_ text: String, file: String, psl: PublicSuffixList) throws(CorsLogError) -> (Policy, RenderContext) {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw CorsLogError(.dataError, "\(file): the policy file is empty")
            }
            root = node
        } catch let error as CorsLogError {
            throw error
        } catch {
            throw CorsLogError(.dataError, "\(file): not valid YAML: \(error)")
        }
        let reader = Reader(file: file, psl: psl)
        let top = try reader.mapping(root, "the policy")
        try reader.onlyKeys(top, ["version", "evidence", "site", "origins", "patterns", "methods", "headers", "expose_headers",
                                  "credentials", "max_age", "paths"], in: "the policy")
        if let v = top["version"], try reader.int(v, "version") != 1 {
            throw reader.error(v, "version must be 1")
        }
        let site = try top["site"].map { (n) throws(CorsLogError) in try reader.origins(n, "site") } ?? []
        let defaults = try reader.rule(top, inheriting: nil)
        var paths: [PathRule] = []
        if let p = top["paths"] {
            var seen: Set<PathPrefix> = []
            for item in try reader.sequence(p, "paths") {
                let m = try reader.mapping(item, "a path rule")
                try reader.onlyKeys(m, ["prefix", "origins", "patterns", "methods", "headers", "expose_headers",
                                        "credentials", "max_age"], in: "a path rule")
                guard let prefixNode = m["prefix"] else { throw reader.error(item, "a path rule needs a prefix, e.g. prefix: /api/") }
                let text = try reader.string(prefixNode, "prefix")
                guard let prefix = PathPrefix(text) else {
                    throw reader.error(prefixNode, "prefix \"\(text)\": expected a path starting with /, of letters, digits and / . _ ~ -")
                }
                guard seen.insert(prefix).inserted else { throw reader.error(prefixNode, "prefix \(text) is listed twice") }
                paths.append(PathRule(prefix: prefix, rule: try reader.rule(m, inheriting: defaults)))
            }
        }
        let context = try top["evidence"].map { (n) throws(CorsLogError) in try reader.evidence(n) } ?? RenderContext()
        return (Policy(site: site, defaults: defaults, paths: paths), context)
    }

    /// Walks the YAML nodes, turning every value into a validated type.
    private struct Reader {
        let file: String
        let psl: PublicSuffixList

        func error(_ node: Node, _ message: String) -> CorsLogError {
            CorsLogError(.dataError, "\(file):\(node.mark?.line ?? 0): \(message)")
        }

        func mapping(_ node: Node, _ what: String) throws(CorsLogError) -> [String: Node] {
            guard case .mapping(let m) = node else { throw error(node, "\(what) must be a mapping of keys to values") }
            var out: [String: Node] = [:]
            for (k, v) in m {
                guard case .scalar(let s) = k else { throw error(k, "keys must be plain words") }
                guard out[s.string] == nil else { throw error(k, "\(s.string) is given twice") }
                out[s.string] = v
            }
            return out
        }

        func onlyKeys(_ m: [String: Node], _ allowed: [String], in what: String) throws(CorsLogError) {
            for (k, v) in m where !allowed.contains(k) {
                throw error(v, "unknown key \(k) in \(what); expected one of \(allowed.joined(separator: ", "))")
            }
        }

        func sequence(_ node: Node, _ what: String) throws(CorsLogError) -> [Node] {
            guard case .sequence(let s) = node else { throw error(node, "\(what) must be a list") }
            return Array(s)
        }

        func string(_ node: Node, _ what: String) throws(CorsLogError) -> String {
            guard case .scalar(let s) = node else { throw error(node, "\(what) must be a single value") }
            return s.string
        }

        func int(_ node: Node, _ what: String) throws(CorsLogError) -> Int {
            guard let v = Int(try string(node, what)) else { throw error(node, "\(what) must be a whole number") }
            return v
        }

        func bool(_ node: Node, _ what: String) throws(CorsLogError) -> Bool {
            switch try string(node, what) {
            case "true": return true
            case "false": return false
            default: throw error(node, "\(what) must be true or false")
            }
        }

        /// `{lines: N, from: YYYY-MM-DD, to: YYYY-MM-DD}`: numbers and dates only.
        func evidence(_ node: Node) throws(CorsLogError) -> RenderContext {
            let m = try mapping(node, "evidence")
            try onlyKeys(m, ["lines", "from", "to"], in: "evidence")
            let lines = try m["lines"].map { (n) throws(CorsLogError) in try int(n, "evidence lines") } ?? 0
            guard lines >= 0 else { throw error(node, "evidence lines must be 0 or more") }
            func day(_ key: String) throws(CorsLogError) -> Int64? {
                guard let n = m[key] else { return nil }
                let text = try string(n, "evidence \(key)")
                guard let day = DayText.parse(text) else {
                    throw error(n, "evidence \(key) \"\(text)\": expected a date YYYY-MM-DD")
                }
                return Int64(day) * 86_400
            }
            let from = try day("from"), to = try day("to")
            guard (from == nil) == (to == nil) else { throw error(node, "evidence needs both from and to, or neither") }
            return RenderContext(lines: lines, firstSeen: from, lastSeen: to)
        }

        func origins(_ node: Node, _ what: String) throws(CorsLogError) -> [Origin] {
            var out: [Origin] = []
            for item in try sequence(node, what) {
                let text = try string(item, what)
                if text == "*" {
                    throw error(item, "* is not an origin: corslog writes explicit allowlists (list the origins instead)")
                }
                switch Origin.parse(text) {
                case .origin(let o):
                    guard o.serialized == text else {
                        throw error(item, "\"\(text)\" is written \(o.serialized) when serialised; write it that way")
                    }
                    guard !out.contains(o) else { throw error(item, "\(text) is listed twice") }
                    out.append(o)
                case .null:
                    throw error(item, "null cannot be allowed: sandboxed iframes and file: pages send it")
                case .invalid(let why):
                    throw error(item, "\"\(text)\" is not an origin (\(why.explanation)); expected scheme://host[:port]")
                }
            }
            return out
        }

        func rule(_ m: [String: Node], inheriting base: CORSRule?) throws(CorsLogError) -> CORSRule {
            var origins = base?.origins ?? []
            var patterns = base?.patterns ?? []
            if let n = m["origins"] { origins = try self.origins(n, "origins") }
            if let n = m["patterns"] {
                patterns = []
                for item in try sequence(n, "patterns") {
                    switch OriginPattern.parse(try string(item, "pattern"), psl: psl) {
                    case .success(let p): patterns.append(p)
                    case .failure(let why): throw error(item, why.description)
                    }
                }
            }
            var methods = base?.methods ?? []
            if let n = m["methods"] {
                methods = []
                for item in try sequence(n, "methods") {
                    let name = try string(item, "method")
                    guard let method = HTTPMethod(name: name), !method.isForbidden else {
                        throw error(item, "unknown method \(name); expected one of "
                            + HTTPMethod.allCases.filter { !$0.isForbidden }.map(\.rawValue).joined(separator: ", "))
                    }
                    methods.append(method)
                }
            }
            func names(_ key: String, _ inherited: [HeaderName]) throws(CorsLogError) -> [HeaderName] {
                guard let n = m[key] else { return inherited }
                var out: [HeaderName] = []
                for item in try sequence(n, key) {
                    let text = try string(item, key)
                    guard let h = HeaderName(text) else {
                        throw error(item, "\"\(text)\" is not a header name (letters, digits and -)")
                    }
                    out.append(h)
                }
                return out
            }
            let headers = try names("headers", base?.headers ?? [])
            let expose = try names("expose_headers", base?.exposeHeaders ?? [])
            let credentials = try m["credentials"].map { (n) throws(CorsLogError) in try bool(n, "credentials") } ?? base?.credentials ?? false
            let maxAge = try m["max_age"].map { (n) throws(CorsLogError) in try int(n, "max_age") } ?? base?.maxAge ?? 600
            if let n = m["max_age"], !(0...86_400).contains(maxAge) {
                throw error(n, "max_age must be between 0 and 86400 seconds (Chromium caps it at 7200)")
            }
            return CORSRule(origins: origins, patterns: patterns, methods: methods, headers: headers,
                            exposeHeaders: expose, credentials: credentials, maxAge: maxAge)
        }
    }
}
