/// API Gateway HTTP API: the `CorsConfiguration` JSON that
/// `aws apigatewayv2 update-api --api-id ID --cors-configuration file://cors.json` takes.
///
/// The traps it avoids: the file must be exactly a `Cors` object — the CLI
/// parses it as JSON (no comments) and botocore refuses any key the API does
/// not define (`ParamValidationError: Unknown parameter`), so it carries no
/// header; the notes go to the `aws-http-api-cfn` form and the README. Exact
/// origins only, our own serialised strings: HTTP API documents `*` in an
/// origin only as "every origin" (`*`) or "every origin of a scheme"
/// (`https://*`), never as one DNS label, so person-written patterns are not
/// rendered. `AllowCredentials` only when the rule says so (and never with
/// `*`, which AWS refuses anyway). `MaxAge` at most 86400 (the API's range is
/// -1…86400). The CORS configuration is per API, not per route: path rules
/// cannot be expressed, so only the defaults are rendered (fail closed: a path
/// rule's own origins get nothing rather than the defaults' origins getting
/// more). API Gateway answers preflights itself and ignores the backend's CORS
/// headers.
package struct AWSHTTPAPIRenderer: PolicyRenderer {
    package let target = "aws-http-api"
    package let summary = "API Gateway HTTP API: CorsConfiguration JSON for aws apigatewayv2 update-api --cors-configuration file://"

    package init() {}

    package func render(_ policy: Policy, context: RenderContext) -> String {
        Self.corsConfiguration(policy.defaults).json
    }

    /// None: the configuration lives in AWS; there is no local server to run it.
    package func standalone(_ policy: Policy, context: RenderContext, options: StandaloneOptions) -> String? { nil }

    /// The HTTP API's longest `MaxAge`.
    static let maxAgeLimit = 86_400

    /// The `Cors` object (botocore member names, as the CLI and CloudFormation
    /// spell them).
    ///
    /// `AllowMethods` lists the rule's methods and the safelisted GET, HEAD
    /// and POST: a browser needs no permission for those, but AWS does not say
    /// whether it compares a preflight's Access-Control-Request-Method (POST
    /// for a JSON body) with the list, so they are listed rather than risk a
    /// refused preflight.
    static func corsConfiguration(_ rule: CORSRule) -> JSONText {
        let methods = Set(rule.methods + [.get, .head, .post]).sorted()
        var members: [(String, JSONText)] = [("AllowOrigins", .strings(rule.origins.map(\.serialized)))]
        members.append(("AllowMethods", .strings(methods.map(\.rawValue))))
        if !rule.headers.isEmpty { members.append(("AllowHeaders", .strings(rule.headers.map(\.name)))) }
        if !rule.exposeHeaders.isEmpty { members.append(("ExposeHeaders", .strings(rule.exposeHeaders.map(\.name)))) }
        members.append(("MaxAge", .int(min(max(rule.maxAge, 0), maxAgeLimit))))
        members.append(("AllowCredentials", .bool(rule.credentials)))
        return .object(members)
    }

    /// What the policy asks for that an HTTP API cannot do, one sentence each.
    static func notRendered(_ policy: Policy) -> [String] {
        var notes: [String] = []
        let patterns = policy.defaults.patterns.map(\.description)
        if !patterns.isEmpty {
            notes.append("The patterns \(patterns.joined(separator: ", ")) are not rendered: HTTP API's `*` in an origin is not one DNS label. List the origins instead.")
        }
        for p in policy.paths {
            notes.append("The rule for \(p.prefix.value) is not rendered: an HTTP API has one CORS configuration for every route; only the defaults are.")
        }
        if policy.defaults.maxAge > maxAgeLimit {
            notes.append("max_age \(policy.defaults.maxAge) is cut to \(maxAgeLimit), the HTTP API's longest.")
        }
        return notes
    }
}
