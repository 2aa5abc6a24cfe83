import Foundation
import Testing
@testable import CorsLogKit

/// `DistinctCounter` keeps its exact values in a sorted array and its sketch's
/// registers packed in words: through the exact → sketch transition (64 → 65
/// values), and when merging counters of either form, it must hold what a plain
/// `Set` and a `[UInt8]` of registers hold, so counts and summary files stay the same.
@Suite struct DistinctCounterFormsTests {
    /// The counter as it was: a Set up to 64 values, then 1024 byte registers.
    private struct Reference {
        var exact: Set<UInt64> = []
        var registers: [UInt8]? = nil

        mutating func insert(_ h: UInt64) {
            if registers != nil { add(h); return }
            exact.insert(h)
            if exact.count > 64 { registers = Array(repeating: 0, count: 1024); for x in exact { add(x) }; exact = [] }
        }

        mutating func merge(_ o: Reference) {
            if let theirs = o.registers {
                if registers == nil { registers = Array(repeating: 0, count: 1024); for x in exact { add(x) }; exact = [] }
                for i in theirs.indices { registers![i] = max(registers![i], theirs[i]) }
            } else {
                for h in o.exact { insert(h) }
            }
        }

        private mutating func add(_ hash: UInt64) {
            let h = DistinctCounter.mix(hash)
            let rank = UInt8(((h << 10) | (1 << 9)).leadingZeroBitCount + 1)
            registers![Int(h >> 54)] = max(registers![Int(h >> 54)], rank)
        }

        /// What the summary file holds.
        var json: String {
            if let registers { return #"{"registers":"\#(Data(registers).base64EncodedString())"}"# }
            return #"{"exact":[\#(exact.sorted().map { "\"\(HashText.hex($0))\"" }.joined(separator: ","))]}"#
        }
    }

    private func json(_ d: DistinctCounter) throws -> String {
        String(decoding: try JSONEncoder().encode(d), as: UTF8.self)
    }

    private func hashes(_ n: Int, seed: UInt64) -> [UInt64] {
        (0..<n).map { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 &+ seed }
    }

    @Test(arguments: [0, 1, 2, 8, 9, 63, 64, 65, 66, 200, 5000])
    func eachSizeHoldsWhatTheSetAndRegistersHeld(n: Int) throws {
        var d = DistinctCounter(), r = Reference()
        // Each value twice, out of order, with one value (0) that sorts first.
        let values = hashes(n, seed: 0x1234) + [0] + hashes(n, seed: 0x1234).reversed()
        for h in values { d.insert(h); r.insert(h) }
        #expect(try json(d) == r.json)
        #expect(d.isExact == (r.registers == nil))
        #expect(d.isExact == (n + 1 <= 64))
        if d.isExact { #expect(d.count == n + 1) }
        // Decoding gives the same counter back.
        let back = try JSONDecoder().decode(DistinctCounter.self, from: Data(try json(d).utf8))
        #expect(back == d)
        #expect(back.count == d.count)
    }

    @Test(arguments: [(3, 4), (30, 34), (30, 35), (64, 1), (0, 70), (70, 0), (100, 3000), (3000, 100)])
    func mergesOfEitherFormHoldWhatTheReferenceHeld(sizes: (Int, Int)) throws {
        var a = DistinctCounter(), b = DistinctCounter(), ra = Reference(), rb = Reference()
        // Overlapping values: a third of b's are a's.
        for h in hashes(sizes.0, seed: 7) { a.insert(h); ra.insert(h) }
        for h in hashes(sizes.1 / 3, seed: 7) + hashes(sizes.1 - sizes.1 / 3, seed: 99) { b.insert(h); rb.insert(h) }
        var ab = a, rab = ra
        ab.merge(b); rab.merge(rb)
        var ba = b, rba = rb
        ba.merge(a); rba.merge(ra)
        #expect(try json(ab) == rab.json)
        #expect(try json(ba) == rba.json)
        #expect(ab == ba)
        #expect(ab.count == ba.count)
    }
}
