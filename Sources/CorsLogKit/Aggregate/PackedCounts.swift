/// Counts per integer key (a UTC day, an HTTP status) for one origin, in one
/// small sorted array of 64-bit words instead of a dictionary: an origin has one
/// to a few keys, and at the origin cap a dictionary of one or two entries costs
/// about 125–155 bytes of heap where one or two words cost 40–48.
///
/// Exact for every key and count. The compact form holds one word per key,
/// `(key + keyBias) << countBits | count`, sorted by key (the biased key in the
/// high bits sorts the words by key): keys from -2^23 (-8,388,608) to
/// 2^23 - 2 and counts up to 2^40 - 1 (about 1.1 · 10^12) per key. That covers
/// every status (100–599, -1 for none) and every day of the years -20,997 to
/// 24,936. A key or count beyond those limits switches the whole array to the
/// wide form, exact for any `Int` key and count: `(key, count)` pairs of bit
/// patterns sorted by key, then `wideMarker` as the last word.
///
/// The per-line path (`increment`) touches the last word only when the key is
/// the last one (logs are chronological: today's day is nearly always the last),
/// and appends a new last key in place; anything else is rebuilt from the entries.
struct PackedCounts: Sendable {
    private var words: [UInt64] = []

    static let countBits: UInt64 = 40
    static let countMask: UInt64 = (1 << countBits) - 1
    static let keyBias = 1 << 23
    /// The biased key of `wideMarker`'s high bits: never a compact key.
    static let reservedKey = 1 << 24 - 1
    /// The last word of the wide form (its biased key is `reservedKey`, its count
    /// `countMask`, so `increment` never takes it for a compact key).
    static let wideMarker = UInt64.max

    init() {}

    /// The counts of a dictionary.
    init<K: BinaryInteger>(_ counts: [K: Int]) {
        self.init(sortedEntries: counts.map { (Int($0.key), $0.value) }.sorted { $0.0 < $1.0 })
    }

    /// `entries` sorted by key, keys distinct.
    private init(sortedEntries entries: [(Int, Int)]) {
        if entries.allSatisfy({ Self.fits($0.0, $0.1) }) {
            words = entries.map { Self.word($0.0, $0.1) }
        } else {
            words.reserveCapacity(2 * entries.count + 1)
            for (k, n) in entries {
                words.append(UInt64(bitPattern: Int64(k)))
                words.append(UInt64(bitPattern: Int64(n)))
            }
            words.append(Self.wideMarker)
        }
    }

    private var isWide: Bool { words.last == Self.wideMarker }

    /// The number of keys.
    var count: Int { isWide ? (words.count - 1) / 2 : words.count }
    var isEmpty: Bool { words.isEmpty }

    /// The keys with their counts, sorted by key.
    var entries: [(key: Int, count: Int)] {
        if isWide {
            return stride(from: 0, to: words.count - 1, by: 2).map {
                (Int(Int64(bitPattern: words[$0])), Int(Int64(bitPattern: words[$0 + 1])))
            }
        }
        return words.map { (Int($0 >> Self.countBits) - Self.keyBias, Int($0 & Self.countMask)) }
    }

    /// The keys, sorted.
    var keys: [Int] { entries.map(\.key) }

    /// The counts as a dictionary.
    func dictionary<K: BinaryInteger & Hashable>(_: K.Type) -> [K: Int] {
        var out: [K: Int] = [:]
        out.reserveCapacity(count)
        for e in entries { out[K(e.key)] = e.count }
        return out
    }

    /// The count of `key`, nil when it has none.
    subscript(key: Int) -> Int? {
        if !isWide, Self.fits(key, 0) {
            let k = UInt64(key + Self.keyBias)
            for w in words where w >> Self.countBits == k { return Int(w & Self.countMask) }
            return nil
        }
        return entries.first { $0.key == key }?.count
    }

    private static func fits(_ key: Int, _ count: Int) -> Bool {
        key >= -keyBias && key < reservedKey - keyBias && count >= 0 && UInt64(count) <= countMask
    }

    private static func word(_ key: Int, _ count: Int) -> UInt64 {
        UInt64(key + keyBias) << countBits | UInt64(count)
    }

    /// Adds one to `key`'s count; a key not yet counted is added only while
    /// there are fewer than `cap` keys.
    @inline(__always)
    mutating func increment(_ key: Int, cap: Int) {
        // The key as the high bits of a compact word; a key out of the compact
        // range gives a value no compact word (nor `wideMarker`) has there.
        let k = UInt64(bitPattern: Int64(key &+ Self.keyBias))
        let n = words.count
        if n > 0 {
            let last = words[n - 1]
            if last >> Self.countBits == k && last & Self.countMask != Self.countMask {
                words[n - 1] = last &+ 1
                return
            }
            // A new last key, compact: appended.
            if last >> Self.countBits < k && k < UInt64(Self.reservedKey) && n < cap {
                words.append(k << Self.countBits | 1)
                return
            }
        } else if k < UInt64(Self.reservedKey) && cap > 0 {
            words.append(k << Self.countBits | 1)
            return
        }
        add(1, to: key, cap: cap)
    }

    /// Adds one to `key`'s count when the compact form already has the key and the count
    /// has room (true); false changes nothing. The per-line path for keys that are seldom
    /// the last (an origin's status classes and preflight statuses): one pass, no rebuild.
    @inline(__always)
    mutating func incrementExisting(_ key: Int) -> Bool {
        let k = UInt64(bitPattern: Int64(key &+ Self.keyBias))
        guard k < UInt64(Self.reservedKey) else { return false }
        return words.withUnsafeMutableBufferPointer { w -> Bool in
            // safe because: the indices are those of `w`, valid for this closure.
            guard let last = w.last, last != Self.wideMarker else { return false }
            for i in w.indices where w[i] >> Self.countBits == k {
                guard w[i] & Self.countMask != Self.countMask else { return false }
                w[i] &+= 1
                return true
            }
            return false
        }
    }

    /// Adds `n` to `key`'s count; a key not yet counted is added only while
    /// there are fewer than `cap` keys.
    mutating func add(_ n: Int, to key: Int, cap: Int = .max) {
        if !isWide, Self.fits(key, 0) {
            let k = UInt64(key + Self.keyBias)
            for i in words.indices where words[i] >> Self.countBits == k {
                let c = words[i] & Self.countMask
                if n >= 0, UInt64(n) <= Self.countMask - c {
                    words[i] += UInt64(n)
                    return
                }
                break
            }
        }
        var e = entries
        if let i = e.firstIndex(where: { $0.key == key }) {
            e[i].count += n
        } else {
            guard e.count < cap else { return }
            e.insert((key, n), at: e.firstIndex { $0.key > key } ?? e.count)
        }
        self = PackedCounts(sortedEntries: e.map { ($0.key, $0.count) })
    }

    /// Sets `key`'s count (nil: removes the key).
    mutating func set(_ key: Int, _ n: Int?) {
        var e = entries.filter { $0.key != key }.map { ($0.key, $0.count) }
        if let n { e.insert((key, n), at: e.firstIndex { $0.0 > key } ?? e.count) }
        self = PackedCounts(sortedEntries: e)
    }

    /// Adds another's counts key by key, in key order; a key not yet counted is
    /// added only while there are fewer than `cap` keys. One pass over both.
    mutating func merge(_ o: PackedCounts, cap: Int = .max) {
        if o.isEmpty { return }
        let mine = entries, theirs = o.entries
        var out: [(Int, Int)] = []
        out.reserveCapacity(mine.count + theirs.count)
        var i = 0, kept = mine.count
        for t in theirs {
            while i < mine.count && mine[i].key < t.key { out.append((mine[i].key, mine[i].count)); i += 1 }
            if i < mine.count && mine[i].key == t.key {
                out.append((t.key, mine[i].count + t.count))
                i += 1
            } else if kept < cap {
                out.append((t.key, t.count))
                kept += 1
            }
        }
        while i < mine.count { out.append((mine[i].key, mine[i].count)); i += 1 }
        self = PackedCounts(sortedEntries: out)
    }
}

extension PackedCounts: Equatable {
    /// The same keys with the same counts.
    static func == (a: PackedCounts, b: PackedCounts) -> Bool {
        a.words == b.words || a.entries.elementsEqual(b.entries) { $0.key == $1.key && $0.count == $1.count }
    }
}
