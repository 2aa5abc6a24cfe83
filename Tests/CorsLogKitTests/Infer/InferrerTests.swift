import Testing
@testable import CorsLogKit

/// Runs inference over lines with the site https://api.example.com.
private func infer(_ lines: [Line], _ configure: (inout InferenceOptions) -> Void = { _ in }) -> Inference {
    var c = EvidenceCollector.forOriginLogs()
    c.add(lines)
    var options = InferenceOptions()
    options.sites = [origin("https://api.example.com")]
    configure(&options)
    return Inferrer.infer(c.finish(), options: options, psl: PublicSuffixList.bundled)
}

private func verdict(_ i: Inference, _ o: String) -> OriginVerdict? {
    i.verdicts.first { $0.label == o }
}

private func codes(_ v: OriginVerdict?) -> [Reason.Code] { v?.reasons.map(\.code) ?? [] }

@Suite struct InferrerDecisionTests {
    @Test func enoughClientsAndDaysAllowsAFirstPartyOrigin() {
        let i = infer(traffic("https://app.example.com", clients: 5, days: 3, count: 30))
        let v = try! #require(verdict(i, "https://app.example.com"))
        #expect(v.decision == .allow)
        #expect(v.firstParty == true)
        #expect(codes(v) == [.enoughEvidence])
        #expect(i.proposal.origins == [origin("https://app.example.com")])
    }

    @Test func aThirdPartyWithEnoughEvidenceIsAllowedAndFlaggedForConfirmation() {
        let v = verdict(infer(traffic("https://shop.partner.example", clients: 5, days: 3, count: 30)), "https://shop.partner.example")
        #expect(v?.decision == .allow)
        #expect(v?.firstParty == false)
        #expect(codes(v).contains(.thirdParty))
    }

    @Test func fewClientsOrFewDaysHoldsForReview() {
        let i = infer(traffic("https://a.partner.example", clients: 2, days: 5, count: 20)
                      + traffic("https://b.partner.example", clients: 9, days: 1, count: 20))
        #expect(verdict(i, "https://a.partner.example")?.decision == .review)
        #expect(codes(verdict(i, "https://a.partner.example")) == [.fewClients])
        #expect(verdict(i, "https://b.partner.example")?.decision == .review)
        #expect(codes(verdict(i, "https://b.partner.example")) == [.fewDays])
        #expect(i.proposal.origins.isEmpty)
    }

    @Test func minClientsAndMinDaysAreKnobs() {
        let lines = traffic("https://a.partner.example", clients: 2, days: 1, count: 20)
        #expect(verdict(infer(lines) { $0.minClients = 2; $0.minDays = 1 }, "https://a.partner.example")?.decision == .allow)
    }

    @Test func theSiteItselfNeedsNoCORS() {
        let i = infer([Line(method: "POST", origin: "https://api.example.com", host: "api.example.com")])
        let v = verdict(i, "https://api.example.com")
        #expect(v?.decision == .deny)
        #expect(codes(v) .contains(.sameOrigin))
        #expect(i.breakage.blockedRequests == 0)
    }

    @Test func nullIsDeniedWhateverItsVolume() {
        let i = infer(traffic("null", clients: 50, days: 7, count: 500))
        #expect(verdict(i, "null")?.decision == .deny)
        #expect(codes(verdict(i, "null")) == [.nullOrigin])
        #expect(i.breakage.byReason[.nullOrigin] == 500)
    }

    @Test func developmentOriginsAreHeldForReview() {
        for dev in ["http://localhost:3000", "http://127.0.0.1:8080", "http://192.168.1.20", "https://myapp.local"] {
            let v = verdict(infer(traffic(dev, clients: 9, days: 7, count: 50)), dev)
            #expect(v?.decision == .review, "\(dev)")
            #expect(codes(v).contains(.developmentOrigin), "\(dev)")
        }
    }

    @Test func plainHttpOnAnHttpsSiteIsDeniedUnlessAllowed() {
        let lines = traffic("http://app.example.com", clients: 9, days: 7, count: 50)
        let v = verdict(infer(lines), "http://app.example.com")
        #expect(v?.decision == .deny)
        #expect(codes(v).contains(.insecureScheme))
        #expect(verdict(infer(lines) { $0.allowInsecure = true }, "http://app.example.com")?.decision == .allow)
    }

    @Test func lookalikesOfTheSiteAreDeniedEvenWithLotsOfTraffic() {
        for fake in ["https://api.example.com.evil.test", "https://evilexample.com"] {
            let v = verdict(infer(traffic(fake, clients: 30, days: 7, count: 100)), fake)
            #expect(v?.decision == .deny, "\(fake)")
            #expect(codes(v).contains(.lookalike), "\(fake)")
        }
    }

    @Test func theSameNameUnderAnotherSuffixIsHeldForReview() {
        let v = verdict(infer(traffic("https://shop.example.org", clients: 30, days: 7, count: 100)), "https://shop.example.org")
        #expect(v?.decision == .review)
        #expect(codes(v).contains(.similarName))
    }

    @Test func aPublicSuffixAsHostIsDenied() {
        let v = verdict(infer(traffic("https://github.io", clients: 30, days: 7, count: 100)), "https://github.io")
        #expect(v?.decision == .deny)
        #expect(codes(v).contains(.publicSuffixHost))
    }

    @Test func browserExtensionsAreHeldForReview() {
        let ext = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
        let v = verdict(infer(traffic(ext, clients: 30, days: 7, count: 100)), ext)
        #expect(v?.decision == .review)
        #expect(codes(v).contains(.nonWebScheme))
    }

    @Test func trustAndIgnoreOverrideTheEvidenceAndSaySo() {
        let lines = traffic("https://rare.partner.example", clients: 1, days: 1, count: 2)
            + traffic("https://old.example.com", clients: 9, days: 7, count: 50)
        let i = infer(lines) {
            $0.trusted = [origin("https://rare.partner.example"), origin("https://quiet.partner.example")]
            $0.ignored = [origin("https://old.example.com")]
        }
        let rare = verdict(i, "https://rare.partner.example")
        #expect(rare?.decision == .allow)
        #expect(rare?.overriddenDecision == .review)
        #expect(codes(rare).first == .trusted)
        let quiet = verdict(i, "https://quiet.partner.example")
        #expect(quiet?.decision == .allow)
        #expect(quiet?.stats.requests == 0)
        let old = verdict(i, "https://old.example.com")
        #expect(old?.decision == .deny)
        #expect(old?.overriddenDecision == .allow)
        #expect(i.proposal.origins == [origin("https://quiet.partner.example"), origin("https://rare.partner.example")])
        #expect(i.breakage.byReason[.ignored] == 50)
    }
}

@Suite struct InferrerProposalTests {
    @Test func methodsAreTheNonSafelistedOnesAllowedOriginsUsed() {
        let lines = traffic("https://app.example.com", clients: 5, days: 3, count: 30, method: "PUT", acrh: "content-type", preflight: true)
            + traffic("https://app.example.com", clients: 5, days: 3, count: 30, method: "GET")
            + traffic("https://app.example.com", clients: 5, days: 3, count: 30, method: "POST")
            + traffic("https://review.partner.example", clients: 1, days: 1, count: 5, method: "DELETE", preflight: true)
        let p = infer(lines).proposal
        #expect(p.methods == [.put])
        #expect(p.headers == [HeaderName("content-type")!])
    }

    @Test func requestedHeadersAreKeptWhateverTheirNameButNeedSeveralClients() {
        var lines = traffic("https://app.example.com", clients: 5, days: 3, count: 30, method: "POST",
                            acrh: "Content-Type, X-Request-ID, Authorization", preflight: true)
        // One client forging preflights for a popular origin cannot widen the allowlist.
        lines += (0..<20).map { _ in
            Line(client: "192.0.2.66", method: "OPTIONS", origin: "https://app.example.com", acrm: "PATCH",
                 acrh: "x-forged", host: "api.example.com", status: 204)
        }
        let i = infer(lines)
        #expect(i.proposal.headers.map(\.name) == ["authorization", "content-type", "x-request-id"])
        #expect(i.proposal.methods.isEmpty)
        #expect(i.heldHeaders == [HeldName(name: "x-forged", clients: 1)])
        #expect(i.heldMethods == [HeldName(name: "PATCH", clients: 1)])
    }

    @Test func maxAgeFollowsPreflightVolumeAndIsCappedAtChromiumsLimit() {
        #expect(Inferrer.suggestedMaxAge(preflights: 0, days: 0) == 600)
        #expect(Inferrer.suggestedMaxAge(preflights: 500, days: 7) == 600)
        #expect(Inferrer.suggestedMaxAge(preflights: 7_000, days: 7) == 3600)
        #expect(Inferrer.suggestedMaxAge(preflights: 10_000_000, days: 7) == 7200)
    }

    @Test func credentialsOnlyWhenTheLogsShowThemOrAFlagSaysSo() {
        let plain = traffic("https://app.example.com", clients: 5, days: 3, count: 30)
        #expect(infer(plain).proposal.credentials == false)
        #expect(infer(plain) { $0.credentials = true }.proposal.credentials == true)
        let withCreds = traffic("https://app.example.com", clients: 5, days: 3, count: 30,
                                acao: "https://app.example.com", acac: "true")
        #expect(infer(withCreds).proposal.credentials == true)
    }

    @Test func breakageCountsRefusedCrossOriginRequestsByReason() {
        let lines = traffic("https://app.example.com", clients: 5, days: 3, count: 90)
            + traffic("http://localhost:3000", clients: 1, days: 1, count: 10)
        var c = EvidenceCollector.forOriginLogs()
        c.add(lines)
        c.add(Line(origin: "https://bad.example/"))
        let i = Inferrer.infer(c.finish(), options: { var o = InferenceOptions(); o.sites = [origin("https://api.example.com")]; return o }(),
                               psl: PublicSuffixList.bundled)
        #expect(i.breakage.crossOriginRequests == 101)
        #expect(i.breakage.blockedRequests == 11)
        #expect(i.breakage.byReason == [.developmentOrigin: 10, .invalid: 1])
    }
}

/// In a log without Origin (`combined`), another site's pages show up in Referer on every
/// link, form post, image and script load from them — a search engine's results most of all —
/// not only on CORS requests (field notes: browsers send the referring origin on cross-origin
/// requests of every kind). Only a preflight or a method no link or form sends proves CORS.
@Suite struct RefererWithoutCORSEvidenceTests {
    private func inferFromReferer(_ lines: [Line], site: String? = "https://api.example.com") -> Inference {
        var c = EvidenceCollector(source: .referer, sites: site.map { [origin($0)] } ?? [],
                                  hasRequestMethodField: false, hasHostField: false)
        for var l in lines {
            l.referer = l.origin + "/"
            l.origin = ""
            l.acrm = ""
            c.add(l)
        }
        var options = InferenceOptions()
        options.sites = site.map { [origin($0)] } ?? []
        return Inferrer.infer(c.finish(), options: options, psl: PublicSuffixList.bundled)
    }

    @Test func aThirdPartySeenOnlyOnSimpleRequestsIsHeldForReview() throws {
        let i = inferFromReferer(traffic("https://www.google.com", clients: 40, days: 4, count: 100)
            + traffic("https://forms.partner.example", clients: 10, days: 3, count: 30, method: "POST"))
        for o in ["https://www.google.com", "https://forms.partner.example"] {
            let v = try #require(i.verdicts.first { $0.label == o })
            #expect(v.decision == .review, "\(o)")
            #expect(v.reasons.map(\.code) == [.noCORSEvidence], "\(o)")
            #expect(v.reasons[0].detail.contains("--trust"))
        }
        #expect(i.proposal.origins.isEmpty)
    }

    @Test func aPreflightOrAMethodOnlyFetchSendsIsCORSEvidence() throws {
        let i = inferFromReferer(traffic("https://shop.partner.example", clients: 8, days: 3, count: 30, method: "PUT", preflight: true)
            + traffic("https://dash.partner.example", clients: 8, days: 3, count: 30, method: "DELETE"))
        for o in ["https://shop.partner.example", "https://dash.partner.example"] {
            let v = try #require(i.verdicts.first { $0.label == o })
            #expect(v.decision == .allow, "\(o)")
            #expect(v.reasons.map(\.code) == [.enoughEvidence, .thirdParty], "\(o)")
        }
    }

    /// Without --site, and no Host in the log (`combined`), no origin can be told first-party: a
    /// search engine sending readers is held as any third party is, and the reason says how to
    /// tell the site's own pages apart; a preflight or a PUT still counts.
    @Test func withTheSiteUnknownEveryOriginNeedsCORSEvidence() throws {
        let i = inferFromReferer(traffic("https://www.google.com", clients: 92, days: 6, count: 166)
            + traffic("https://shop.partner.example", clients: 8, days: 3, count: 30, method: "PUT", preflight: true),
            site: nil)
        #expect(i.sites.isEmpty)
        let google = try #require(i.verdicts.first { $0.label == "https://www.google.com" })
        #expect(google.decision == .review && google.firstParty == nil)
        #expect(google.reasons.map(\.code) == [.noCORSEvidence])
        #expect(google.reasons[0].detail.hasSuffix("(the site is unknown: --site tells the site's own front ends apart)"))
        #expect(i.verdicts.first { $0.label == "https://shop.partner.example" }?.decision == .allow)
        #expect(i.proposal.origins == [origin("https://shop.partner.example")])
    }

    /// First-party pages (the site's own front end) calling the API with simple GETs are the
    /// common case, and nobody links to an API: they stay allowed on the usual evidence.
    @Test func firstPartyOriginsAndOriginLogsAreNotAffected() throws {
        let i = inferFromReferer(traffic("https://www.example.com", clients: 25, days: 7, count: 60))
        #expect(i.verdicts.first { $0.label == "https://www.example.com" }?.decision == .allow)
        // With the Origin header, a simple GET with Origin is a CORS request (a navigation sends none).
        var c = EvidenceCollector.forOriginLogs()
        c.add(traffic("https://www.google.com", clients: 40, days: 4, count: 100))
        var options = InferenceOptions()
        options.sites = [origin("https://api.example.com")]
        let fromOrigin = Inferrer.infer(c.finish(), options: options, psl: PublicSuffixList.bundled)
        #expect(fromOrigin.verdicts.first { $0.label == "https://www.google.com" }?.decision == .allow)
    }
}

/// Without --site the most frequent logged Host is the site — but not a Host no browser page is
/// served from (a proxy's or load balancer's: an address, a single-label or private name), and
/// not a rare one (the Host is whatever a client sent).
@Suite struct InferrerGuessedSiteTests {
    static func evidence(_ hosts: [(String, Int)]) -> Evidence {
        var e = Evidence(source: .originHeader)
        for (host, n) in hosts {
            let bytes = Array(host.utf8)
            bytes.withUnsafeBufferPointer { b in for _ in 0..<n { e.hosts.add(ByteSlice(b)) } }
        }
        return e
    }

    static func infer(_ hosts: [(String, Int)]) -> Inference {
        Inferrer.infer(evidence(hosts), options: InferenceOptions(), psl: PublicSuffixList.bundled)
    }

    @Test func aPublicHostIsTheSite() {
        let i = Self.infer([("api.example.com", 50)])
        #expect(i.sites == [origin("https://api.example.com")] && i.siteSource == .hostField && i.internalHosts.isEmpty)
        #expect(ReportText.siteLine(i) == "site https://api.example.com (guessed from the most frequent Host; pass --site to be sure)")
    }

    @Test(arguments: ["10.0.0.5:8080", "127.0.0.1", "[fd00::1]:8443", "api-service", "api.default.svc.cluster.local",
                      "api.internal", "localhost:3000", "203.0.113.9"])
    func anInternalHostIsNotTheSite(host: String) {
        let i = Self.infer([(host, 80)])
        #expect(i.sites.isEmpty && i.siteSource == .unknown)
        #expect(i.internalHosts == [host])
        #expect(ReportText.siteLine(i).hasPrefix("site unknown: the logged Host is \(host), an internal name"))
    }

    @Test func theNextHostIsTakenWhenItCarriesAQuarter() {
        let i = Self.infer([("10.0.0.5:8080", 60), ("api.example.com", 40)])
        #expect(i.sites == [origin("https://api.example.com")] && i.internalHosts == ["10.0.0.5:8080"])
        #expect(ReportText.siteLine(i).contains("passing over the internal 10.0.0.5:8080"))
        // A Host a scanner sent a few times is not the site.
        let rare = Self.infer([("10.0.0.5:8080", 95), ("evil.example", 5)])
        #expect(rare.sites.isEmpty && rare.siteSource == .unknown && rare.internalHosts == ["10.0.0.5:8080"])
        // What the reports name is the validated, normalised authority; a Host that is no
        // authority at all (markup, say) is neither the site nor named.
        let odd = Self.infer([("API.Internal:443", 50), ("<b>x</b>", 40)])
        #expect(odd.internalHosts == ["api.internal"] && odd.sites.isEmpty)
    }
}
