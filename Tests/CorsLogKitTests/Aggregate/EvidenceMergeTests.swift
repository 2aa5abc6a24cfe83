import Testing
@testable import CorsLogKit

/// `Evidence.merge` beyond the origin cap keeps the most-requested half of the union —
/// counted over both sides, ties by name — with the kept origins' statistics merged in
/// full, and accounts for what it dropped: what merging everything and then dropping the
/// rest gives, without holding both sides' origins in one table.
@Suite struct EvidenceMergeTests {
    private func stats(_ requests: Int, day: Int64, client: UInt64) -> OriginStats {
        var s = OriginStats()
        for k in 0..<requests {
            s.requests += 1
            _ = s.noteRequest(at: day * 86_400 + Int64(k))
            s.clients.insert(client &+ UInt64(k % 3))
        }
        return s
    }

    /// The reference: every origin merged, then the `keep` most requested (ties by name).
    private func reference(_ a: [Origin: OriginStats], _ b: [Origin: OriginStats], keep: Int)
        -> (kept: [Origin: OriginStats], evicted: Int, evictedRequests: Int) {
        var all = a
        for (o, s) in b { all[o, default: OriginStats()].merge(s) }
        let ranked = all.sorted { $0.value.requests != $1.value.requests ? $0.value.requests > $1.value.requests : $0.key < $1.key }
        var kept: [Origin: OriginStats] = [:]
        for (o, s) in ranked.prefix(keep) { kept[o] = s }
        let dropped = ranked.dropFirst(keep)
        return (kept, dropped.count, dropped.reduce(0) { $0 + $1.value.requests })
    }

    /// The counts of what the log format could not show add up; the method examples are the
    /// first eight in byte order of both sides, whichever side comes first.
    @Test func theFormatCaveatsAddUpAndTheMethodExamplesDoNotDependOnTheOrder() {
        var a = Evidence(source: .originHeader), b = Evidence(source: .originHeader)
        a.preflightsOfFormatsWithoutRequestHeaders = 3
        b.preflightsOfFormatsWithoutRequestHeaders = 4
        a.answersWithoutCredentials = 1
        a.otherMethodExamples = ["patch", "get", "zap", "m1", "m2"]
        b.otherMethodExamples = ["delete", "patch", "a", "m3", "m4", "m5"]
        var ab = a, ba = b
        ab.merge(b, capacity: 100)
        ba.merge(a, capacity: 100)
        #expect(ab.preflightsWithoutRequestHeaders == 7 && ba.preflightsWithoutRequestHeaders == 7)
        #expect(ab.answersWithoutCredentials == 1 && ba.answersWithoutCredentials == 1)
        #expect(ab.otherMethodExamples == ["a", "delete", "get", "m1", "m2", "m3", "m4", "m5"])
        // JSON lines: one side's preflight had the key, so the other side's preflights asked for none.
        var quiet = Evidence(source: .originHeader), keyed = Evidence(source: .originHeader)
        quiet.keyedPreflights = 5
        keyed.keyedPreflights = 2
        keyed.requestHeadersKeySeen = true
        #expect(quiet.preflightsWithoutRequestHeaders == 5 && keyed.preflightsWithoutRequestHeaders == 0)
        quiet.merge(keyed, capacity: 100)
        #expect(quiet.keyedPreflights == 7 && quiet.preflightsWithoutRequestHeaders == 0)
        #expect(ba.otherMethodExamples == ab.otherMethodExamples)
    }

    @Test(arguments: [10, 16, 40])
    func beyondTheCapTheMostRequestedOfTheUnionStay(capacity: Int) {
        var a = Evidence(source: .originHeader), b = Evidence(source: .originHeader)
        // Origins only in a, only in b, and in both (whose requests add up: a small origin on
        // each side can outrank a bigger one seen on one side only); equal counts for ties.
        for i in 0..<14 { a.origins[origin("https://a\(i).example")] = stats(1 + i % 5, day: 20_000, client: UInt64(i)) }
        for i in 0..<14 { b.origins[origin("https://b\(i).example")] = stats(1 + i % 4, day: 20_001, client: UInt64(100 + i)) }
        for i in 0..<8 {
            a.origins[origin("https://both\(i).example")] = stats(2, day: 20_000, client: UInt64(200 + i))
            b.origins[origin("https://both\(i).example")] = stats(1 + i % 3, day: 20_002, client: UInt64(300 + i))
        }
        let expected = reference(a.origins.dictionary, b.origins.dictionary, keep: capacity / 2)
        let unionCount = 14 + 14 + 8
        var merged = a
        merged.merge(b, capacity: capacity)
        if unionCount > capacity {
            #expect(merged.origins.dictionary == expected.kept)
            #expect(merged.originCap.evictedOrigins == expected.evicted)
            #expect(merged.originCap.evictedRequests == expected.evictedRequests)
            #expect(merged.originCap.prunes == 1)
        } else {
            #expect(merged.origins.count == unionCount)
            #expect(merged.originCap.prunes == 0)
        }
        // The origins seen on both sides that stay carry both sides' days and clients.
        for i in 0..<8 {
            guard let s = merged.origins[origin("https://both\(i).example")] else { continue }
            #expect(s.dailyRequests.keys.sorted() == [20_000, 20_002])
            #expect(s.requests == 2 + 1 + i % 3)
        }
    }
}
