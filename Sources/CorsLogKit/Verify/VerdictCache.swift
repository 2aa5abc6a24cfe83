/// What `Verifier.add` works out from a line's raw bytes, kept for the lines that repeat
/// them: the parse of the Origin; whether it is same-origin with the logged Host (runs
/// without sites); the verdict for one combination of origin, method, requested method and
/// headers, credentials mode and path rule; the table row a request is counted in.
///
/// A log repeats a few such combinations millions of times, and each of these depends on
/// nothing else (`Verifier.verdict`: the policy's answer and the browser's check are pure
/// functions of them; a row is the kind, the Origin, the method shown and the folded
/// path), so a cached value is the one working it out gives. Each table is a
/// `ByteKeyTable` and empties itself, with the values kept beside it, when full: a flood
/// of distinct values costs bounded memory, and only time.
struct VerdictCache {
    /// An Origin's bytes, parsed (`isSite`: one of the run's sites).
    enum ParsedOrigin {
        case null
        case invalid
        case origin(Origin, isSite: Bool)
    }

    /// A verdict as a cached value (nil failure: the browser lets the page read the answer).
    private struct Verdict {
        var failure: FetchCORSCheck.Failure?
    }

    private var origins: ByteKeyedValues<ParsedOrigin>
    private var verdicts: ByteKeyedValues<Verdict>
    /// Row keys → `Verifier`'s row index (rows are never removed, so an index stays right).
    private var rows: ByteKeyedValues<Int>
    /// Origin and logged Host → whether the request is same-origin (runs without sites).
    private var sameOrigin: ByteKeyedValues<Bool>
    /// The key being built (reused: no allocation per line).
    private var key: [UInt8] = []

    /// At most `entries` distinct origins, as many verdicts and as many rows (0: no cache,
    /// every line is worked out). Arenas of 64 and 128 bytes a key on average: an Origin is
    /// rarely longer, a verdict's or row's key (its parts and their lengths) rarely twice that.
    init(entries: Int) {
        origins = ByteKeyedValues(entries: entries, arenaBytes: entries * 64, maxKeyBytes: 512)
        verdicts = ByteKeyedValues(entries: entries, arenaBytes: entries * 128, maxKeyBytes: 1024)
        rows = ByteKeyedValues(entries: entries, arenaBytes: entries * 128, maxKeyBytes: 1024)
        sameOrigin = ByteKeyedValues(entries: entries, arenaBytes: entries * 128, maxKeyBytes: 1024)
        key.reserveCapacity(256)
    }

    /// The parse of the Origin bytes `raw` (`parse` when they are not cached).
    mutating func origin(_ raw: ByteSlice, parse: () -> ParsedOrigin) -> ParsedOrigin {
        let hash = raw.tableHash
        if let known = origins.value(for: raw, hash: hash) { return known }
        let parsed = parse()
        origins.remember(parsed, for: raw, hash: hash)
        return parsed
    }

    /// The verdict for the combination (`replay` when it is not cached). Each part is
    /// written with its length before it, so no two combinations share a key.
    mutating func verdict(preflight: Bool, credentials: UInt8, rule: Int, origin: ByteSlice, method: ByteSlice,
                          requestMethod: ByteSlice, requestHeaders: ByteSlice,
                          replay: () -> FetchCORSCheck.Failure?) -> FetchCORSCheck.Failure? {
        key.removeAll(keepingCapacity: true)
        key.append(preflight ? 1 : 0)
        key.append(credentials)
        appendLength(rule)
        appendPart(origin)
        appendPart(method)
        appendPart(requestMethod)
        appendPart(requestHeaders)
        // `replay` always gives a verdict, so the lookup always has one.
        return Self.cached(key, in: &verdicts) { Verdict(failure: replay()) }.flatMap(\.failure)
    }

    /// Whether a request from the Origin bytes `origin` to the logged `host` is same-origin
    /// (`decide` when it is not cached).
    mutating func isSameOrigin(origin: ByteSlice, host: ByteSlice, decide: () -> Bool) -> Bool {
        key.removeAll(keepingCapacity: true)
        appendPart(origin)
        appendPart(host)
        // `decide` always gives an answer, so the lookup always has one.
        return Self.cached(key, in: &sameOrigin) { decide() } ?? false
    }

    /// The row of a request (`file` when it is not cached: the row it was counted in, nil
    /// when the table is full — not remembered then). The path enters the key as
    /// `TopValues.foldedPath` reads it: each segment of the path before `?` or `#`, an
    /// identifier as one marker byte, any other with its length and bytes.
    mutating func row(preflight: Bool, origin: ByteSlice, method: ByteSlice, target: ByteSlice,
                      file: () -> Int?) -> Int? {
        key.removeAll(keepingCapacity: true)
        key.append(preflight ? 1 : 0)
        appendPart(origin)
        appendPart(method)
        TopValues.forEachSegment(TopValues.pathPart(target)) { segment, isID in
            if isID {
                key.append(0)
            } else {
                key.append(1)
                appendPart(segment)
            }
        }
        return Self.cached(key, in: &rows, make: file)
    }

    /// The value cached for `key` in `table`, else `make`'s (remembered unless nil).
    private static func cached<Value>(_ key: [UInt8], in table: inout ByteKeyedValues<Value>, make: () -> Value?) -> Value? {
        key.withUnsafeBufferPointer { k -> Value? in
            // safe because: the slice of `key` is used only inside this closure, and `key`
            // is not changed in it.
            let slice = ByteSlice(k)
            let hash = slice.tableHash
            if let known = table.value(for: slice, hash: hash) { return known }
            guard let value = make() else { return nil }
            table.remember(value, for: slice, hash: hash)
            return value
        }
    }

    /// `part`'s length, then its bytes.
    private mutating func appendPart(_ part: ByteSlice) {
        appendLength(part.count)
        part.withBuffer { key.append(contentsOf: $0) }
    }

    private mutating func appendLength(_ n: Int) {
        let v = UInt32(truncatingIfNeeded: n)
        for shift in stride(from: 0, to: 32, by: 8) { key.append(UInt8(truncatingIfNeeded: v >> UInt32(shift))) }
    }
}

/// A `ByteKeyTable` with its values beside it: when the table is full both are emptied
/// together, so an index it holds always points at its value.
struct ByteKeyedValues<Value> {
    private var table: ByteKeyTable
    private var values: [Value] = []
    /// Longer keys are not remembered (-1: none is, the cache is off).
    private let maxKeyBytes: Int

    /// At most `entries` values (0: none) and `arenaBytes` bytes of keys.
    init(entries: Int, arenaBytes: Int, maxKeyBytes: Int) {
        table = ByteKeyTable(maxEntries: max(entries, 1), maxArenaBytes: arenaBytes)
        self.maxKeyBytes = entries > 0 ? maxKeyBytes : -1
    }

    func value(for key: ByteSlice, hash: UInt64) -> Value? {
        table.value(for: key, hash: hash).map { values[Int($0)] }
    }

    /// Remembers `value` for a key not yet held (`hash`: its `tableHash`).
    mutating func remember(_ value: Value, for key: ByteSlice, hash: UInt64) {
        guard key.count <= maxKeyBytes else { return }
        if table.isFull(forKeyOf: key.count) {
            table.removeAll()
            values.removeAll(keepingCapacity: true)
        }
        table.insert(key, hash: hash, value: Int32(values.count))
        values.append(value)
    }
}
