import Foundation
import Testing
@testable import CorsLogKit

@Suite struct EvidenceCollectorTests {
    @Test func countsRequestsPreflightsMethodsHeadersClientsAndDays() {
        var c = EvidenceCollector.forOriginLogs()
        c.add(traffic("https://app.example.com", clients: 4, days: 3, count: 12, method: "PUT",
                      acrh: "Authorization, Content-Type", preflight: true))
        let e = c.finish()
        let s = try! #require(e.origins[origin("https://app.example.com")])
        #expect(s.requests == 24)
        #expect(s.preflights == 12)
        #expect(s.preflightStatuses == [204: 12])
        #expect(s.methods == [.put: 12])
        #expect(s.requestedMethods == [.put: 12])
        #expect(s.requestedHeaders == [HeaderName("authorization")!: 12, HeaderName("content-type")!: 12])
        #expect(s.clients.count == 4)
        #expect(s.days.count == 3)
        #expect(s.statusClasses[2] == 24)
        #expect(s.allowOriginAnswers.wildcard == 24)
        #expect(s.topPathList.first?.path == "/v1/orders")
    }

    @Test func requestsPerDayAndTheLastDayOfEachMethodAndHeaderAreKept() {
        var c = EvidenceCollector.forOriginLogs()
        c.add(traffic("https://app.example.com", clients: 2, days: 3, count: 6, method: "PUT", acrh: "x-one", preflight: true))
        c.add(traffic("https://app.example.com", clients: 2, days: 1, count: 2, method: "DELETE"))
        let s = try! #require(c.finish().origins[origin("https://app.example.com")])
        let first = try! #require(s.dailyRequests.keys.min())
        // Days 0, 1, 2: PUT preflight + PUT each, twice; DELETE twice on day 0.
        #expect(s.dailyRequests == [first: 6, first + 1: 4, first + 2: 4])
        #expect(s.lastDay(of: .put) == first + 2)
        #expect(s.lastDay(of: .delete) == first)
        #expect(s.lastDay(of: .patch) == nil)
        #expect(s.lastDay(of: HeaderName("x-one")!) == first + 2)
        // Merging keeps the later day and adds the daily counts.
        var merged = s
        merged.merge(s)
        #expect(merged.dailyRequests[first] == 12)
        #expect(merged.lastDay(of: .put) == first + 2)
        #expect(merged.days.count == 3)
    }

    @Test func normalisesOriginsSoCaseAndDefaultPortsCountTogether() {
        var c = EvidenceCollector.forOriginLogs()
        c.add(Line(origin: "https://app.example.com"))
        c.add(Line(origin: "HTTPS://APP.example.com:443"))
        let e = c.finish()
        #expect(e.origins.count == 1)
        #expect(e.origins[origin("https://app.example.com")]?.requests == 2)
    }

    @Test func siteAndLoggedHostMakeSameOriginTraffic() {
        var withSite = EvidenceCollector.forOriginLogs(sites: ["https://api.example.com"])
        withSite.add(Line(method: "POST", origin: "https://api.example.com", host: "api.example.com"))
        withSite.add(Line(origin: "https://app.example.com", host: "api.example.com"))
        var e = withSite.finish()
        #expect(e.sameOriginRequests == 1)
        #expect(e.origins[origin("https://api.example.com")]?.requests == 0)
        #expect(e.crossOriginRequests == 1)

        // No --site: the Host field decides, port included.
        var byHost = EvidenceCollector.forOriginLogs(sites: [])
        byHost.add(Line(method: "POST", origin: "https://api.example.com", host: "API.example.com:443"))
        byHost.add(Line(method: "POST", origin: "https://api.example.com", host: "other.example.com"))
        e = byHost.finish()
        #expect(e.sameOriginRequests == 1)
        #expect(e.origins[origin("https://api.example.com")]?.requests == 1)
    }

    @Test func nullAndInvalidValuesAreTalliedAndNeverBecomeOrigins() {
        var c = EvidenceCollector.forOriginLogs()
        c.add(Line(origin: "null"))
        c.add(Line(origin: "https://app.example.com/"))
        c.add(Line(origin: "https://app.example.com\u{1B}[31m\"><script>"))
        c.add(Line(origin: "https://user@app.example.com"))
        let e = c.finish()
        #expect(e.null.requests == 1)
        #expect(e.invalid.requests == 3)
        #expect(e.origins.isEmpty)
        #expect(e.invalid.examples.count == 3)
        // Shown to people, so no raw control bytes (a terminal would obey an escape sequence).
        #expect(e.invalid.examples.allSatisfy { !$0.unicodeScalars.contains { $0.value < 0x20 } })
        #expect(e.invalid.examples.contains { $0.contains("\\x1B[31m") })
    }

    @Test func refererModeTakesTheOriginPartAndSkipsTheSitesOwnPages() {
        var c = EvidenceCollector(source: .referer, sites: [origin("https://api.example.com")],
                                  hasRequestMethodField: false, hasHostField: false)
        c.add(Line(referer: "https://partner.example.net/shop/cart?id=3"))
        c.add(Line(referer: "https://partner.example.net/"))
        c.add(Line(referer: "https://api.example.com/docs/intro"))
        c.add(Line(referer: ""))
        let e = c.finish()
        #expect(e.origins[origin("https://partner.example.net")]?.requests == 2)
        #expect(e.sameOriginRequests == 1)
        #expect(e.linesWithoutOrigin == 1)
        #expect(e.source == .referer)
    }

    @Test func withoutAnACRMFieldEveryOptionsRequestWithOriginCountsAsPreflight() {
        var c = EvidenceCollector(source: .originHeader, sites: [], hasRequestMethodField: false, hasHostField: false)
        c.add(Line(method: "OPTIONS", origin: "https://app.example.com", status: 204))
        #expect(c.finish().origins[origin("https://app.example.com")]?.preflights == 1)
    }

    /// A format without Access-Control-Request-Headers: its preflights are counted (those of
    /// tracked origins and of `null`, not other requests), and carried through summaries and merges.
    @Test func preflightsOfAFormatWithoutACRHAreCounted() throws {
        for logged in [false, true] {
            var c = EvidenceCollector(source: .originHeader, sites: [], hasRequestMethodField: false,
                                      requestHeadersField: logged ? .logged : .absent, hasHostField: false)
            c.add(Line(method: "OPTIONS", origin: "https://app.example.com", status: 204))
            c.add(Line(method: "OPTIONS", origin: "null", status: 204))
            c.add(Line(method: "PUT", origin: "https://app.example.com", status: 200))
            c.add(Line(method: "OPTIONS", origin: "", status: 204))
            var e = c.finish()
            #expect(e.preflightsWithoutRequestHeaders == (logged ? 0 : 2))
            let decoded = try JSONDecoder().decode(Evidence.self, from: JSONEncoder().encode(e))
            #expect(decoded.preflightsWithoutRequestHeaders == e.preflightsWithoutRequestHeaders)
            e.merge(decoded, capacity: 100)
            #expect(e.preflightsWithoutRequestHeaders == (logged ? 0 : 4))
        }
    }

    /// JSON lines, where a missing key reads as empty: the header counts as logged once one
    /// preflight has it; until then every preflight is one whose headers are unknown.
    @Test func jsonPreflightsAreUnknownUntilOneHasTheHeader() {
        for withHeader in [false, true] {
            var c = EvidenceCollector(source: .originHeader, sites: [], hasRequestMethodField: false,
                                      requestHeadersField: .whenPresent, hasHostField: false)
            c.add(Line(method: "OPTIONS", origin: "https://app.example.com", status: 204))
            c.add(Line(method: "OPTIONS", origin: "https://app.example.com", acrh: withHeader ? "content-type" : "", status: 204))
            c.add(Line(method: "GET", origin: "https://app.example.com", status: 200))
            #expect(c.finish().preflightsWithoutRequestHeaders == (withHeader ? 0 : 2))
        }
    }

    @Test func classifiesWhatTheServerAnsweredInAllowOrigin() {
        var c = EvidenceCollector.forOriginLogs()
        c.add(Line(origin: "https://app.example.com", acao: "*"))
        c.add(Line(origin: "https://app.example.com", acao: "https://app.example.com", acac: "true"))
        c.add(Line(origin: "https://app.example.com", acao: ""))
        c.add(Line(origin: "https://app.example.com", acao: "https://other.example"))
        let a = c.finish().origins[origin("https://app.example.com")]!
        #expect(a.allowOriginAnswers == AllowOriginAnswers(none: 1, wildcard: 1, echoed: 1, other: 1, echoedWithCredentials: 1))
        #expect(a.credentialedResponses == 1)
    }

    @Test func countsTheAnswersToInvalidOriginsAndWhetherTheLogRecordsThem() {
        var c = EvidenceCollector.forOriginLogs()
        c.add(Line(origin: "https://evil.test\"x", acao: "https://evil.test\"x", acac: "true"))
        c.add(Line(origin: "https://evil.test\"x", acao: "https://evil.test\"x"))
        c.add(Line(origin: "javascript:alert(1)", acao: ""))
        c.add(Line(origin: "https://app.example.com", acao: "*", acac: "true"))
        c.add(Line(origin: "https://api.example.com", host: "api.example.com"))
        let e = c.finish()
        #expect(e.invalid.answers == AllowOriginAnswers(none: 1, echoed: 2, echoedWithCredentials: 1))
        #expect(e.invalid.credentialedResponses == 1)
        #expect(e.invalid.echoExamples == ["https://evil.test\"x"])
        #expect(e.origins[origin("https://app.example.com")]?.allowOriginAnswers.wildcardWithCredentials == 1)
        #expect(e.answeredRequests == 4, "cross-origin requests only, not the same-origin one")

        var json = EvidenceCollector.forOriginLogs(allowOriginField: .whenPresent)
        json.add(Line(origin: "https://app.example.com", acao: ""))
        json.add(Line(origin: "https://app.example.com", acao: "*"))
        #expect(json.finish().answeredRequests == 1, "JSON lines: only a value shows the key is logged")
        var combined = EvidenceCollector.forOriginLogs(allowOriginField: .absent)
        combined.add(Line(origin: "https://app.example.com"))
        #expect(combined.finish().answeredRequests == 0)
    }

    @Test func aFloodOfDistinctOriginsStaysBoundedAndKeepsTheHeavyHittersExact() {
        var c = EvidenceCollector.forOriginLogs(capacity: 64, protected: ["https://rare.partner.example"])
        c.add(Line(origin: "https://rare.partner.example"))
        var flood = 0
        for i in 0..<5_000 {
            c.add(Line(client: "192.0.2.\(i % 200)", origin: "https://x\(i).attacker.example"))
            flood += 1
            if i % 10 == 0 { c.add(Line(client: "203.0.113.\(i % 7)", origin: "https://app.example.com")) }
        }
        let e = c.finish()
        #expect(e.origins.count <= 64)
        #expect(e.originCap.reached)
        #expect(e.origins[origin("https://app.example.com")]?.requests == 500)
        #expect(e.origins[origin("https://app.example.com")]?.clients.count == 7)
        #expect(e.origins[origin("https://rare.partner.example")]?.requests == 1)
        let tracked = e.origins.values.reduce(0) { $0 + $1.requests }
        #expect(tracked + e.originCap.evictedRequests == flood + 500 + 1)
        #expect(e.originCap.distinctOrigins.count > 4_000)
    }

    @Test func headerListsAreSplitLowerCasedAndJunkIsCountedNotKept() {
        var c = EvidenceCollector.forOriginLogs()
        c.add(Line(method: "OPTIONS", origin: "https://app.example.com", acrm: "PUT",
                   acrh: "X-Request-ID ,content-type,,x_bad,x$evil,\u{1}", status: 204))
        let s = c.finish().origins[origin("https://app.example.com")]!
        #expect(Set(s.requestedHeaders.keys.map(\.name)) == ["x-request-id", "content-type"])
        #expect(s.invalidRequestedHeaders == 3)
    }
}

@Suite struct DistinctCounterTests {
    @Test func exactForSmallCountsAndCloseForLargeOnes() {
        var d = DistinctCounter()
        for i in 0..<50 { d.insert(UInt64(i) &* 0x9E37_79B9) ; d.insert(UInt64(i) &* 0x9E37_79B9) }
        #expect(d.count == 50)
        #expect(d.isExact)
        for i in 0..<100_000 { d.insert(UInt64(i) &* 0x9E37_79B9_7F4A_7C15 &+ 12345) }
        #expect(!d.isExact)
        #expect(abs(d.count - 100_050) < 10_000)
    }

    @Test func mergingIsTheSameAsCountingTogether() {
        var a = DistinctCounter(), b = DistinctCounter(), both = DistinctCounter()
        for i in 0..<3000 { let h = UInt64(i) &* 0x2545_F491_4F6C_DD1D; if i % 2 == 0 { a.insert(h) } else { b.insert(h) }; both.insert(h) }
        var ab = a; ab.merge(b)
        var ba = b; ba.merge(a)
        #expect(ab.count == both.count)
        #expect(ba.count == both.count)
    }
}

@Suite struct TopValuesTests {
    @Test func pathsDropTheQueryAndFoldIdentifiers() {
        var t = TopValues()
        for target in ["/v1/orders/1234?x=1", "/v1/orders/5678", "/v1/orders/9f1c2d3e-4b5a-6789-abcd-ef0123456789#top",
                       "/v1/orders", "/v1/orders/v2", "/v1/caf\u{e9}"] {
            let bytes = Array(target.utf8)
            bytes.withUnsafeBufferPointer { t.addPath(ByteSlice($0)) }
        }
        let sorted = t.sorted.map { "\($0.text) \($0.count)" }
        #expect(sorted == ["/v1/orders/{id} 3", "/v1/caf\\xC3\\xA9 1", "/v1/orders 1", "/v1/orders/v2 1"])
    }

    /// Summaries and state files store the path hashes: the one-pass hash must stay the
    /// hash the definition gives (FNV-1a over each segment and a `/`, `{` for an identifier).
    @Test func pathHashIsTheStoredDefinition() {
        func reference(_ path: String) -> UInt64 { reference(Array(path.utf8)) }
        func reference(_ path: [UInt8]) -> UInt64 {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            func mix(_ b: UInt8) { h ^= UInt64(b); h &*= 0x0000_0100_0000_01b3 }
            for segment in path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
                let digits = !segment.isEmpty && segment.allSatisfy { $0 >= 48 && $0 <= 57 }
                let hex = segment.count >= 16 && segment.allSatisfy {
                    ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 102) || $0 == UInt8(ascii: "-")
                }
                if digits || hex { mix(0x7B) } else { segment.forEach(mix) }
                mix(0x2F)
            }
            return h
        }
        for path in ["", "/", "//", "/v1/orders", "/v1/orders/1234", "/v1/orders/12a4", "/a/9f1c2d3e-4b5a-6789-abcd-ef0123456789",
                     "/a/9F1C2D3E4B5A6789", "/a/9f1c2d3e4b5a678", "/a/----------------", "/x/ABCDEFabcdef0123/", "no-slash",
                     "/v1/caf\u{e9}/0", "/a//b", "/\u{0}/\u{ff}"] {
            let bytes = Array(path.utf8)
            let h = bytes.withUnsafeBufferPointer { TopValues.pathHash(ByteSlice($0)) }
            #expect(h == reference(path), "\(path)")
        }
        // Every byte value, as the 16th byte of a hex run, as a whole run, after digits.
        for b in UInt8.min...UInt8.max {
            for bytes in [Array("/a/0123456789abcde".utf8) + [b], Array("/".utf8) + Array(repeating: b, count: 16),
                          Array("/12".utf8) + [b] + Array("/x".utf8)] {
                let h = bytes.withUnsafeBufferPointer { TopValues.pathHash(ByteSlice($0)) }
                #expect(h == reference(bytes), "byte \(b)")
            }
        }
    }

    @Test func memoryStaysAtTheCapacityWhateverTheNumberOfPaths() {
        var t = TopValues()
        for i in 0..<10_000 {
            let bytes = Array("/p\(i)x".utf8)
            bytes.withUnsafeBufferPointer { t.addPath(ByteSlice($0)) }
        }
        #expect(t.entries.count == TopValues.capacity)
        #expect(t.entries.reduce(0) { $0 + $1.count } == 10_000)
    }
}
