import Testing
@testable import CorsLogKit

private func o(_ value: String) -> Origin {
    guard case .origin(let origin) = Origin.parse(value) else { fatalError("test origin \(value) does not parse") }
    return origin
}

@Suite struct OriginClassifierTests {
    let classifier = OriginClassifier(sites: [o("https://app.example.com")], psl: .bundled)

    @Test func sameOriginIsExact() {
        #expect(classifier.isSameOrigin(o("https://app.example.com")))
        #expect(classifier.isSameOrigin(o("HTTPS://APP.example.com:443")))
        #expect(!classifier.isSameOrigin(o("http://app.example.com")))
        #expect(!classifier.isSameOrigin(o("https://app.example.com:8443")))
        #expect(!classifier.isSameOrigin(o("https://www.example.com")))
    }

    @Test(arguments: ["https://app.example.com", "https://www.example.com", "https://x.app.example.com",
                      "https://example.com", "http://api.example.com:8080", "https://evilapp.example.com"])
    func firstParty(origin: String) {
        #expect(classifier.isFirstParty(o(origin)))
        #expect(classifier.lookalike(o(origin)) == nil)
    }

    @Test(arguments: ["https://example.org", "https://evilexample.com", "https://partner.test",
                      "https://app.example.com.evil.test", "https://com", "http://10.0.0.1"])
    func notFirstParty(origin: String) {
        #expect(!classifier.isFirstParty(o(origin)))
    }

    @Test func downgradedFirstParty() {
        #expect(classifier.isDowngradedFirstParty(o("http://app.example.com")))
        #expect(classifier.isDowngradedFirstParty(o("http://www.example.com")))
        #expect(!classifier.isDowngradedFirstParty(o("https://www.example.com")))
        #expect(!classifier.isDowngradedFirstParty(o("http://partner.test")))
    }

    @Test func sharedHostingSuffixIsNotFirstParty() {
        let pages = OriginClassifier(sites: [o("https://me.github.io")], psl: .bundled)
        #expect(pages.isFirstParty(o("https://me.github.io")))
        #expect(pages.isFirstParty(o("https://docs.me.github.io")))
        #expect(!pages.isFirstParty(o("https://attacker.github.io")))
        #expect(!pages.isFirstParty(o("https://github.io")))
    }

    @Test func ipSitesMatchTheSameHost() {
        let ip = OriginClassifier(sites: [o("http://192.168.1.10:8080"), o("http://[2001:db8::1]")], psl: .bundled)
        #expect(ip.isFirstParty(o("http://192.168.1.10")))
        #expect(ip.isFirstParty(o("https://[2001:db8:0::1]:8443")))
        #expect(!ip.isFirstParty(o("http://192.168.1.11:8080")))
        #expect(!ip.isFirstParty(o("http://[2001:db8::2]")))
        #expect(ip.lookalike(o("http://192.168.1.10.evil.test")) == nil)
    }

    @Test(arguments: [
        "http://localhost:3000", "http://LOCALHOST", "http://app.localhost:5173", "http://127.0.0.1:8000",
        "http://127.1.2.3", "http://0.0.0.0:8080", "http://10.1.2.3", "http://172.16.0.1", "http://172.31.255.255",
        "http://192.168.0.5", "http://169.254.1.1", "http://100.64.0.1", "http://100.127.255.255",
        "http://[::1]:3000", "http://[::]", "http://[fd12:3456::1]", "http://[fc00::1]", "http://[fe80::1]",
        "http://[febf::1]", "http://[::ffff:127.0.0.1]", "http://[::ffff:192.168.1.1]",
        "http://printer.local", "https://api.internal", "https://app.test", "http://nas.home.arpa",
        "http://router.lan", "http://localhost.localdomain",
    ])
    func development(origin: String) {
        #expect(classifier.isDevelopment(o(origin)))
    }

    @Test(arguments: [
        "https://app.example.com", "https://app.example", "http://8.8.8.8", "http://172.32.0.1", "http://172.15.0.1",
        "http://100.128.0.1", "http://100.63.0.1", "http://192.169.0.1", "http://0.0.0.1", "http://[2001:db8::1]",
        "http://[fec0::1]", "http://[::2]", "http://[::ffff:8.8.8.8]", "https://localhost.example.com",
        "https://test.com", "https://mylocal", "https://lan.example.com",
    ])
    func notDevelopment(origin: String) {
        #expect(!classifier.isDevelopment(o(origin)))
    }

    @Test(arguments: [
        ("https://app.example.com.evil.test", Lookalike.Kind.embedsFirstPartyName, "app.example.com"),
        ("https://example.com.evil.test", .embedsFirstPartyName, "example.com"),
        ("https://app.example.com.attacker.co.uk", .embedsFirstPartyName, "app.example.com"),
        ("https://example.community", .embedsFirstPartyName, "example.com"),
        ("https://evilexample.com", .prefixedFirstPartyName, "example.com"),
        ("https://evil-app.example.com.attacker.net", .prefixedFirstPartyName, "app.example.com"),
        ("https://notexample.com.au", .prefixedFirstPartyName, "example.com"),
        ("https://appxexample.com", .substitutedDot, "app.example.com"),
        ("https://app-example.com", .substitutedDot, "app.example.com"),
        ("https://appexample.com", .substitutedDot, "app.example.com"),
        ("https://www.app-example.com", .substitutedDot, "app.example.com"),
        ("https://app.examplexcom", .substitutedDot, "app.example.com"),
        ("https://example.co", .truncatedFirstPartyName, "example.com"),
        ("https://app.example.co", .truncatedFirstPartyName, "app.example.com"),
        ("http://app.ex", .truncatedFirstPartyName, "app.example.com"),
        // Same registrable label under another suffix: flagged for a person to confirm.
        ("https://example.org", .sameLabelOtherSuffix, "example.com"),
        ("https://www.example.co.uk", .sameLabelOtherSuffix, "example.com"),
    ])
    func lookalikes(origin: String, kind: Lookalike.Kind, firstParty: String) throws {
        let found = try #require(classifier.lookalike(o(origin)), "\(origin)")
        #expect(found.kind == kind)
        #expect(found.firstParty == firstParty)
        #expect(!found.explanation.isEmpty)
        #expect(!classifier.isFirstParty(o(origin)))
    }

    @Test func lookalikeExplanationsNameBothSides() {
        #expect(classifier.lookalike(o("https://app.example.com.evil.test"))?.explanation
            == "uses first-party name app.example.com as labels of evil.test")
        #expect(classifier.lookalike(o("https://appxexample.com"))?.explanation
            == "replaces a dot of first-party name app.example.com with \"x\"")
        #expect(classifier.lookalike(o("https://appexample.com"))?.explanation
            == "drops a dot of first-party name app.example.com")
        #expect(classifier.lookalike(o("https://evilexample.com"))?.explanation
            == "glues first-party name example.com onto other characters without a dot")
        #expect(classifier.lookalike(o("https://example.co"))?.explanation == "is first-party name example.com cut short")
        #expect(classifier.lookalike(o("https://example.org"))?.explanation.contains("example.org") == true)
    }

    @Test(arguments: [
        "https://x.app.example.com", "https://www.example.com", "https://app.example.com", "http://app.example.com",
        "https://partner.test", "https://example.zendesk.com", "https://examples.net", "http://localhost:3000",
        "http://app:3000", "http://10.0.0.1", "https://github.io", "https://cdn.jsdelivr.net",
    ])
    func notLookalikes(origin: String) {
        #expect(classifier.lookalike(o(origin)) == nil)
    }

    @Test func lookalikesOfEverySiteAreFound() {
        let two = OriginClassifier(sites: [o("https://app.example.com"), o("https://shop.other.net")], psl: .bundled)
        #expect(two.lookalike(o("https://shop.other.net.evil.test"))?.firstParty == "shop.other.net")
        #expect(two.lookalike(o("https://evilother.net"))?.kind == .prefixedFirstPartyName)
        // First party to one site is never a lookalike of another.
        #expect(two.lookalike(o("https://shop.other.net.example.com")) == nil)
    }

    @Test(arguments: ["https://github.io", "https://co.uk", "https://com", "https://s3.amazonaws.com", "https://b.ck"])
    func publicSuffixHosts(origin: String) {
        #expect(classifier.isPublicSuffixHost(o(origin)))
    }

    @Test(arguments: ["https://localhost", "https://example.com", "https://me.github.io", "http://1.2.3.4", "http://[::1]",
                      "https://www.ck"])
    func notPublicSuffixHosts(origin: String) {
        #expect(!classifier.isPublicSuffixHost(o(origin)))
    }
}
