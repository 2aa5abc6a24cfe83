/// The tracked origins and their statistics: two parallel arrays, in the order the
/// origins arrived, and an open-addressing index of 32-bit positions.
///
/// It replaces a `[Origin: OriginStats]` dictionary because of memory at the origin cap:
/// a dictionary holds its values inline in buckets kept at most 75 % full and rounded up
/// to a power of two (256 bytes a bucket; 20,000 origins took 32,768 buckets, 8.4 MB),
/// and had to be built from the collector's arrays at the end of every file while those
/// were still alive. This table *is* the collector's arrays: `EvidenceCollector.finish`
/// hands it over as it stands, and its index costs 4 bytes a slot (256 KB at the cap).
///
/// It reads like the dictionary it replaces — `table[origin]`, `table[origin, default:]`,
/// `keys`, `values`, `for (origin, stats) in table` — and iterates in arrival order;
/// everything that reaches a report sorts first.
package struct OriginTable: Sendable {
    /// The origins, by position.
    package private(set) var keys: [Origin] = []
    /// Their statistics, at the same positions.
    package private(set) var values: [OriginStats] = []
    /// Positions by hash (linear probing), `empty` where free; a power of two at least
    /// twice `count`, or empty while the table is.
    private var slots: [Int32] = []
    private static let empty: Int32 = -1

    package init() {}

    package init(minimumCapacity n: Int) {
        reserveCapacity(n)
    }

    package var count: Int { keys.count }
    package var isEmpty: Bool { keys.isEmpty }

    /// The position of `origin`, if tracked.
    package func position(of origin: Origin) -> Int? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        var s = Self.slot(of: origin, mask: mask)
        while true {
            let p = slots[s]
            if p == Self.empty { return nil }
            if keys[Int(p)] == origin { return Int(p) }
            s = (s + 1) & mask
        }
    }

    /// Adds an origin that is not in the table yet; returns its position.
    @discardableResult
    package mutating func append(_ origin: Origin, _ stats: OriginStats) -> Int {
        if slots.count < 2 * (keys.count + 1) { growIndex(to: keys.count + 1) }
        let p = keys.count
        keys.append(origin)
        values.append(stats)
        insertIntoIndex(p)
        return p
    }

    /// The statistics at `position`, to read or update in place.
    package subscript(at position: Int) -> OriginStats {
        get { values[position] }
        _modify { yield &values[position] }
    }

    package subscript(origin: Origin) -> OriginStats? {
        get { position(of: origin).map { values[$0] } }
        set {
            if let p = position(of: origin) {
                if let newValue { values[p] = newValue } else { removeAll { $0 == p } }
            } else if let newValue {
                append(origin, newValue)
            }
        }
    }

    package subscript(origin: Origin, default defaultValue: @autoclosure () -> OriginStats) -> OriginStats {
        get { position(of: origin).map { values[$0] } ?? defaultValue() }
        _modify {
            let p = position(of: origin) ?? append(origin, defaultValue())
            yield &values[p]
        }
    }

    /// Room for `n` origins without growing (arrays and index).
    package mutating func reserveCapacity(_ n: Int) {
        keys.reserveCapacity(n)
        values.reserveCapacity(n)
        if slots.count < 2 * n { growIndex(to: n) }
    }

    /// Swaps the entries at two positions; the index is stale until `rebuildIndex`.
    mutating func swapAt(_ i: Int, _ j: Int) {
        keys.swapAt(i, j)
        values.swapAt(i, j)
    }

    /// Drops the last `n` entries; the index is stale until `rebuildIndex`.
    mutating func removeLast(_ n: Int) {
        keys.removeLast(n)
        values.removeLast(n)
    }

    /// Keeps the entries whose position `remove` rejects, in their order (index rebuilt).
    package mutating func removeAll(where remove: (Int) -> Bool) {
        var kept = 0
        for p in keys.indices where !remove(p) {
            if p != kept { swapAt(p, kept) }
            kept += 1
        }
        removeLast(keys.count - kept)
        rebuildIndex()
    }

    /// Makes the index match the arrays again (after `swapAt`/`removeLast`).
    mutating func rebuildIndex() {
        for s in slots.indices { slots[s] = Self.empty }
        for p in keys.indices { insertIntoIndex(p) }
    }

    /// Gives back array capacity well beyond the count (the collector reserves the whole
    /// cap once an input has many origins; a day's evidence in a state file need not keep it).
    mutating func shrinkToFit() {
        guard values.capacity > count + count / 4 + 16 else { return }
        // `Array(values)` would share the buffer: copy into storage of the right size.
        var k: [Origin] = [], v: [OriginStats] = []
        k.reserveCapacity(count)
        v.reserveCapacity(count)
        k.append(contentsOf: keys)
        v.append(contentsOf: values)
        keys = k
        values = v
        if slots.count > 4 * Swift.max(count, 8) {
            slots = []
            if !keys.isEmpty { growIndex(to: count) }
        }
    }

    /// The entries as a dictionary (a copy: for tests and small tables).
    package var dictionary: [Origin: OriginStats] {
        Dictionary(uniqueKeysWithValues: zip(keys, values))
    }

    /// The entries `isIncluded` accepts, as a dictionary (for small selections).
    package func filter(_ isIncluded: ((key: Origin, value: OriginStats)) -> Bool) -> [Origin: OriginStats] {
        var out: [Origin: OriginStats] = [:]
        for e in self where isIncluded(e) { out[e.key] = e.value }
        return out
    }

    // MARK: - The index

    private static func slot(of origin: Origin, mask: Int) -> Int {
        var h = Hasher()
        h.combine(origin.serialized)
        return h.finalize() & mask
    }

    private mutating func insertIntoIndex(_ p: Int) {
        let mask = slots.count - 1
        var s = Self.slot(of: keys[p], mask: mask)
        while slots[s] != Self.empty { s = (s + 1) & mask }
        slots[s] = Int32(truncatingIfNeeded: p)
    }

    private mutating func growIndex(to n: Int) {
        var size = 16
        while size < 2 * n { size <<= 1 }
        guard size > slots.count else { return }
        slots = Array(repeating: Self.empty, count: size)
        for p in keys.indices { insertIntoIndex(p) }
    }
}

extension OriginTable: Sequence {
    package struct Iterator: IteratorProtocol {
        fileprivate let table: OriginTable
        fileprivate var position = 0

        package mutating func next() -> (key: Origin, value: OriginStats)? {
            guard position < table.count else { return nil }
            defer { position += 1 }
            return (table.keys[position], table.values[position])
        }
    }

    package func makeIterator() -> Iterator { Iterator(table: self) }

    package var underestimatedCount: Int { count }
}

extension OriginTable: Equatable {
    /// The same origins with the same statistics, in whatever order they arrived.
    package static func == (a: OriginTable, b: OriginTable) -> Bool {
        guard a.count == b.count else { return false }
        return a.allSatisfy { b[$0.key] == $0.value }
    }
}

extension OriginTable: ExpressibleByDictionaryLiteral {
    package init(dictionaryLiteral elements: (Origin, OriginStats)...) {
        self.init(minimumCapacity: elements.count)
        for (o, s) in elements { self[o] = s }
    }
}
