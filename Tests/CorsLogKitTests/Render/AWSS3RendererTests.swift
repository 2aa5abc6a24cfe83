import Foundation
import Testing
@testable import CorsLogKit

@Suite struct AWSS3RendererTests {
    private func rules(_ policy: Policy, _ context: RenderContext = RenderContext()) throws -> [[String: Any]] {
        let text = AWSS3Renderer().render(policy, context: context)
        let doc = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(Set(doc.keys) == ["CORSRules"])
        return try #require(doc["CORSRules"] as? [[String: Any]])
    }

    @Test func rendersTheExpectedConfiguration() {
        Expected.check(AWSS3Renderer().render(AWSTestPolicies.sample, context: AWSTestPolicies.context), named: "aws-s3.json")
    }

    @Test func oneRuleWithOurOwnOriginsAndTheProvenanceInItsID() throws {
        let r = try rules(AWSTestPolicies.sample, AWSTestPolicies.context)
        #expect(r.count == 1)
        #expect(r[0]["AllowedOrigins"] as? [String] == ["https://app.example.com", "https://partner.example.net:8443"])
        #expect(r[0]["AllowedMethods"] as? [String] == ["DELETE", "GET", "HEAD", "POST", "PUT"])
        #expect(r[0]["AllowedHeaders"] as? [String] == ["authorization", "content-type"])
        #expect(r[0]["MaxAgeSeconds"] as? Int == 3600)
        let id = try #require(r[0]["ID"] as? String)
        #expect(id.hasPrefix("CORS allowlist proposed by corslog \(CorsLogVersion.current) from 12,345 log lines, 2025-11-01 to 2025-11-07"))
        #expect(id.contains("a CDN must cache on Origin"))
    }

    @Test func methodsS3RefusesAreDroppedAndNamed() throws {
        var p = sampleProposal
        p.methods = [.patch, .put, .propfind]
        let r = try rules(Policy(proposal: p))
        #expect(r[0]["AllowedMethods"] as? [String] == ["GET", "HEAD", "POST", "PUT"])
        #expect((r[0]["ID"] as? String ?? "").contains("not allowed by S3: PATCH PROPFIND"))
    }

    @Test func patternsAndPathRulesAreNotRenderedAndTheIDSaysSo() throws {
        let r = try rules(try AWSTestPolicies.pathsAndPattern())
        #expect(r[0]["AllowedOrigins"] as? [String] == ["https://app.example.com"])
        #expect(!AWSS3Renderer().render(try AWSTestPolicies.pathsAndPattern(), context: RenderContext()).contains("*"))
        #expect((r[0]["ID"] as? String ?? "").contains("path rules not rendered (CORS is per bucket)"))
        var onlyPattern = try AWSTestPolicies.pathsAndPattern()
        onlyPattern.defaults.patterns = onlyPattern.pathRule("/public/").patterns
        onlyPattern.paths = []
        #expect((try rules(onlyPattern)[0]["ID"] as? String ?? "").contains("patterns not rendered"))
    }

    @Test func theIDNeverPassesS3sLimit() throws {
        var p = sampleProposal
        p.methods = HTTPMethod.allCases.filter { ![.get, .head, .post, .options].contains($0) }
        let long = RenderContext(lines: Int.max, firstSeen: 1_761_955_200, lastSeen: 1_762_473_600)
        var policy = Policy(proposal: p)
        policy.paths = try AWSTestPolicies.pathsAndPattern().paths
        policy.defaults.patterns = policy.pathRule("/public/").patterns
        let id = try #require(try rules(policy, long)[0]["ID"] as? String)
        #expect(id.utf8.count <= 255)
        #expect(id.contains("not allowed by S3"), "the dropped methods are said before the reminders")
    }

    @Test func noOriginMeansNoRule() throws {
        let r = try rules(Policy(defaults: CORSRule(origins: [])))
        #expect(r.isEmpty)
    }

    @Test func credentialsChangeNothingBecauseS3DecidesThem() {
        #expect(AWSS3Renderer().render(AWSTestPolicies.withCredentials(true), context: RenderContext())
            == AWSS3Renderer().render(AWSTestPolicies.withCredentials(false), context: RenderContext()))
    }
}
