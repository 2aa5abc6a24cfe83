import Testing
import Foundation
@testable import CorsLogKit

/// `PackedCounts` (an origin's requests per day, and its status classes and preflights per status, as sorted
/// packed words) gives the counts a dictionary gives: at the edges of its compact
/// form (negative days, status -1, counts past 2^32 and 2^40, keys out of range), at
/// the `maxDays` cap, and when merged.
@Suite struct PackedCountsTests {
    /// Applies the same increments to a PackedCounts and a dictionary.
    private func both(_ keys: [Int], cap: Int = .max) -> (PackedCounts, [Int: Int]) {
        var p = PackedCounts(), d: [Int: Int] = [:]
        for k in keys {
            p.increment(k, cap: cap)
            if d.count < cap || d[k] != nil { d[k, default: 0] += 1 }
        }
        return (p, d)
    }

    @Test func countsAreADictionarysWhateverTheKeysAndTheirOrder() {
        let keys = [0, 0, -1, -1, 5, 4, 4, -719_528, 2_932_896, 0, 600, 100, 599, -1, 8_388_606, -8_388_608,
                    8_388_607, -8_388_609, Int(Int32.min), Int(Int32.max), Int.min, Int.max, Int.max, 3]
        let (p, d) = both(keys)
        #expect(p.dictionary(Int.self) == d)
        #expect(p.count == d.count)
        #expect(p.keys == d.keys.sorted())
        for k in keys { #expect(p[k] == d[k]) }
        #expect(p[7] == nil)
        #expect(p[Int.min + 1] == nil)
    }

    @Test func negativeDaysAndNoStatusAreCounted() {
        let (p, d) = both([-1, -1, -25_000, 100, 599, -1])
        #expect(p.dictionary(Int.self) == d)
        #expect(p.entries.map(\.key) == [-25_000, -1, 100, 599])
        #expect(p == PackedCounts(d))
    }

    @Test func countsBeyondTwoToThe32And40AreExact() {
        var p = PackedCounts()
        p.add(1 << 32, to: 20_000)
        p.increment(20_000, cap: 10)
        #expect(p[20_000] == (1 << 32) + 1)
        // The compact form's counts end at 2^40 - 1: the next one switches to the wide form.
        p.add((1 << 40) - 2 - (1 << 32), to: 20_000)
        #expect(p[20_000] == (1 << 40) - 1)
        p.increment(20_000, cap: 10)
        #expect(p[20_000] == 1 << 40)
        p.increment(20_001, cap: 10)
        p.increment(20_000, cap: 10)
        p.add(Int.max - (1 << 40) - 1, to: 20_000)
        #expect(p.dictionary(Int.self) == [20_000: Int.max, 20_001: 1])
        // The same counts reached another way are equal.
        var small = PackedCounts([20_001: 1])
        small.add(Int.max, to: 20_000)
        #expect(small == p)
    }

    @Test func theCapKeepsTheFirstKeysAndCountsThemOn() {
        let (p, d) = both([5, 3, 9, 3, 7, 5, 1, 5, 9], cap: 3)
        #expect(p.dictionary(Int.self) == d)
        #expect(d == [5: 3, 3: 2, 9: 2])
    }

    @Test func mergeAddsKeyByKeyUpToTheCap() {
        var a = PackedCounts([1: 1, 4: 2, 9: 3]), b = PackedCounts([0: 5, 4: 1, 7: 1, 10: 2])
        var ab = a
        ab.merge(b)
        #expect(ab.dictionary(Int.self) == [0: 5, 1: 1, 4: 3, 7: 1, 9: 3, 10: 2])
        // At the cap: the keys both have are counted, new ones taken in key order while there is room.
        a.merge(b, cap: 4)
        #expect(a.dictionary(Int.self) == [0: 5, 1: 1, 4: 3, 9: 3])
        b.merge(PackedCounts(), cap: 0)
        #expect(b.dictionary(Int.self) == [0: 5, 4: 1, 7: 1, 10: 2])
        var wide = PackedCounts([Int.min: 1, 4: 1 << 41])
        wide.merge(PackedCounts([4: 1, 5: 1]))
        #expect(wide.dictionary(Int.self) == [Int.min: 1, 4: (1 << 41) + 1, 5: 1])
    }

    @Test func setReplacesOrRemovesOneKey() {
        var p = PackedCounts([3: 1, 5: 2])
        p.set(4, 7)
        p.set(5, nil)
        p.set(3, 0)
        #expect(p.dictionary(Int.self) == [3: 0, 4: 7])
        p.set(Int.max, 1)
        p.set(Int.max, nil)
        #expect(p == PackedCounts([3: 0, 4: 7]))
    }
}

/// The day and status counts of `OriginStats` through its dictionary views.
@Suite struct OriginStatsPackedCountsTests {
    @Test func daysBeforeNineteenSeventyAreCounted() {
        var s = OriginStats()
        #expect(s.noteRequest(at: -1) == -1)
        #expect(s.noteRequest(at: -86_400) == -1)
        #expect(s.noteRequest(at: -86_401) == -2)
        #expect(s.noteRequest(at: 0) == 0)
        #expect(s.dailyRequests == [-2: 1, -1: 2, 0: 1])
        #expect(s.dayCount == 3)
        #expect(s.days == [-2, -1, 0])
    }

    @Test func atMaxDaysNewDaysAreDroppedAndKnownOnesCounted() {
        var s = OriginStats()
        for d in 0..<Int64(OriginStats.maxDays + 5) { _ = s.noteRequest(at: d * 86_400) }
        _ = s.noteRequest(at: 0)
        _ = s.noteRequest(at: Int64(OriginStats.maxDays - 1) * 86_400)
        #expect(s.dayCount == OriginStats.maxDays)
        #expect(s.dailyRequests[0] == 2)
        #expect(s.dailyRequests[Int32(OriginStats.maxDays - 1)] == 2)
        #expect(s.dailyRequests[Int32(OriginStats.maxDays)] == nil)
        // A merge respects the cap too.
        var other = OriginStats()
        _ = other.noteRequest(at: -86_400)
        _ = other.noteRequest(at: 0)
        s.merge(other)
        #expect(s.dayCount == OriginStats.maxDays)
        #expect(s.dailyRequests[0] == 3)
        #expect(s.dailyRequests[-1] == nil)
    }

    @Test func preflightStatusesCountNoStatusAsMinusOne() {
        var s = OriginStats()
        for status in [204, 0, 99, 600, 204, 403, 100, 599, -5] { s.notePreflightStatus(status) }
        #expect(s.preflightStatuses == [-1: 4, 100: 1, 204: 2, 403: 1, 599: 1])
        var t = OriginStats()
        t.preflightStatuses = [204: 1 << 33, 500: 1]
        s.merge(t)
        #expect(s.preflightStatuses == [-1: 4, 100: 1, 204: (1 << 33) + 2, 403: 1, 500: 1, 599: 1])
        s.setPreflights(nil, status: 100)
        s.setRequests(9, onDay: -3)
        #expect(s.preflightStatuses[100] == nil)
        #expect(s.dailyRequests == [-3: 9])
    }
}


    /// Status classes and preflight statuses share one array: each view sees only its
    /// own counts, whatever order the requests came in, and merging and setting one
    /// leave the other alone.
    @Test func statusClassesAndPreflightStatusesStayApart() {
        var s = OriginStats()
        for status in [204, 0, 204, 503, 1, 5, 302, 99, 600, 404] { s.noteStatus(status) }
        for status in [204, 5, 2, 204] { s.notePreflightStatus(status) }
        #expect(s.statusClasses == [5, 0, 2, 1, 1, 1])
        #expect(s.preflightStatuses == [-1: 2, 204: 2])
        var t = OriginStats()
        t.statusClasses = [0, 7, 0, 0, 0, 1 << 41]
        t.preflightStatuses = [2: 1, 403: 3]
        #expect(t.preflightStatuses == [-1: 1, 403: 3], "a status outside 100–599 is -1")
        s.merge(t)
        #expect(s.statusClasses == [5, 7, 2, 1, 1, (1 << 41) + 1])
        #expect(s.preflightStatuses == [-1: 3, 204: 2, 403: 3])
        s.statusClasses = [0, 0, 1, 0, 0, 0]
        #expect(s.preflightStatuses == [-1: 3, 204: 2, 403: 3])
        s.setPreflights(nil, status: 204)
        #expect(s.statusClasses == [0, 0, 1, 0, 0, 0])
        #expect(s.preflightStatuses == [-1: 3, 403: 3])
    }
/// `SmallDistinct` holds one hash inline and more in an array: the counts, the cap
/// and equality are those of a set of at most `limit` values.
@Suite struct SmallDistinctFormsTests {
    @Test func oneTwoAndManyValuesCountLikeASet() throws {
        var s = SmallDistinct(), seen: Set<UInt64> = []
        #expect(s.count == 0)
        for h: UInt64 in [7, 7, 3, 7, 3, 9] + (100..<130).map(UInt64.init) {
            s.insert(h)
            if seen.count < SmallDistinct.limit { seen.insert(h) }
            #expect(s.count == seen.count)
        }
        #expect(s.count == SmallDistinct.limit)
        var one = SmallDistinct(), again = SmallDistinct()
        one.insert(5)
        again.insert(5); again.insert(5)
        #expect(one == again)
        var two = one
        two.insert(6)
        #expect(one.count == 1)   // a copy is not changed by the other
        #expect(two.count == 2)
        var other = SmallDistinct()
        other.insert(6); other.insert(5)
        #expect(two == other)
        var merged = SmallDistinct()
        merged.merge(one); merged.merge(other)
        #expect(merged == two)
        let back = try JSONDecoder().decode(SmallDistinct.self, from: JSONEncoder().encode(other))
        #expect(back == two)
        #expect(String(decoding: try JSONEncoder().encode(other), as: UTF8.self) == #"["0000000000000005","0000000000000006"]"#)
    }
}
