import Testing
@testable import CorsLogKit

/// `OriginTable` answers as the `[Origin: OriginStats]` dictionary it replaced — lookups,
/// updates in place, removal, equality whatever the order — across index growth and the
/// collector's in-place pruning (swaps, then `rebuildIndex`).
@Suite struct OriginTableTests {
    private func stats(_ requests: Int) -> OriginStats {
        var s = OriginStats()
        s.requests = requests
        return s
    }

    private func name(_ i: Int) -> Origin { origin("https://o\(i).example") }

    @Test func lookupsAndUpdatesMatchADictionaryAcrossIndexGrowth() {
        var table = OriginTable()
        var reference: [Origin: OriginStats] = [:]
        // 1,000 origins: the index grows from 16 slots several times.
        for i in 0..<1_000 {
            table[name(i), default: OriginStats()].requests += i
            reference[name(i), default: OriginStats()].requests += i
        }
        for i in stride(from: 0, to: 1_000, by: 3) {
            table[name(i), default: OriginStats()].preflights += 1
            reference[name(i), default: OriginStats()].preflights += 1
        }
        #expect(table.count == 1_000)
        #expect(table.dictionary == reference)
        #expect(table[name(999)]?.requests == 999)
        #expect(table[origin("https://absent.example")] == nil)
        #expect(table.position(of: origin("https://absent.example")) == nil)
        // Arrival order, whatever the hashes.
        #expect(table.keys.prefix(3) == [name(0), name(1), name(2)])
        #expect(table.map(\.key) == table.keys)
    }

    @Test func removingKeepsTheRestFindableInOrder() {
        var table = OriginTable()
        for i in 0..<100 { table[name(i)] = stats(i) }
        table[name(10)] = nil
        // Positions have moved up by one past 10: remove by name.
        let odd = Set(stride(from: 1, to: 100, by: 2).map(name) + [name(20)])
        let keys = table.keys
        table.removeAll { odd.contains(keys[$0]) }
        #expect(table.count == 48)
        #expect(table[name(10)] == nil && table[name(20)] == nil && table[name(31)] == nil)
        for i in stride(from: 0, to: 100, by: 2) where i != 10 && i != 20 {
            #expect(table[name(i)]?.requests == i)
        }
        #expect(table.keys == stride(from: 0, to: 100, by: 2).filter { $0 != 10 && $0 != 20 }.map(name))
        // Setting an absent origin to nil changes nothing.
        table[origin("https://absent.example")] = nil
        #expect(table.count == 48)
    }

    @Test func swapsAndTruncationThenARebuiltIndexFindEveryKeptEntry() {
        var table = OriginTable(minimumCapacity: 64)
        for i in 0..<64 { table.append(name(i), stats(i)) }
        // What the collector's prune does: kept entries to the front, the rest cut off.
        var kept = 0
        for i in 0..<64 where i % 4 == 0 {
            table.swapAt(i, kept)
            kept += 1
        }
        table.removeLast(64 - kept)
        table.rebuildIndex()
        #expect(table.count == 16)
        for i in stride(from: 0, to: 64, by: 4) { #expect(table[name(i)]?.requests == i) }
        #expect(table[name(1)] == nil)
        // New origins after the rebuild land at the end and are found.
        table[name(1000)] = stats(7)
        #expect(table.position(of: name(1000)) == 16)
    }

    @Test func equalityIgnoresArrivalOrder() {
        var a = OriginTable(), b = OriginTable()
        for i in 0..<20 { a[name(i)] = stats(i) }
        for i in (0..<20).reversed() { b[name(i)] = stats(i) }
        #expect(a == b)
        b[name(5)]!.requests += 1
        #expect(a != b)
        b[name(5)]!.requests -= 1
        b[name(99)] = stats(0)
        #expect(a != b)
    }

    @Test func shrinkingGivesBackTheCapacityReservedForTheCap() {
        var table = OriginTable(minimumCapacity: 20_000)
        for i in 0..<100 { table[name(i)] = stats(i) }
        table.shrinkToFit()
        #expect(table.values.capacity < 200)
        #expect(table.dictionary.count == 100)
        for i in 0..<100 { #expect(table[name(i)]?.requests == i) }
    }
}
