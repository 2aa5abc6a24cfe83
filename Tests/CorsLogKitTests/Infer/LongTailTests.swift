import Foundation
import Testing
@testable import CorsLogKit

/// An API embedded in many sites' pages (a widget, a public dataset): each site has a few
/// visitors, so each origin is held for few clients or days, and the allowlist refuses them
/// all, one by one — without a word, the proposal looked like the API's own front end and a
/// few stragglers.
@Suite struct LongTailTests {
    /// The front end, and `sites` sites with `perSite` visitors each (their own addresses unless
    /// `oneSender`), calling /v1/widget on one day each.
    static func lines(sites: Int, perSite: Int = 2, oneSender: Bool = false, frontEnd: Int = 200) -> [Line] {
        var out: [Line] = []
        for k in 0..<frontEnd {
            out.append(Line(client: "198.51.100.\(k % 20 + 1)", uri: "/v1/orders", origin: "https://app.example.com",
                            host: "api.example.com", day: k % 5))
        }
        for site in 0..<sites {
            for c in 0..<perSite {
                out.append(Line(client: oneSender ? "192.0.2.66" : "203.0.\(site).\(c + 1)", uri: "/v1/widget?id=\(site)",
                                origin: "https://www.recipes\(site).org", host: "api.example.com", day: site % 5))
            }
        }
        return out
    }

    static func infer(_ lines: [Line]) -> Inference {
        var c = EvidenceCollector.forOriginLogs()
        c.add(lines)
        var options = InferenceOptions()
        options.sites = [origin("https://api.example.com")]
        return Inferrer.infer(c.finish(), options: options, psl: PublicSuffixList.bundled)
    }

    @Test func manySitesWithAFewVisitorsEachAreATailAndTheReportSaysWhere() throws {
        let i = Self.infer(Self.lines(sites: 60))
        #expect(i.proposal.origins == [origin("https://app.example.com")])
        let tail = try #require(i.longTail)
        #expect(tail.origins == 60 && tail.requests == 120)
        #expect(tail.clients >= 110 && tail.clients <= 130 && !tail.clientsExact, "\(tail.clients)")
        #expect(tail.topPaths.map(\.path) == ["/v1/widget"] && tail.topPaths[0].requests == 120)
        let line = try #require(ReportText.longTailLine(i))
        #expect(line.hasPrefix("Long tail: 60 origins held only for few clients or days, 120 requests (37.5% of the "
            + "cross-origin requests) from about "))
        #expect(line.contains("most on /v1/widget (120)"))
        #expect(line.contains("keep Access-Control-Allow-Origin: * there"))
        #expect(Pipeline.proposalWarnings(i).contains(line))
    }

    /// A flood of origins from one sender, too few origins, or a sliver of the traffic is no tail.
    @Test func aFloodFewOriginsOrASliverIsNoTail() {
        #expect(Self.infer(Self.lines(sites: 60, oneSender: true)).longTail == nil)
        #expect(Self.infer(Self.lines(sites: LongTail.minOrigins - 1)).longTail == nil)
        #expect(Self.infer(Self.lines(sites: 60, frontEnd: 60 * 2 * LongTail.minShareDivisor)).longTail == nil)
        #expect(Self.infer(Self.lines(sites: 60, frontEnd: 60 * 2 * (LongTail.minShareDivisor - 1))).longTail != nil)
        // Origins with other reasons (or allowed) are not part of it: here each site has enough visitors.
        let enough = Self.lines(sites: 60, perSite: 3).enumerated().map { n, line in
            var l = line
            l.day = n % 2
            return l
        }
        #expect(Self.infer(enough).verdicts.filter { $0.decision == .allow }.count == 61)
        #expect(Self.infer(enough).longTail == nil)
    }

    @Test func theReportsAndProposeSayIt() throws {
        let dir = try temporaryDirectory("tail")
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("access.log")
        var text = ""
        for (n, l) in Self.lines(sites: 60).enumerated() {
            let second = String(format: "%02d:%02d", n / 60 % 60, n % 60)
            text += "\(l.client) - - [0\(l.day + 1)/Nov/2025:10:\(second) +0000] \"GET \(l.uri) HTTP/1.1\" 200 10 \"-\" \"Mozilla/5.0\" "
                + "\"api.example.com\" \"\(l.origin)\" \"-\" \"-\" \"*\" \"-\"\n"
        }
        try Data(text.utf8).write(to: log)
        let bin = PackagePaths.executable.path
        let site = ["--site", "https://api.example.com"]
        let report = try runProcess(bin, ["analyze"] + site + [log.path])
        #expect(report.status == 0, "\(report.err)")
        #expect(report.out.contains("\nLong tail: 60 origins held only for few clients or days"), "\(report.out)")
        let markdown = try runProcess(bin, ["analyze", "--output", "markdown"] + site + [log.path])
        #expect(markdown.out.contains("**Long tail: 60 origins"))
        let json = try runProcess(bin, ["analyze", "--output", "json"] + site + [log.path])
        let object = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        let traffic = try #require(object?["traffic"] as? [String: Any])
        let tail = try #require(traffic["long_tail"] as? [String: Any])
        #expect(tail["origins"] as? Int == 60 && tail["requests"] as? Int == 120)
        #expect((tail["top_paths"] as? [[String: Any]])?.first?["path"] as? String == "/v1/widget")
        let propose = try runProcess(bin, ["propose", "--target", "nginx"] + site + [log.path])
        #expect(propose.status == 0)
        #expect(propose.err.contains("corslog: warning: Long tail: 60 origins"))
        // `check` from cron: the policy refuses them, and says so; a policy listing them has no tail.
        let policy = dir.appendingPathComponent("policy.yaml")
        func write(origins: [String]) throws {
            try Data(("version: 1\nsite:\n  - https://api.example.com\norigins:\n"
                + origins.map { "  - \($0)\n" }.joined() + "methods: []\nheaders: []\ncredentials: false\nmax_age: 600\n").utf8)
                .write(to: policy)
        }
        try write(origins: ["https://app.example.com"])
        let check = try runProcess(bin, ["check", "--policy", policy.path, log.path])
        #expect(check.out.contains("\nLong tail: 60 origins held only for few clients or days"), "\(check.out)")
        #expect(check.out.contains("The policy refuses every one of them"))
        let checkJSON = try runProcess(bin, ["check", "--output", "json", "--policy", policy.path, log.path])
        let checked = try JSONSerialization.jsonObject(with: Data(checkJSON.out.utf8)) as? [String: Any]
        #expect((checked?["long_tail"] as? [String: Any])?["origins"] as? Int == 60)
        try write(origins: ["https://app.example.com"] + (0..<60).map { "https://www.recipes\($0).org" })
        let listed = try runProcess(bin, ["check", "--policy", policy.path, log.path])
        #expect(!listed.out.contains("Long tail"), "\(listed.out)")

        // The samples have no tail.
        let samplesDir = PackagePaths.samples.path + "/nginx/"
        let samples = try runProcess(bin, ["analyze", "--output", "json"] + site + [samplesDir])
        #expect(!samples.out.contains("long_tail"))
    }
}
