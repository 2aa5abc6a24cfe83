import Testing
@testable import CorsLogKit

let sampleProposal = Proposal(
    origins: [origin("https://app.example.com"), origin("https://partner.example.net:8443")],
    methods: [.delete, .put], headers: [HeaderName("authorization")!, HeaderName("content-type")!],
    maxAge: 3600, credentials: false)

@Suite struct NginxRendererTests {
    @Test func rendersTheExpectedSnippet() {
        let text = NginxRenderer().render(Policy(proposal: sampleProposal), context: RenderContext(lines: 12_345, firstSeen: 1_761_955_200, lastSeen: 1_762_473_600))
        Expected.check(text, named: "nginx.conf")
    }

    @Test func everyAllowedOriginIsAnExactMapEntryMappedToItself() {
        let http = NginxRenderer().parts(Policy(proposal: sampleProposal)).http
        #expect(http.contains("    \"~^https://app\\.example\\.com$\" \"https://app.example.com\";"))
        #expect(http.contains("    \"~^https://partner\\.example\\.net:8443$\" \"https://partner.example.net:8443\";"))
        #expect(!http.contains("~*"), "case-sensitive")
        #expect(!http.contains("$http_origin;"), "the request's own Origin is never echoed")
    }

    @Test func credentialsAddTheirOwnMapOnlyWhenProposed() {
        var p = sampleProposal
        #expect(!NginxRenderer().render(Policy(proposal: p), context: RenderContext()).contains("add_header Access-Control-Allow-Credentials"))
        p.credentials = true
        let parts = NginxRenderer().parts(Policy(proposal: p))
        #expect(parts.http.contains("map $corslog_cors_origin $corslog_cors_credentials"))
        #expect(parts.location.contains("add_header Access-Control-Allow-Credentials $corslog_cors_credentials always;"))
    }

    @Test func noMethodsOrHeadersMeansNoSuchPreflightHeaders() {
        let p = Proposal(origins: [origin("https://app.example.com")], methods: [], headers: [], maxAge: 600, credentials: false)
        let location = NginxRenderer().parts(Policy(proposal: p)).location
        #expect(!location.contains("add_header Access-Control-Allow-Methods"))
        #expect(!location.contains("add_header Access-Control-Allow-Headers"))
        #expect(location.contains("Access-Control-Max-Age 600"))
    }
}
