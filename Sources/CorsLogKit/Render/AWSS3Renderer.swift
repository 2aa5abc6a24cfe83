/// S3: the bucket CORS configuration JSON for
/// `aws s3api put-bucket-cors --bucket BUCKET --cors-configuration file://cors.json`.
///
/// The traps it avoids: JSON has no comments and botocore refuses unknown
/// keys, so the provenance and the notes ride in the rule's `ID` (at most 255
/// characters, which S3 stores and ignores). S3 accepts only GET, PUT, POST,
/// DELETE and HEAD as `AllowedMethods` and refuses the whole configuration
/// otherwise: other methods are dropped and named in the ID; GET, HEAD and
/// POST are always listed because S3, unlike a browser, checks them too. Exact
/// origins only: S3's one `*` in an origin matches any run of characters, dots
/// included (`https://*.example.com` takes `https://a.b.example.com`), so
/// person-written one-label patterns are not rendered. S3 CORS is per bucket:
/// path rules cannot be expressed and only the defaults are rendered (fail
/// closed). What it cannot change, said in the README: S3 sends
/// `Access-Control-Allow-Credentials: true` to every allowed origin whatever
/// the policy says, and sends `Vary` only when CORS evaluation succeeds, so a
/// CDN in front must key its cache on Origin and the Access-Control-Request-*
/// headers.
package struct AWSS3Renderer: PolicyRenderer {
    package let target = "aws-s3"
    package let summary = "S3: bucket CORS configuration JSON for aws s3api put-bucket-cors --cors-configuration file://"

    package init() {}

    /// The methods S3 accepts in `AllowedMethods`.
    static let s3Methods: Set<HTTPMethod> = [.get, .put, .post, .delete, .head]

    package func render(_ policy: Policy, context: RenderContext) -> String {
        let rule = policy.defaults
        guard !rule.origins.isEmpty else {
            // S3 refuses a rule without an origin; with nothing allowed the bucket needs no CORS
            // configuration at all (aws s3api delete-bucket-cors). An empty list says so and
            // cannot allow anything by mistake.
            return JSONText.object([("CORSRules", .array([]))]).json
        }
        let methods = Set(rule.methods.filter(Self.s3Methods.contains) + [.get, .head, .post]).sorted()
        var members: [(String, JSONText)] = [("ID", .string(Self.ruleID(policy, context: context)))]
        members.append(("AllowedOrigins", .strings(rule.origins.map(\.serialized))))
        members.append(("AllowedMethods", .strings(methods.map(\.rawValue))))
        if !rule.headers.isEmpty { members.append(("AllowedHeaders", .strings(rule.headers.map(\.name)))) }
        if !rule.exposeHeaders.isEmpty { members.append(("ExposeHeaders", .strings(rule.exposeHeaders.map(\.name)))) }
        members.append(("MaxAgeSeconds", .int(max(rule.maxAge, 0))))
        return JSONText.object([("CORSRules", .array([.object(members)]))]).json
    }

    package func standalone(_ policy: Policy, context: RenderContext, options: StandaloneOptions) -> String? { nil }

    /// S3's longest rule ID.
    static let idLimit = 255

    /// The provenance, then what was not rendered, then the CDN reminder,
    /// as much as fits in 255 characters (the notes are also in the README).
    static func ruleID(_ policy: Policy, context: RenderContext) -> String {
        var parts = ["CORS allowlist \(context.provenance)"]
        let dropped = policy.defaults.methods.filter { !s3Methods.contains($0) }
        if !dropped.isEmpty {
            parts.append("not allowed by S3: \(dropped.map(\.rawValue).joined(separator: " "))")
        }
        if !policy.defaults.patterns.isEmpty { parts.append("patterns not rendered (S3 * spans labels)") }
        if !policy.paths.isEmpty { parts.append("path rules not rendered (CORS is per bucket)") }
        parts.append("a CDN must cache on Origin and Access-Control-Request-Method/-Headers")
        var id = ""
        for part in parts {
            let next = id.isEmpty ? part : id + "; " + part
            if next.utf8.count <= idLimit { id = next }
        }
        precondition(id.utf8.count <= idLimit)
        return id
    }
}
