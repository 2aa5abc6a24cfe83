import Foundation

/// Counts distinct 64-bit hashes (client addresses) in bounded memory: exactly
/// up to `exactLimit` values, then as a HyperLogLog sketch with 1024 registers
/// (standard error about 3 %).
///
/// Exactness where it matters: the decisions compare small counts with
/// `--min-clients`, and those stay exact. Merging two counters is associative and
/// commutative, so summaries from several hosts combine.
///
/// One array of words holds either form (8 bytes inline, one allocation): up to
/// `exactLimit` values, the distinct hashes sorted (a binary search per line; one
/// client costs a 40-byte allocation where a `Set` cost about 100), or exactly
/// `sketchWords` words, the 1024 one-byte registers packed eight to a word
/// (register `i` is byte `i % 8`, least significant first, of word `i / 8`).
package struct DistinctCounter: Sendable, Equatable {
    static let exactLimit = 64
    static let precision = 10
    static let registerCount = 1 << precision
    static let sketchWords = registerCount / 8
    private var words: [UInt64] = []

    package init() {}

    package mutating func insert(_ hash: UInt64) {
        let n = words.count
        if n == Self.sketchWords {
            addToSketch(hash)
            return
        }
        let i = insertionIndex(hash)
        if i < n && words[i] == hash { return }
        if n == Self.exactLimit {
            startSketch()
            addToSketch(hash)
        } else {
            words.insert(hash, at: i)
        }
    }

    /// The first index of the sorted exact values whose value is not below `hash`.
    private func insertionIndex(_ hash: UInt64) -> Int {
        words.withUnsafeBufferPointer { buf in
            // safe because: only indices below `buf.count` are read, inside this closure.
            var lo = 0, hi = buf.count
            while lo < hi {
                let mid = (lo + hi) >> 1
                if buf[mid] < hash { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
    }

    package var isExact: Bool { words.count != Self.sketchWords }

    /// The registers of the sketch, in index order (all zero while exact).
    private var registers: [UInt8] {
        guard !isExact else { return Array(repeating: 0, count: Self.registerCount) }
        return (0..<Self.registerCount).map { register($0) }
    }

    private func register(_ i: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: words[i >> 3] >> UInt64((i & 7) * 8))
    }

    /// The number of distinct values (exact while `isExact`).
    package var count: Int {
        guard !isExact else { return words.count }
        let m = Double(Self.registerCount)
        var sum = 0.0
        var zeros = 0
        for i in 0..<Self.registerCount {
            let r = register(i)
            sum += 1.0 / Double(UInt64(1) << UInt64(r))
            if r == 0 { zeros += 1 }
        }
        let alpha = 0.7213 / (1 + 1.079 / m)
        let raw = alpha * m * m / sum
        if raw <= 2.5 * m && zeros > 0 {
            return Int((m * log(m / Double(zeros))).rounded())
        }
        return Int(raw.rounded())
    }

    package mutating func merge(_ other: DistinctCounter) {
        if !other.isExact {
            if isExact { startSketch() }
            for i in 0..<Self.sketchWords where other.words[i] != 0 {
                var w = words[i]
                let o = other.words[i]
                for b in stride(from: UInt64(0), to: 64, by: 8) where (o >> b) & 0xFF > (w >> b) & 0xFF {
                    w = (w & ~(0xFF << b)) | (o & (0xFF << b))
                }
                words[i] = w
            }
        } else {
            for h in other.words { insert(h) }
        }
    }

    /// Turns the exact values into a sketch holding them.
    private mutating func startSketch() {
        let exact = words
        words = Array(repeating: 0, count: Self.sketchWords)
        for h in exact { addToSketch(h) }
    }

    private mutating func addToSketch(_ hash: UInt64) {
        let h = Self.mix(hash)
        let index = Int(h >> UInt64(64 - Self.precision))
        let rest = (h << UInt64(Self.precision)) | (1 << UInt64(Self.precision - 1))
        let rank = UInt64(rest.leadingZeroBitCount + 1)
        let shift = UInt64((index & 7) * 8)
        let w = words[index >> 3]
        if rank > (w >> shift) & 0xFF { words[index >> 3] = (w & ~(0xFF << shift)) | (rank << shift) }
    }

    /// A 64-bit finaliser (splitmix64) so that FNV's weak high bits spread.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension DistinctCounter: Codable {
    private enum CodingKeys: String, CodingKey { case exact, registers }

    /// `{"exact": ["hex", …]}` (sorted) or `{"registers": "base64"}`.
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if !isExact {
            try c.encode(Data(registers).base64EncodedString(), forKey: .registers)
        } else {
            try c.encode(words.map(HashText.hex), forKey: .exact)
        }
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        if let text = try c.decodeIfPresent(String.self, forKey: .registers) {
            guard let data = Data(base64Encoded: text), data.count == Self.registerCount,
                  data.allSatisfy({ $0 <= 64 - Self.precision + 1 }) else {
                throw DecodingError.dataCorruptedError(forKey: .registers, in: c,
                    debugDescription: "expected \(Self.registerCount) HyperLogLog registers in base64")
            }
            words = Array(repeating: 0, count: Self.sketchWords)
            for (i, r) in data.enumerated() { words[i >> 3] |= UInt64(r) << UInt64((i & 7) * 8) }
        } else {
            let hashes = try c.decode([String].self, forKey: .exact)
            guard hashes.count <= Self.exactLimit else {
                throw DecodingError.dataCorruptedError(forKey: .exact, in: c,
                    debugDescription: "more than \(Self.exactLimit) exact values")
            }
            for h in hashes { insert(try HashText.parse(h, in: c, key: .exact)) }
        }
    }
}

/// 64-bit hashes as 16 hex digits in summary and state files (JSON numbers
/// lose precision beyond 2^53 in many readers).
enum HashText {
    static func hex(_ h: UInt64) -> String { String(h, radix: 16).leftPadded(16) }

    static func parse<K: CodingKey>(_ text: String, in c: KeyedDecodingContainer<K>, key: K) throws -> UInt64 {
        guard text.utf8.count == 16, let v = UInt64(text, radix: 16) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "\(text) is not a 16-digit hex hash")
        }
        return v
    }
}

private func log(_ x: Double) -> Double {
    // Natural logarithm without Foundation: ln(x) = 2·atanh((x-1)/(x+1)) after
    // scaling x into [1, 2) by powers of two.
    precondition(x > 0)
    var v = x
    var exponent = 0.0
    while v >= 2 { v /= 2; exponent += 1 }
    while v < 1 { v *= 2; exponent -= 1 }
    let y = (v - 1) / (v + 1)
    let y2 = y * y
    var term = y
    var sum = 0.0
    var k = 1.0
    for _ in 0..<30 { sum += term / k; term *= y2; k += 2 }
    return 2 * sum + exponent * 0.693_147_180_559_945_3
}
