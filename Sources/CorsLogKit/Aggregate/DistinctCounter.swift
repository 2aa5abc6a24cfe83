import Foundation

/// Counts distinct 64-bit hashes (client addresses) in bounded memory: exactly
/// up to `exactLimit` values, then as a HyperLogLog sketch with 1024 registers
/// (standard error about 3 %).
///
/// Exactness where it matters: the decisions compare small counts with
/// `--min-clients`, and those stay exact. Merging two counters is associative and
/// commutative, so summaries from several hosts combine.
package struct DistinctCounter: Sendable, Equatable {
    static let exactLimit = 64
    static let precision = 10
    private var exact: Set<UInt64> = []
    private var registers: [UInt8]? = nil

    package init() {}

    package mutating func insert(_ hash: UInt64) {
        if registers != nil {
            addToSketch(hash)
            return
        }
        exact.insert(hash)
        if exact.count > Self.exactLimit {
            registers = Array(repeating: 0, count: 1 << Self.precision)
            for h in exact { addToSketch(h) }
            exact = []
        }
    }

    package var isExact: Bool { registers == nil }

    /// The number of distinct values (exact while `isExact`).
    package var count: Int {
        guard let registers else { return exact.count }
        let m = Double(registers.count)
        var sum = 0.0
        var zeros = 0
        for r in registers {
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
        if let theirs = other.registers {
            if registers == nil {
                registers = Array(repeating: 0, count: 1 << Self.precision)
                for h in exact { addToSketch(h) }
                exact = []
            }
            for i in theirs.indices where theirs[i] > registers![i] { registers![i] = theirs[i] }
        } else {
            for h in other.exact { insert(h) }
        }
    }

    private mutating func addToSketch(_ hash: UInt64) {
        let h = Self.mix(hash)
        let index = Int(h >> UInt64(64 - Self.precision))
        let rest = (h << UInt64(Self.precision)) | (1 << UInt64(Self.precision - 1))
        let rank = UInt8(rest.leadingZeroBitCount + 1)
        if rank > registers![index] { registers![index] = rank }
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
        if let registers {
            try c.encode(Data(registers).base64EncodedString(), forKey: .registers)
        } else {
            try c.encode(exact.sorted().map(HashText.hex), forKey: .exact)
        }
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        if let text = try c.decodeIfPresent(String.self, forKey: .registers) {
            guard let data = Data(base64Encoded: text), data.count == 1 << Self.precision,
                  data.allSatisfy({ $0 <= 64 - Self.precision + 1 }) else {
                throw DecodingError.dataCorruptedError(forKey: .registers, in: c,
                    debugDescription: "expected \(1 << Self.precision) HyperLogLog registers in base64")
            }
            registers = Array(data)
        } else {
            let hashes = try c.decode([String].self, forKey: .exact)
            guard hashes.count <= Self.exactLimit else {
                throw DecodingError.dataCorruptedError(forKey: .exact, in: c,
                    debugDescription: "more than \(Self.exactLimit) exact values")
            }
            for h in hashes { exact.insert(try HashText.parse(h, in: c, key: .exact)) }
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
