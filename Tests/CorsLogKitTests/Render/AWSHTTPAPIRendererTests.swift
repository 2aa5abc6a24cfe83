import Foundation
import Testing
@testable import CorsLogKit

@Suite struct AWSHTTPAPIRendererTests {
    private func object(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func rendersTheExpectedCorsConfiguration() {
        Expected.check(AWSHTTPAPIRenderer().render(AWSTestPolicies.sample, context: AWSTestPolicies.context), named: "aws-http-api.json")
    }

    @Test func rendersTheExpectedCloudFormationTemplate() {
        Expected.check(AWSHTTPAPICloudFormationRenderer().render(AWSTestPolicies.sample, context: AWSTestPolicies.context),
                       named: "aws-http-api-cfn.yaml")
    }

    @Test func theOutputIsExactlyACorsObjectWithOurOwnOrigins() throws {
        let cors = try object(AWSHTTPAPIRenderer().render(AWSTestPolicies.sample, context: AWSTestPolicies.context))
        #expect(Set(cors.keys) == ["AllowOrigins", "AllowMethods", "AllowHeaders", "MaxAge", "AllowCredentials"])
        #expect(cors["AllowOrigins"] as? [String] == ["https://app.example.com", "https://partner.example.net:8443"])
        #expect(cors["AllowMethods"] as? [String] == ["DELETE", "GET", "HEAD", "POST", "PUT"])
        #expect(cors["AllowHeaders"] as? [String] == ["authorization", "content-type"])
        #expect(cors["MaxAge"] as? Int == 3600)
        #expect(cors["AllowCredentials"] as? Bool == false)
    }

    @Test func credentialsOnlyWhenTheRuleSaysSo() throws {
        let on = try object(AWSHTTPAPIRenderer().render(AWSTestPolicies.withCredentials(true), context: RenderContext()))
        #expect(on["AllowCredentials"] as? Bool == true)
        #expect(!(on["AllowOrigins"] as? [String] ?? []).contains("*"))
        let off = try object(AWSHTTPAPIRenderer().render(AWSTestPolicies.withCredentials(false), context: RenderContext()))
        #expect(off["AllowCredentials"] as? Bool == false)
    }

    @Test func patternsAndPathRulesAreNotRenderedAndTheTemplateSaysSo() throws {
        let policy = try AWSTestPolicies.pathsAndPattern()
        let cors = try object(AWSHTTPAPIRenderer().render(policy, context: RenderContext()))
        #expect(cors["AllowOrigins"] as? [String] == ["https://app.example.com"], "only the defaults' exact origins")
        let cfn = AWSHTTPAPICloudFormationRenderer().render(policy, context: RenderContext())
        #expect(cfn.contains("# - The rule for /admin/ is not rendered"))
        #expect(cfn.contains("# - The rule for /public/ is not rendered"))
        #expect(!cfn.contains("admin.example.com"), "a path rule's origins never reach the API-wide list")
        #expect(!cfn.contains("*.partner.example\""))

        var withPattern = policy
        withPattern.paths = []
        withPattern.defaults.patterns = policy.paths[0].rule.patterns + (policy.paths[1].rule.patterns)
        let notes = AWSHTTPAPICloudFormationRenderer().render(withPattern, context: RenderContext())
        #expect(notes.contains("The patterns https://*.partner.example are not rendered"))
        #expect(!AWSHTTPAPIRenderer().render(withPattern, context: RenderContext()).contains("*"))
    }

    @Test func maxAgeStaysWithinTheAPIsRange() throws {
        var policy = AWSTestPolicies.sample
        policy.defaults.maxAge = 100_000
        let cors = try object(AWSHTTPAPIRenderer().render(policy, context: RenderContext()))
        #expect(cors["MaxAge"] as? Int == 86_400)
        #expect(AWSHTTPAPICloudFormationRenderer().render(policy, context: RenderContext()).contains("max_age 100000 is cut to 86400"))
    }

    @Test func thereIsNoStandalone() throws {
        let options = try StandaloneOptions.make(listen: "127.0.0.1:8080", accessLog: "/tmp/a.log").get()
        #expect(AWSHTTPAPIRenderer().standalone(AWSTestPolicies.sample, context: RenderContext(), options: options) == nil)
        #expect(AWSHTTPAPICloudFormationRenderer().standalone(AWSTestPolicies.sample, context: RenderContext(), options: options) == nil)
    }
}
