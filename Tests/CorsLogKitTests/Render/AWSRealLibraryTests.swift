import Foundation
import Testing
@testable import CorsLogKit

/// The AWS targets' output loaded into the real AWS libraries: boto3/botocore
/// (the model the AWS CLI validates `file://` parameters against), moto (the
/// AWS mock, in process and as a server on 127.0.0.1), openapi-spec-validator
/// and cfn-lint, through `Tests/Python/aws_check.py`.
///
/// What cannot be proven here, and is said in the README: how API Gateway
/// itself matches origins and runs the mapping template (moto does not run
/// MOCK integrations or HTTP API CORS), and real S3's matching (moto's is a
/// prefix match, see `s3ProbesAndWhatMotoGetsWrong`).
@Suite(.serialized, .enabled(if: RealLibraries.available(RealLibraries.pythonHas("boto3", "moto", "openapi_spec_validator")),
                             "the Python venv with boto3, moto and openapi-spec-validator is missing (see Tests/Python/requirements.txt): AWS tests skipped"))
struct AWSRealLibraryTests {
    // MARK: S3

    @Test func s3TakesTheRulesAndGivesThemBack() throws {
        let text = AWSS3Renderer().render(AWSTestPolicies.sample, context: AWSTestPolicies.context)
        let out = try AWSCheck.run("s3", text)
        #expect(out["put"] as? String == "ok", "\(out)")
        let rules = try #require(out["rules"] as? [[String: Any]])
        #expect(rules.count == 1)
        #expect(rules[0]["AllowedOrigins"] as? [String] == ["https://app.example.com", "https://partner.example.net:8443"])
        #expect(rules[0]["AllowedMethods"] as? [String] == ["DELETE", "GET", "HEAD", "POST", "PUT"])
        #expect(rules[0]["AllowedHeaders"] as? [String] == ["authorization", "content-type"])
        #expect(rules[0]["MaxAgeSeconds"] as? Int == 3600)
        #expect((rules[0]["ID"] as? String)?.hasPrefix("CORS allowlist proposed by corslog") == true)
    }

    @Test func s3RefusesTheWholeConfigurationForOneMethodItDoesNotKnow() throws {
        var p = sampleProposal
        p.methods = [.patch, .put]
        let text = AWSS3Renderer().render(Policy(proposal: p), context: RenderContext())
        #expect(try AWSCheck.run("s3", text)["put"] as? String == "ok", "PATCH is dropped, so S3 takes the rest")
        // What happens without the filter: the same rule with PATCH put back.
        let unfiltered = text.replacingOccurrences(of: "\"AllowedMethods\": [\"GET\"", with: "\"AllowedMethods\": [\"PATCH\", \"GET\"")
        #expect(unfiltered != text)
        let refused = try #require(try AWSCheck.run("s3", unfiltered)["put"] as? [String: Any])
        #expect(refused["error"] as? String == "InvalidRequest")
    }

    @Test func s3ProbesAndWhatMotoGetsWrong() throws {
        let text = AWSS3Renderer().render(AWSTestPolicies.sample, context: RenderContext())
        var probes: [[String: Any]] = [
            ["origin": "https://app.example.com", "method": "GET", "path": "v1/orders"],
            ["origin": "https://partner.example.net:8443", "method": "OPTIONS", "path": "v1/orders", "preflight": true,
             "request_method": "PUT", "request_headers": "authorization,content-type"],
            ["method": "GET", "path": "v1/orders"],
            ["origin": "https://evil.test", "method": "OPTIONS", "path": "v1/orders", "preflight": true],
        ]
        for o in ScannerProbes.refused {
            probes.append(["origin": o, "method": "GET", "path": "v1/orders"])
            probes.append(["origin": o, "method": "OPTIONS", "path": "v1/orders", "preflight": true])
        }
        let results = try #require(try AWSCheck.run("s3", text, probes: probes)["probes"] as? [[String: Any]])
        #expect(results.count == probes.count)
        func headers(_ i: Int) -> [String: String] { results[i]["headers"] as? [String: String] ?? [:] }

        #expect(results[0]["status"] as? Int == 200)
        #expect(headers(0)["access-control-allow-origin"] == "https://app.example.com")
        #expect(results[1]["status"] as? Int == 200)
        #expect(headers(1)["access-control-allow-origin"] == "https://partner.example.net:8443")
        #expect(headers(1)["access-control-max-age"] == "3600")
        #expect(headers(1)["access-control-allow-methods"]?.contains("PUT") == true)
        #expect(results[2]["status"] as? Int == 200)
        #expect(headers(2).isEmpty, "no Origin, no CORS header")
        #expect(results[3]["status"] as? Int == 403, "S3 refuses a preflight from an origin not on the list")
        #expect(headers(3)["access-control-allow-origin"] == nil)

        for (i, p) in probes.enumerated().dropFirst(4) {
            let origin = p["origin"] as? String ?? ""
            let acao = headers(i)["access-control-allow-origin"]
            if origin.hasPrefix("https://app.example.com") {
                // moto 5.2.1 matches an AllowedOrigin with an unanchored re.match (s3/utils.py
                // cors_matches_origin), so it also echoes https://app.example.com.evil.test,
                // …/, …:443 and the backtick forms. S3 documents an exact match; these probes
                // cannot be proven against moto, only shown to be moto's.
                #expect(acao == origin, "moto's prefix match: if this fails, moto was fixed — assert nothing-for-\(origin) instead")
            } else {
                #expect(acao == nil, "\(origin) \(p["method"] ?? "") got \(headers(i))")
            }
        }
    }

    @Test func s3HasNoPathsSoOnlyTheDefaultsGetThrough() throws {
        let text = AWSS3Renderer().render(try AWSTestPolicies.pathsAndPattern(), context: RenderContext())
        let probes: [[String: Any]] = [
            ["origin": "https://app.example.com", "method": "GET", "path": "v1/orders"],
            ["origin": "https://admin.example.com", "method": "GET", "path": "v1/orders"],
            ["origin": "https://shop.partner.example", "method": "GET", "path": "v1/orders"],
            ["origin": "https://a.b.partner.example", "method": "GET", "path": "v1/orders"],
        ]
        let results = try #require(try AWSCheck.run("s3", text, probes: probes)["probes"] as? [[String: Any]])
        let acao = results.map { ($0["headers"] as? [String: String])?["access-control-allow-origin"] }
        #expect(acao == ["https://app.example.com", nil, nil, nil],
                "S3 CORS is per bucket: the defaults only; the path rules' origins and the pattern fail closed")
    }

    // MARK: HTTP API

    @Test func httpAPITakesTheCorsConfigurationAndReturnsIt() throws {
        for policy in [AWSTestPolicies.sample, AWSTestPolicies.withCredentials(true), try AWSTestPolicies.pathsAndPattern()] {
            let text = AWSHTTPAPIRenderer().render(policy, context: AWSTestPolicies.context)
            let rendered = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary)
            let out = try AWSCheck.run("http-api", text)
            for step in ["create", "update", "get"] {
                let got = try #require(out[step] as? NSDictionary, "\(step): \(out)")
                #expect(got == rendered, "\(step) returns what was sent")
            }
            #expect((out["get"] as? [String: Any])?["AllowCredentials"] as? Bool == policy.defaults.credentials)
        }
    }

    @Test func theCLIModelRefusesAnyExtraKeySoTheJSONCarriesNoComment() throws {
        let out = try AWSCheck.run("http-api", AWSHTTPAPIRenderer().render(AWSTestPolicies.sample, context: RenderContext()))
        let refused = try #require(out["unknown_key"] as? [String: Any])
        #expect(refused["error"] as? String == "ParamValidationError")
        #expect((refused["message"] as? String ?? "").contains("Unknown parameter in CorsConfiguration"))
    }

    @Test func theCloudFormationAndSAMFormsPassCfnLint() throws {
        for policy in [AWSTestPolicies.sample, AWSTestPolicies.withCredentials(true), try AWSTestPolicies.pathsAndPattern()] {
            let text = AWSHTTPAPICloudFormationRenderer().render(policy, context: AWSTestPolicies.context)
            let out = try AWSCheck.run("cfn", text)
            let cfn = try #require(out["cfn"] as? [String: Any])
            #expect(cfn["status"] as? Int == 0, "cfn-lint: \(cfn["output"] ?? "")")
            let sam = try #require(out["sam"] as? [String: Any])
            #expect(sam["status"] as? Int == 0, "cfn-lint (SAM): \(sam["output"] ?? "")")
            // The YAML block is the JSON target's object, key for key.
            let json = AWSHTTPAPIRenderer().render(policy, context: RenderContext())
            #expect(out["cors"] as? NSDictionary == (try JSONSerialization.jsonObject(with: Data(json.utf8)) as? NSDictionary))
        }
    }

    // MARK: REST API

    @Test func theRESTFragmentIsValidOpenAPIAndImports() throws {
        let text = AWSRESTAPIRenderer().render(AWSTestPolicies.sample, context: AWSTestPolicies.context)
        let out = try AWSCheck.run("rest", text)
        #expect(out["openapi"] as? String == "valid", "\(out["openapi"] ?? "")")
        #expect(out["import"] as? String == "ok", "\(out["import"] ?? "")")
        let resources = try #require(out["resources"] as? [String: [String: Any]])
        #expect(Set(resources.keys) == ["/", "/{proxy+}"])
        for (path, r) in resources {
            #expect(r["methods"] as? [String] == ["OPTIONS"], "\(path)")
            let integration = try #require(r["integration"] as? [String: Any])
            #expect(integration["type"] as? String == "mock")
            #expect(integration["requestTemplates"] as? [String: String] == ["application/json": "{\"statusCode\": 200}"])
            let responses = try #require(integration["responses"] as? [String: [String: Any]])
            let answer = try #require(responses["204"])
            #expect(answer["responseParameters"] as? [String: String]
                    == ["method.response.header.Vary": "'Origin, Access-Control-Request-Method, Access-Control-Request-Headers'"],
                    "only Vary is static")
            let template = try #require((answer["responseTemplates"] as? [String: String])?["application/json"])
            #expect(template.contains("#if($origin == 'https://app.example.com')"))
            #expect(r["methodResponses"] as? [String] == ["204"])
        }
        let gateway = try #require(out["gateway_responses"] as? [String: [String: String]])
        #expect(gateway["DEFAULT_4XX"] == ["gatewayresponse.header.Vary": "'Origin'"])
        #expect(gateway["DEFAULT_5XX"] == ["gatewayresponse.header.Vary": "'Origin'"])
    }

    @Test func theRESTPathRulesBecomeResourcesWithTheirOwnRule() throws {
        let text = AWSRESTAPIRenderer().render(try AWSTestPolicies.pathsAndPattern(), context: RenderContext())
        let out = try AWSCheck.run("rest", text)
        #expect(out["openapi"] as? String == "valid", "\(out["openapi"] ?? "")")
        #expect(out["import"] as? String == "ok", "\(out["import"] ?? "")")
        let resources = try #require(out["resources"] as? [String: [String: Any]])
        #expect(Set(resources.keys) == ["/", "/{proxy+}", "/admin", "/admin/{proxy+}", "/public", "/public/{proxy+}"])
        func template(_ path: String) -> String {
            let integration = resources[path]?["integration"] as? [String: Any]
            let responses = integration?["responses"] as? [String: [String: Any]]
            return (responses?["204"]?["responseTemplates"] as? [String: String])?["application/json"] ?? ""
        }
        #expect(template("/admin/{proxy+}").contains("'https://admin.example.com'"))
        #expect(!template("/admin/{proxy+}").contains("app.example.com"))
        #expect(template("/admin").contains("'https://app.example.com'"), "/admin itself is not under /admin/")
        #expect(template("/public/{proxy+}").contains(".matches('^https://[a-z0-9]([a-z0-9-]*[a-z0-9])?\\.partner\\.example$')"))
        #expect(template("/{proxy+}").contains("Access-Control-Allow-Methods = 'PUT'"))
    }

    @Test func oneOriginGoesIntoTheGatewayResponsesAndAPIGatewayTakesIt() throws {
        let one = Policy(defaults: CORSRule(origins: [origin("https://app.example.com")], methods: [.put], credentials: true))
        let out = try AWSCheck.run("rest", AWSRESTAPIRenderer().render(one, context: RenderContext()))
        #expect(out["openapi"] as? String == "valid")
        let gateway = try #require(out["gateway_responses"] as? [String: [String: String]])
        for kind in ["DEFAULT_4XX", "DEFAULT_5XX"] {
            #expect(gateway[kind] == ["gatewayresponse.header.Access-Control-Allow-Origin": "'https://app.example.com'",
                                      "gatewayresponse.header.Access-Control-Allow-Credentials": "'true'",
                                      "gatewayresponse.header.Vary": "'Origin'"], "\(kind)")
        }
    }
}

/// The REST API's mapping template run by a real Velocity engine: airspeed-ext, the one
/// LocalStack runs API Gateway templates with (airspeed-ext, pinned in Tests/Python/requirements.txt).
/// What API Gateway hands the template is modelled in
/// aws_check.py (`vtl`): the header map as sent, Java's `String.matches`; so this proves the
/// template's logic, not API Gateway's header-name case handling.
@Suite(.enabled(if: RealLibraries.available(RealLibraries.pythonHas("airspeed", "yaml")),
                "airspeed-ext is not in the venv (pip install airspeed-ext==0.6.9): mapping-template test skipped"))
struct AWSMappingTemplateTests {
    private func answers(_ policy: Policy, _ resource: String, _ headers: [[String: String]]) throws -> [[String: String]] {
        let out = try AWSCheck.run("vtl", AWSRESTAPIRenderer().render(policy, context: RenderContext()),
                                   arguments: [resource], probes: headers)
        return try #require(out["results"] as? [[String: String]])
    }

    @Test func allowedOriginsGetOurOwnStringAndOthersNothing() throws {
        let r = try answers(AWSTestPolicies.sample, "/{proxy+}", [
            ["Origin": "https://app.example.com", "Access-Control-Request-Method": "PUT"],
            ["origin": "https://partner.example.net:8443", "access-control-request-method": "DELETE"],
            ["Origin": "https://app.example.com"],
            [:],
            ["Origin": "https://app.example.com", "origin": "https://evil.test"],
        ] + ScannerProbes.refused.map { ["Origin": $0, "Access-Control-Request-Method": "PUT"] })
        #expect(r[0] == ["Access-Control-Allow-Origin": "https://app.example.com", "Access-Control-Allow-Methods": "DELETE, PUT",
                         "Access-Control-Allow-Headers": "authorization, content-type", "Access-Control-Max-Age": "3600"])
        #expect(r[1]["Access-Control-Allow-Origin"] == "https://partner.example.net:8443", "HTTP/2's lower-case names")
        #expect(r[2] == ["Access-Control-Allow-Origin": "https://app.example.com"], "plain OPTIONS: not a preflight")
        #expect(r[3].isEmpty, "no Origin, no CORS header")
        #expect(r[4].isEmpty, "two different Origin headers match nothing")
        for (i, o) in ScannerProbes.refused.enumerated() {
            #expect(r[5 + i].isEmpty, "\(o) got \(r[5 + i])")
        }
    }

    @Test func credentialsOnlyWhenTheRuleSaysSo() throws {
        let on = try answers(AWSTestPolicies.withCredentials(true), "/", [["Origin": "https://app.example.com"], ["Origin": "https://evil.test"]])
        #expect(on[0]["Access-Control-Allow-Credentials"] == "true")
        #expect(on[1].isEmpty)
        let off = try answers(AWSTestPolicies.sample, "/", [["Origin": "https://app.example.com"]])
        #expect(off[0]["Access-Control-Allow-Credentials"] == nil)
    }

    @Test func pathRulesAndPatternsApplyWhereTheySay() throws {
        let policy = try AWSTestPolicies.pathsAndPattern()
        let admin = try answers(policy, "/admin/{proxy+}", [
            ["Origin": "https://admin.example.com", "Access-Control-Request-Method": "DELETE"], ["Origin": "https://app.example.com"]])
        #expect(admin[0] == ["Access-Control-Allow-Origin": "https://admin.example.com", "Access-Control-Allow-Methods": "DELETE",
                             "Access-Control-Max-Age": "60"])
        #expect(admin[1].isEmpty, "the admin rule does not list app.example.com")
        let adminItself = try answers(policy, "/admin", [["Origin": "https://app.example.com"]])
        #expect(adminItself[0]["Access-Control-Allow-Origin"] == "https://app.example.com", "/admin is the defaults'")
        let tricks = ["https://a.b.partner.example", "https://partner.example", "https://shop.partner.example.evil.test",
                      "https://shoppartner.example", "http://shop.partner.example"]
        let pub = try answers(policy, "/public/{proxy+}", [["Origin": "https://shop.partner.example"]] + tricks.map { ["Origin": $0] })
        #expect(pub[0]["Access-Control-Allow-Origin"] == "https://shop.partner.example")
        for (i, t) in tricks.enumerated() { #expect(pub[1 + i].isEmpty, "\(t)") }
    }
}

/// Runs `Tests/Python/aws_check.py COMMAND FILE [PROBES]` on rendered text and
/// returns the JSON object it prints.
enum AWSCheck {
    static let script = PackagePaths.root.appendingPathComponent("Tests/Python/aws_check.py").path

    static func run(_ command: String, _ text: String, arguments: [String] = [], probes: [[String: Any]]? = nil,
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-aws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("rendered")
        try text.write(to: file, atomically: true, encoding: .utf8)
        var args = [script, command, file.path] + arguments
        if let probes {
            let p = dir.appendingPathComponent("probes.json")
            try JSONSerialization.data(withJSONObject: probes).write(to: p)
            args.append(p.path)
        }
        let r = try runProcess(RealLibraries.python, args)
        #expect(r.status == 0, "aws_check.py \(command): \(r.err)", sourceLocation: sourceLocation)
        let line = r.out.split(separator: "\n").last.map(String.init) ?? ""
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                            "aws_check.py printed \(r.out)", sourceLocation: sourceLocation)
    }
}
