/// The last time field a parser read and its value: consecutive log lines
/// mostly carry the same second (`[01/Nov/2025:00:00:00 +0000]` on hundreds of
/// lines at a busy server), so a compare of four words replaces the calendar
/// arithmetic. One per `LineParser` (per thread); only values of 8 to 32 bytes
/// are kept (every server time format but epoch seconds). No heap storage.
struct TimeCache {
    /// The words at byte offsets 0, 8, 16 and count − 8 (overlapping for short values).
    private var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0
    private var count = -1
    private var value: Int64 = 0

    init() {}

    @inline(__always)
    private static func words(_ raw: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64, UInt64, UInt64) {
        let p = UnsafeRawPointer(raw.baseAddress!)
        let n = raw.count
        // safe because: 8 <= n <= 32 (checked by the callers), so every 8-byte load
        // starts at min(offset, n - 8) and ends inside the n bytes of raw.
        return (p.loadUnaligned(as: UInt64.self),
                p.loadUnaligned(fromByteOffset: min(8, n - 8), as: UInt64.self),
                p.loadUnaligned(fromByteOffset: min(16, n - 8), as: UInt64.self),
                p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
    }

    /// The time of `raw` if it is the value stored last.
    @inline(__always)
    func lookup(_ raw: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard raw.count == count else { return nil }
        let (a, b, c, d) = Self.words(raw)
        return a == w0 && b == w1 && c == w2 && d == w3 ? value : nil
    }

    @inline(__always)
    mutating func store(_ raw: UnsafeBufferPointer<UInt8>, _ time: Int64) {
        guard raw.count >= 8 && raw.count <= 32 else { count = -1; return }
        (w0, w1, w2, w3) = Self.words(raw)
        count = raw.count
        value = time
    }
}
