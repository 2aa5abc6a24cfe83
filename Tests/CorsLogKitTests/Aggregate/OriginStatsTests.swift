import Testing
@testable import CorsLogKit

/// `OriginStats.noteRequest` counts requests per UTC day: the counts are those of a plain
/// dictionary whatever the order of the days, also after `dailyRequests` was replaced or
/// merged from outside (a decoded summary, a merge), and equal counts are equal stats.
/// (A remembered index of the last day counted was tried: 94 fewer instructions a line, but
/// 24 more bytes in every `OriginStats` — 1.3 MB at the origin cap — so it was taken out.)
@Suite struct OriginStatsTests {
    @Test func dailyCountsMatchADictionaryWhateverTheOrder() {
        var stats = OriginStats()
        var expected: [Int32: Int] = [:]
        // Runs of one day, alternating days, going back in time, and a day far away.
        let days: [Int64] = [0, 0, 0, 1, 1, 0, 2, 2, 2, 1, 20_000, 20_000, 0, 5, 4, 3, 3, 3, 20_000]
        for (k, d) in days.enumerated() {
            let time = d * 86_400 + Int64(k * 61)
            let day = stats.noteRequest(at: time)
            #expect(day == Int32(d))
            expected[Int32(d), default: 0] += 1
        }
        #expect(stats.dailyRequests == expected)
        #expect(stats.noteRequest(at: nil) == MethodTable.never)
        #expect(stats.dailyRequests == expected)
    }

    @Test func aDailyRequestsSetFromOutsideIsCountedAfresh() {
        var stats = OriginStats()
        _ = stats.noteRequest(at: 3 * 86_400)
        _ = stats.noteRequest(at: 3 * 86_400 + 5)
        // Replaced (as decoding a summary does), then merged.
        var other = OriginStats()
        for d: Int64 in [9, 8, 7, 3] { _ = other.noteRequest(at: d * 86_400) }
        stats.dailyRequests = other.dailyRequests
        _ = stats.noteRequest(at: 3 * 86_400 + 9)
        _ = stats.noteRequest(at: 7 * 86_400)
        #expect(stats.dailyRequests == [3: 2, 7: 2, 8: 1, 9: 1])
        stats.merge(other)
        _ = stats.noteRequest(at: 7 * 86_400 + 1)
        #expect(stats.dailyRequests == [3: 3, 7: 4, 8: 2, 9: 2])
    }

    @Test func equalCountsInAnotherOrderAreEqualStats() {
        var a = OriginStats(), b = OriginStats()
        _ = a.noteRequest(at: 86_400)
        _ = a.noteRequest(at: 2 * 86_400)
        _ = b.noteRequest(at: 2 * 86_400)
        _ = b.noteRequest(at: 86_400)
        #expect(a.dailyRequests == b.dailyRequests)
        #expect(a.firstSeen == b.firstSeen)
        #expect(a.lastSeen == b.lastSeen)
        #expect(a == b)
    }
}
