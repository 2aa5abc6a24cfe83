/// What `Verifier.add` works out from a line's raw bytes, kept for the lines that repeat
/// them: the parse of the Origin; the verdict for one combination of origin, method,
/// requested method and headers, credentials mode and path rule; the table row a request
/// is counted in.
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

    private var originTable: ByteKeyTable
    private var origins: [ParsedOrigin] = []
    private var verdictTable: ByteKeyTable
    private var verdicts: [FetchCORSCheck.Failure?] = []
    /// Row keys → `Verifier`'s row index (rows are never removed, so an index stays right).
    private var rowTable: ByteKeyTable
    /// The verdict key being built (reused: no allocation per line).
    private var key: [UInt8] = []

    /// At most `entries` distinct origins and as many verdicts (0: no cache, every line
    /// is worked out).
    init(entries: Int) {
        // Arenas of 64 and 128 bytes a key on average: an Origin is rarely longer, a verdict's
        // key (four parts and their lengths) rarely twice that.
        originTable = ByteKeyTable(maxEntries: max(entries, 1), maxArenaBytes: entries * 64)
        verdictTable = ByteKeyTable(maxEntries: max(entries, 1), maxArenaBytes: entries * 128)
        rowTable = ByteKeyTable(maxEntries: max(entries, 1), maxArenaBytes: entries * 128)
        key.reserveCapacity(256)
    }

    /// The parse of the Origin bytes `raw` (`parse` when they are not cached).
    mutating func origin(_ raw: ByteSlice, parse: () -> ParsedOrigin) -> ParsedOrigin {
        let hash = raw.tableHash
        if let i = originTable.value(for: raw, hash: hash) { return origins[Int(i)] }
        let parsed = parse()
        if originTable.isFull(forKeyOf: raw.count) {
            originTable.removeAll()
            origins.removeAll(keepingCapacity: true)
        }
        if raw.count <= 512 {
            originTable.insert(raw, hash: hash, value: Int32(origins.count))
            origins.append(parsed)
        }
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
        return key.withUnsafeBufferPointer { k -> FetchCORSCheck.Failure? in
            // safe because: the slice of `key` is used only inside this closure, and `key`
            // is not changed in it.
            let slice = ByteSlice(k)
            let hash = slice.tableHash
            if let i = verdictTable.value(for: slice, hash: hash) { return verdicts[Int(i)] }
            let verdict = replay()
            if verdictTable.isFull(forKeyOf: slice.count) {
                verdictTable.removeAll()
                verdicts.removeAll(keepingCapacity: true)
            }
            if slice.count <= 1024 {
                verdictTable.insert(slice, hash: hash, value: Int32(verdicts.count))
                verdicts.append(verdict)
            }
            return verdict
        }
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
        return key.withUnsafeBufferPointer { k -> Int? in
            // safe because: the slice of `key` is used only inside this closure, and `key`
            // is not changed in it.
            let slice = ByteSlice(k)
            let hash = slice.tableHash
            if let i = rowTable.value(for: slice, hash: hash) { return Int(i) }
            guard let row = file() else { return nil }
            if rowTable.isFull(forKeyOf: slice.count) { rowTable.removeAll() }
            if slice.count <= 1024 { rowTable.insert(slice, hash: hash, value: Int32(row)) }
            return row
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
