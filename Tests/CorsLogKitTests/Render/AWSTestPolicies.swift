@testable import CorsLogKit

/// Policies the AWS renderer tests share.
enum AWSTestPolicies {
    static let context = RenderContext(lines: 12_345, firstSeen: 1_761_955_200, lastSeen: 1_762_473_600)

    static var sample: Policy { Policy(proposal: sampleProposal) }

    /// The shape of `NginxRealServerTests.pathRulesAndPatternsApplyWhereTheySay`.
    static func pathsAndPattern() throws -> Policy {
        let pattern = try OriginPattern.parse("https://*.partner.example", psl: PublicSuffixList.bundled).get()
        return Policy(
            defaults: CORSRule(origins: [origin("https://app.example.com")], methods: [.put], maxAge: 600),
            paths: [PathRule(prefix: PathPrefix("/admin/")!,
                             rule: CORSRule(origins: [origin("https://admin.example.com")], methods: [.delete], maxAge: 60)),
                    PathRule(prefix: PathPrefix("/public/")!,
                             rule: CORSRule(origins: [], patterns: [pattern], maxAge: 7200))])
    }

    static func withCredentials(_ on: Bool) -> Policy {
        var p = sampleProposal
        p.credentials = on
        return Policy(proposal: p)
    }
}

extension Policy {
    /// The path rule for `prefix` (the paths are sorted longest first, not as written).
    func pathRule(_ prefix: String) -> CORSRule { paths.first { $0.prefix.value == prefix }!.rule }
}
