/// API Gateway REST API: an OpenAPI 3 fragment (YAML, which API Gateway
/// imports and which holds comments) with an OPTIONS method and a MOCK
/// integration on every resource the policy's paths need, and the gateway
/// responses `DEFAULT_4XX` / `DEFAULT_5XX`.
///
/// The traps it avoids: a mock's `responseParameters` are static strings, so
/// one value cannot serve several origins; a response mapping template
/// compares the request's Origin with each allowed origin (`==`, exact and
/// case-sensitive) and sets `$context.responseOverride.header.*` to our own
/// string only on a match (a person-written pattern: Java's `matches` on the
/// anchored regex, whole string, then the checked Origin). The template reads
/// the header map (`$input.params().header`), not `$input.params('Origin')`,
/// which looks at the path and the query string first; it reads both
/// spellings and joins them, so a request carrying two different ones matches
/// nothing; and every value is taken through `"$!…"`, because a VTL `#set` from
/// a null leaves the old value in place. Other origins and requests without
/// Origin get no CORS header; `Vary` is static. API Gateway routes to a
/// resource before it looks for the method, so a `{proxy+}` OPTIONS does not
/// reach a resource the fragment itself creates as a parent (`/admin` for
/// `/admin/{proxy+}`): every resource in the fragment gets its own OPTIONS,
/// with the rule that governs it. Gateway responses cannot check the Origin
/// (their templates are not run through VTL, and `method.request.header.Origin`
/// would echo any origin — never rendered): with one origin allowed everywhere
/// they carry it statically, otherwise only `Vary`.
package struct AWSRESTAPIRenderer: PolicyRenderer {
    package let target = "aws-rest-api"
    package let summary = "API Gateway REST API: OpenAPI 3 fragment, OPTIONS mock integrations with an Origin-checking mapping template"

    package init() {}

    package func render(_ policy: Policy, context: RenderContext) -> String {
        let single = Self.singleOrigin(policy)
        var out: [String] = []
        out.append("# CORS preflights for an API Gateway REST API (OpenAPI 3 fragment), \(context.provenance).")
        out.append("# It replaces OPTIONS mocks that answer Access-Control-Allow-Origin '*'. Review it before use.")
        out.append("#")
        out.append("# Merge it into your API and deploy:")
        out.append("#   aws apigateway put-rest-api --rest-api-id ID --mode merge --body fileb://cors.yaml")
        out.append("#   aws apigateway create-deployment --rest-api-id ID --stage-name STAGE")
        out.append("# Every path below gets OPTIONS with a MOCK integration. A mock can only send static headers, so its")
        out.append("# mapping template compares the request's Origin with the list (exactly, case-sensitively) and sets")
        out.append("# Access-Control-Allow-Origin to our own copy of the origin only on a match; other origins and")
        out.append("# requests without Origin get no CORS header. Vary is static, on every answer.")
        out.append("# API Gateway picks the resource before the method: a resource of yours (e.g. /v1/orders) without an")
        out.append("# OPTIONS of its own does not fall back to {proxy+}; give it a copy of the OPTIONS that covers it.")
        out.append("# This adds only OPTIONS: your other methods' responses need Access-Control-Allow-Origin (and")
        out.append("# -Credentials, -Expose-Headers as the policy says) and Vary: Origin from the integration itself")
        out.append("# (Lambda proxy: in the function's response), checked against the same list.")
        out.append("# Gateway responses (DEFAULT_4XX, DEFAULT_5XX: an authorizer's 401/403, throttling, 5xx) cannot check")
        out.append("# the Origin: their templates are not VTL, and method.request.header.Origin would echo any origin.")
        if let single {
            out.append("# One origin is allowed everywhere, so they carry Access-Control-Allow-Origin: \(single.serialized)")
            out.append("# statically (to every caller; other origins' browsers still refuse it).")
        } else {
            out.append("# Several origins are allowed, so they carry only Vary: Origin, and a browser reports those errors")
            out.append("# (401, 403, 429, 5xx) as CORS failures. Read them in the network panel or the API's logs.")
        }
        out.append("# Test: curl -i -X OPTIONS -H 'Origin: <an allowed origin>' -H 'Access-Control-Request-Method: PUT' \\")
        out.append("#         https://ID.execute-api.REGION.amazonaws.com/STAGE/<a path>")
        let notes = Self.notRendered(policy)
        if !notes.isEmpty {
            out.append("#")
            out.append("# Not rendered as written:")
            for n in notes { out.append("# - " + n) }
        }
        out.append(document(policy, context: context).yaml())
        return out.joined(separator: "\n") + "\n"
    }

    package func standalone(_ policy: Policy, context: RenderContext, options: StandaloneOptions) -> String? { nil }

    /// The static value of `Vary` on OPTIONS answers and gateway responses.
    static let varyValue = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"

    /// The OpenAPI document.
    package func document(_ policy: Policy, context: RenderContext) -> JSONText {
        var paths: [(String, JSONText)] = []
        for (resource, rule, ruleName) in Self.resources(policy) {
            paths.append((resource, .object([("options", Self.optionsOperation(resource, rule, ruleName))])))
        }
        return .object([
            ("openapi", .string("3.0.1")),
            ("info", .object([
                ("title", .string("CORS preflights")),
                ("description", .string("CORS preflight answers (OPTIONS, MOCK) and gateway responses, \(context.provenance).")),
                ("version", .string("corslog-\(context.version)")),
            ])),
            ("paths", .object(paths)),
            ("x-amazon-apigateway-gateway-responses", Self.gatewayResponses(policy)),
        ])
    }

    /// Every resource path with the rule that governs it and that rule's name:
    /// `/` and `/{proxy+}` for the defaults, `BASE` and `BASE/{proxy+}` for a
    /// path rule, and every parent the import creates; sorted.
    static func resources(_ policy: Policy) -> [(path: String, rule: CORSRule, ruleName: String)] {
        var set: Set<String> = ["/", "/{proxy+}"]
        for p in policy.paths where renderable(p.prefix) {
            var base = p.prefix.value
            if base.hasSuffix("/") { base.removeLast() }
            guard !base.isEmpty else { continue }
            set.insert(base + "/{proxy+}")
            var parent = ""
            for segment in base.split(separator: "/") {
                parent += "/" + segment
                set.insert(parent)
            }
        }
        return set.sorted().map { path in
            // The request path a resource stands for: a greedy resource, anything below its parent.
            let probe = path.hasSuffix("{proxy+}") ? String(path.dropLast("{proxy+}".count)) : path
            let governing = policy.paths.first { probe.hasPrefix($0.prefix.value) && renderable($0.prefix) }
            return (path, governing?.rule ?? policy.defaults, governing.map { "the rule for \($0.prefix.value)" } ?? "the defaults")
        }
    }

    /// API Gateway's resource path parts: letters, digits and `. _ -` (no `~`).
    static func renderable(_ prefix: PathPrefix) -> Bool { !prefix.value.contains("~") }

    static func notRendered(_ policy: Policy) -> [String] {
        var notes: [String] = []
        for p in policy.paths {
            if !renderable(p.prefix) {
                notes.append("The rule for \(p.prefix.value): API Gateway resource paths cannot hold '~'; its paths get the defaults.")
            } else if !p.prefix.value.hasSuffix("/") {
                notes.append("The rule for \(p.prefix.value) covers \(p.prefix.value) and \(p.prefix.value)/…, not longer names (\(p.prefix.value)x): API Gateway resources are whole path segments.")
            }
        }
        return notes
    }

    private static func optionsOperation(_ resource: String, _ rule: CORSRule, _ ruleName: String) -> JSONText {
        var headers: [String] = ["Access-Control-Allow-Origin"]
        if rule.credentials { headers.append("Access-Control-Allow-Credentials") }
        headers += ["Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Max-Age", "Vary"]
        var members: [(String, JSONText)] = [("summary", .string("CORS preflight (\(ruleName))"))]
        if resource.hasSuffix("{proxy+}") {
            // API Gateway's own export names it `proxy`; OpenAPI validators (openapi-spec-validator
            // 0.9) want the template's name, `proxy+`, and refuse the document otherwise. The mock
            // reads no path parameter, so the name only has to satisfy the validator.
            members.append(("parameters", .array([.object([
                ("name", .string("proxy+")), ("in", .string("path")), ("required", .bool(true)),
                ("schema", .object([("type", .string("string"))])),
            ])])))
        }
        members.append(("responses", .object([("204", .object([
            ("description", .string("The CORS answer; the CORS headers only for an allowed Origin")),
            ("headers", .object(headers.map { ($0, .object([("schema", .object([("type", .string("string"))]))])) })),
        ]))])))
        members.append(("x-amazon-apigateway-integration", .object([
            ("type", .string("mock")),
            ("requestTemplates", .object([("application/json", .string("{\"statusCode\": 200}"))])),
            ("passthroughBehavior", .string("when_no_match")),
            ("responses", .object([("default", .object([
                ("statusCode", .string("204")),
                ("responseParameters", .object([("method.response.header.Vary", .string("'\(varyValue)'"))])),
                ("responseTemplates", .object([("application/json", .block(mappingTemplate(rule, ruleName)))])),
            ]))])),
        ])))
        return .object(members)
    }

    /// The VTL that sets the CORS headers for an allowed Origin only.
    static func mappingTemplate(_ rule: CORSRule, _ ruleName: String) -> String {
        var t: [String] = []
        t.append("## corslog: CORS for \(ruleName). Exact origins compared with == (case-sensitive) and")
        t.append("## answered with our own string; patterns with an anchored regex. Nothing for other origins.")
        t.append("#set($h = $input.params().header)")
        t.append("#set($origin = \"$!h.get('Origin')$!h.get('origin')\")")
        t.append("#set($acrm = \"$!h.get('Access-Control-Request-Method')$!h.get('access-control-request-method')\")")
        t.append("#set($allowed = \"\")")
        var first = true
        for o in rule.origins {
            let lit = vtlLiteral(o.serialized)
            t.append("#\(first ? "if" : "elseif")($origin == \(lit))")
            t.append("#set($allowed = \(lit))")
            first = false
        }
        for p in rule.patterns {
            t.append("#\(first ? "if" : "elseif")($origin.matches(\(vtlLiteral(p.anchoredRegex))))")
            t.append("#set($allowed = $origin)")
            first = false
        }
        if first { t.append("## No origin is allowed here.") } else { t.append("#end") }
        t.append("#if($allowed != \"\")")
        t.append("#set($context.responseOverride.header.Access-Control-Allow-Origin = $allowed)")
        if rule.credentials {
            t.append("#set($context.responseOverride.header.Access-Control-Allow-Credentials = 'true')")
        }
        t.append("#if($acrm != \"\")")
        if let m = rule.allowMethodsValue {
            t.append("#set($context.responseOverride.header.Access-Control-Allow-Methods = \(vtlLiteral(m)))")
        }
        if let h = rule.allowHeadersValue {
            t.append("#set($context.responseOverride.header.Access-Control-Allow-Headers = \(vtlLiteral(h)))")
        }
        t.append("#set($context.responseOverride.header.Access-Control-Max-Age = '\(rule.maxAge)')")
        t.append("#end")
        t.append("#end")
        return t.joined(separator: "\n")
    }

    /// A single-quoted VTL string (not interpolated). The values are validated
    /// origins, anchored regexes and lists of method or header names, none of
    /// which can hold a quote.
    static func vtlLiteral(_ s: String) -> String {
        for b in s.utf8 {
            precondition(b >= 0x20 && b < 0x7f && b != UInt8(ascii: "'") && b != UInt8(ascii: "\"") && b != UInt8(ascii: "#"),
                         "REST API renderer got a value outside the validated character set")
        }
        return "'" + s + "'"
    }

    /// The one origin every rule allows and nothing else, if there is one.
    static func singleOrigin(_ policy: Policy) -> Origin? {
        let rules = [policy.defaults] + policy.paths.map(\.rule)
        guard let o = policy.defaults.origins.first,
              rules.allSatisfy({ $0.origins == [o] && $0.patterns.isEmpty }) else { return nil }
        return o
    }

    /// `DEFAULT_4XX` and `DEFAULT_5XX` with the static-safe CORS headers.
    static func gatewayResponses(_ policy: Policy) -> JSONText {
        var params: [(String, JSONText)] = []
        if let o = singleOrigin(policy) {
            params.append(("gatewayresponse.header.Access-Control-Allow-Origin", .string("'\(o.serialized)'")))
            if ([policy.defaults] + policy.paths.map(\.rule)).allSatisfy(\.credentials) {
                params.append(("gatewayresponse.header.Access-Control-Allow-Credentials", .string("'true'")))
            }
        }
        params.append(("gatewayresponse.header.Vary", .string("'Origin'")))
        let response: JSONText = .object([("responseParameters", .object(params))])
        return .object([("DEFAULT_4XX", response), ("DEFAULT_5XX", response)])
    }
}
