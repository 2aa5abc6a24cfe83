import Testing
@testable import CorsLogKit

/// Inputs the fuzz targets (`fuzz/run`) crashed on, each kept as a test.
@Suite struct FuzzRegressionRenderTests {
    /// policy-file: `origins: [http+://a.exam0leg]` (fuzz/crashes/policy-file-crash-1ddabf26…).
    /// A scheme may hold `+` (`git+https`); the HAProxy renderer's word check did not
    /// allow it and stopped the program. Every target renders such an origin, and
    /// where it is a regex, `+` is escaped so that it matches only itself.
    @Test func anOriginWhoseSchemeHasAPlusRendersForEveryTarget() throws {
        let text = "origins: [http+://a.exam0leg, git+https://x.example:8443]\npaths:\n  - prefix: /a/\n    origins: [a.b-c+d://q.example]\n"
        let (policy, context) = try PolicyFile.parseWithContext(text, file: "crash.yaml", psl: PublicSuffixList.bundled)
        for renderer in RenderTargets.all {
            let out = renderer.render(policy, context: context)
            #expect(!out.isEmpty, "\(renderer.target)")
        }
        let haproxy = HAProxyRenderer().snippet(policy)
        #expect(haproxy.contains("str(git+https://x.example:8443) if corslog_one_origin corslog_rule0 { req.fhdr(origin) -m str git+https://x.example:8443 }"), "\(haproxy)")
        let nginx = NginxRenderer().render(policy, context: context)
        #expect(nginx.contains(#""~^git\+https://x\.example:8443$""#), "\(nginx)")
        #expect(!nginx.contains("git+https://x\\."), "an unescaped + would match gittt…https")
    }
}
