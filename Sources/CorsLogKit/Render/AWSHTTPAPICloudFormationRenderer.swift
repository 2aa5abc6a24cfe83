/// API Gateway HTTP API as CloudFormation (and AWS SAM): the same
/// `CorsConfiguration` as `aws-http-api`, in a complete YAML template with an
/// `AWS::ApiGatewayV2::Api` so that `cfn-lint` checks it; SAM's
/// `AWS::Serverless::HttpApi` takes the very same block.
///
/// It is a target of its own because JSON cannot hold a second document or a
/// comment: `aws-http-api` must stay a file the CLI reads as it is. This form
/// carries the header the JSON cannot: what API Gateway does with CORS, and
/// what of the policy an HTTP API cannot express.
package struct AWSHTTPAPICloudFormationRenderer: PolicyRenderer {
    package let target = "aws-http-api-cfn"
    package let summary = "API Gateway HTTP API: the same CorsConfiguration as a CloudFormation/SAM YAML template"

    package init() {}

    package func render(_ policy: Policy, context: RenderContext) -> String {
        var out: [String] = []
        out.append("# CORS allowlist for an API Gateway HTTP API (CloudFormation / AWS SAM), \(context.provenance).")
        out.append("# It replaces AllowOrigins: [\"*\"]. Review it before use.")
        out.append("#")
        out.append("# Paste the CorsConfiguration block into the Properties of your AWS::ApiGatewayV2::Api; with")
        out.append("# AWS SAM, into the Properties of your AWS::Serverless::HttpApi (same keys). The template around")
        out.append("# it is complete only so that `cfn-lint THIS_FILE` can check it. Without CloudFormation:")
        out.append("# corslog render --target aws-http-api > cors.json and")
        out.append("# aws apigatewayv2 update-api --api-id ID --cors-configuration file://cors.json")
        out.append("#")
        out.append("# API Gateway answers preflights itself (no OPTIONS route needed) and ignores the CORS headers")
        out.append("# your integration sends; it adds these to every response of a request with an Origin on the list.")
        out.append("# Let your integration send Vary: Origin (API Gateway does not promise it).")
        out.append("# Test: curl -i -X OPTIONS -H 'Origin: <an allowed origin>' -H 'Access-Control-Request-Method: PUT' \\")
        out.append("#         https://ID.execute-api.REGION.amazonaws.com/<a route>")
        let notes = AWSHTTPAPIRenderer.notRendered(policy)
        if !notes.isEmpty {
            out.append("#")
            out.append("# Not rendered:")
            for n in notes { out.append("# - " + n) }
        }
        let template: JSONText = .object([
            ("AWSTemplateFormatVersion", .string("2010-09-09")),
            ("Description", .string("HTTP API with the CORS allowlist proposed by corslog \(context.version)")),
            ("Resources", .object([
                ("HttpApi", .object([
                    ("Type", .string("AWS::ApiGatewayV2::Api")),
                    ("Properties", .object([
                        ("Name", .string("my-http-api")),
                        ("ProtocolType", .string("HTTP")),
                        ("CorsConfiguration", AWSHTTPAPIRenderer.corsConfiguration(policy.defaults)),
                    ])),
                ])),
            ])),
        ])
        out.append(template.yaml())
        return out.joined(separator: "\n") + "\n"
    }

    package func standalone(_ policy: Policy, context: RenderContext, options: StandaloneOptions) -> String? { nil }
}
