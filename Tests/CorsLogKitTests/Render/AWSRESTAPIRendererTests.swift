import Foundation
import Testing
@testable import CorsLogKit

@Suite struct AWSRESTAPIRendererTests {
    @Test func rendersTheExpectedFragment() {
        Expected.check(AWSRESTAPIRenderer().render(AWSTestPolicies.sample, context: AWSTestPolicies.context), named: "aws-rest-api.yaml")
    }

    @Test func theTemplateComparesExactlyAndAnswersWithOurOwnString() {
        let t = AWSRESTAPIRenderer.mappingTemplate(AWSTestPolicies.sample.defaults, "the defaults")
        #expect(t.contains("#if($origin == 'https://app.example.com')\n#set($allowed = 'https://app.example.com')"))
        #expect(t.contains("#elseif($origin == 'https://partner.example.net:8443')\n#set($allowed = 'https://partner.example.net:8443')"))
        #expect(!t.contains("$allowed = $origin"), "no exact entry echoes the request")
        #expect(!t.contains("$input.params('"), "never the path/query-first lookup")
        #expect(!t.contains("equalsIgnoreCase") && !t.contains("toLowerCase"))
        #expect(!t.contains("Access-Control-Allow-Credentials"))
        #expect(t.contains("Access-Control-Allow-Methods = 'DELETE, PUT'"))
        #expect(t.contains("Access-Control-Max-Age = '3600'"))
    }

    @Test func credentialsOnlyWhenTheRuleSaysSo() {
        let t = AWSRESTAPIRenderer.mappingTemplate(AWSTestPolicies.withCredentials(true).defaults, "the defaults")
        #expect(t.contains("#set($context.responseOverride.header.Access-Control-Allow-Credentials = 'true')"))
    }

    @Test func patternsUseTheAnchoredRegex() throws {
        let policy = try AWSTestPolicies.pathsAndPattern()
        let t = AWSRESTAPIRenderer.mappingTemplate(policy.pathRule("/public/"), "x")
        #expect(t.contains("#if($origin.matches('^https://[a-z0-9]([a-z0-9-]*[a-z0-9])?\\.partner\\.example$'))\n#set($allowed = $origin)"))
    }

    @Test func everyResourceGetsTheRuleThatGovernsIt() throws {
        let resources = AWSRESTAPIRenderer.resources(try AWSTestPolicies.pathsAndPattern())
        let byPath = Dictionary(uniqueKeysWithValues: resources.map { ($0.path, $0.ruleName) })
        #expect(byPath == ["/": "the defaults", "/{proxy+}": "the defaults",
                           "/admin": "the defaults", "/admin/{proxy+}": "the rule for /admin/",
                           "/public": "the defaults", "/public/{proxy+}": "the rule for /public/"])
    }

    @Test func gatewayResponsesNeverEchoTheRequestsOrigin() throws {
        for policy in [AWSTestPolicies.sample, try AWSTestPolicies.pathsAndPattern(), AWSTestPolicies.withCredentials(true)] {
            // The document, without the header comment (which names what it avoids).
            let text = AWSRESTAPIRenderer().render(policy, context: RenderContext())
                .split(separator: "\n").filter { !$0.hasPrefix("#") }.joined(separator: "\n")
            #expect(!text.contains("method.request.header"))
            #expect(!text.contains("'*'\""))
        }
        let several = AWSRESTAPIRenderer.gatewayResponses(AWSTestPolicies.sample).yaml()
        #expect(!several.contains("Access-Control-Allow-Origin"))
        #expect(several.contains("gatewayresponse.header.Vary: \"'Origin'\""))
    }

    @Test func oneOriginEverywhereGoesIntoTheGatewayResponsesStatically() {
        let one = Policy(defaults: CORSRule(origins: [origin("https://app.example.com")], credentials: true))
        let g = AWSRESTAPIRenderer.gatewayResponses(one).yaml()
        #expect(g.contains("gatewayresponse.header.Access-Control-Allow-Origin: \"'https://app.example.com'\""))
        #expect(g.contains("gatewayresponse.header.Access-Control-Allow-Credentials: \"'true'\""))
        #expect(AWSRESTAPIRenderer().render(one, context: RenderContext()).contains("# One origin is allowed everywhere"))
        // The same origin, but a path rule that allows another: no longer one.
        var two = one
        two.paths = [PathRule(prefix: PathPrefix("/admin/")!, rule: CORSRule(origins: [origin("https://admin.example.com")]))]
        #expect(!AWSRESTAPIRenderer.gatewayResponses(two).yaml().contains("Allow-Origin"))
    }

    @Test func partialSegmentPrefixesAreNamed() {
        let p = Policy(defaults: CORSRule(origins: [origin("https://app.example.com")]),
                       paths: [PathRule(prefix: PathPrefix("/v1/ord")!, rule: CORSRule(origins: [])),
                               PathRule(prefix: PathPrefix("/~user/")!, rule: CORSRule(origins: []))])
        let text = AWSRESTAPIRenderer().render(p, context: RenderContext())
        #expect(text.contains("# - The rule for /v1/ord covers /v1/ord and /v1/ord/…, not longer names"))
        #expect(text.contains("# - The rule for /~user/: API Gateway resource paths cannot hold '~'"))
        #expect(!text.contains("\"/~user"))
        #expect(text.contains("\"/v1/ord/{proxy+}\":"))
    }
}
