/// A view of bytes inside a buffer that corslog owns (a read block, a line, a
/// parser's scratch buffer).
///
/// This is the one type that carries a raw pointer through the pipeline. A
/// `ByteSlice` is handed to a closure and is valid only while that closure
/// runs: the buffer it points into is reused for the next line. Never store one;
/// copy what must outlive the call (`Array(slice)`, `slice.string`).
package struct ByteSlice {
    @usableFromInline let base: UnsafePointer<UInt8>?
    package let count: Int

    @inlinable
    package init(_ buffer: UnsafeBufferPointer<UInt8>) {
        self.base = buffer.baseAddress
        self.count = buffer.count
    }

    @inlinable
    package init(base: UnsafePointer<UInt8>?, count: Int) {
        self.base = count == 0 ? nil : base
        self.count = count
    }

    @inlinable package static var empty: ByteSlice { ByteSlice(base: nil, count: 0) }

    @inlinable package var isEmpty: Bool { count == 0 }

    @inlinable
    package subscript(_ i: Int) -> UInt8 {
        precondition(i >= 0 && i < count, "ByteSlice index out of range")
        // safe because: i is checked against count, and base points to count
        // initialised bytes for as long as the closure holding self runs.
        return base.unsafelyUnwrapped[i]
    }

    /// The bytes `[from, to)`.
    @inlinable
    package func slice(_ from: Int, _ to: Int) -> ByteSlice {
        precondition(from >= 0 && from <= to && to <= count, "ByteSlice range out of bounds")
        guard from < to else { return .empty }
        // safe because: the range was checked to lie inside this slice.
        return ByteSlice(base: base.unsafelyUnwrapped + from, count: to - from)
    }

    /// Runs `body` over the bytes as a buffer pointer (for memchr and friends).
    @inlinable
    package func withBuffer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        // safe because: the buffer does not escape `body`, and self is valid
        // for the whole call.
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// Whether both slices hold the same bytes. Compared eight bytes at a time (the last
    /// load overlaps), inline: the per-line compares (a cached raw Origin, the Host, an
    /// echoed Access-Control-Allow-Origin) are 10 to 40 bytes, where a `memcmp` call costs
    /// more than the compare.
    @inlinable
    package func sameBytes(as other: ByteSlice) -> Bool {
        let n = count
        guard n == other.count else { return false }
        guard n > 0 else { return true }
        // safe because: both slices hold n initialised bytes while the caller's closure runs,
        // and every load below reads inside [0, n).
        let a = UnsafeRawPointer(base.unsafelyUnwrapped), b = UnsafeRawPointer(other.base.unsafelyUnwrapped)
        return Self.equalBytes(a, b, n)
    }

    /// Whether `n` bytes at `a` and `b` agree (`n` > 0; both regions readable for `n` bytes).
    @inlinable @inline(__always)
    static func equalBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
        if n >= 8 {
            var p = 0
            while p + 8 < n {
                if a.loadUnaligned(fromByteOffset: p, as: UInt64.self) != b.loadUnaligned(fromByteOffset: p, as: UInt64.self) {
                    return false
                }
                p += 8
            }
            return a.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        }
        if n >= 4 {
            return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
                && a.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self) == b.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
        }
        for i in 0..<n where a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        return true
    }

    /// Whether the bytes equal `ascii` exactly.
    @inlinable
    package func equals(_ ascii: StaticString) -> Bool {
        guard ascii.utf8CodeUnitCount == count else { return false }
        let other = ascii.utf8Start
        for i in 0..<count where self[i] != other[i] { return false }
        return true
    }

    /// Whether the bytes equal `ascii`, ignoring ASCII case.
    @inlinable
    package func equalsIgnoringASCIICase(_ ascii: StaticString) -> Bool {
        guard ascii.utf8CodeUnitCount == count else { return false }
        let other = ascii.utf8Start
        for i in 0..<count where self[i].asciiLowercased != other[i].asciiLowercased { return false }
        return true
    }

    /// A copy of the bytes.
    package var bytes: [UInt8] { withBuffer { Array($0) } }

    /// The bytes as text for people: invalid UTF-8 is replaced, never trusted.
    package var string: String { withBuffer { String(decoding: $0, as: UTF8.self) } }

    /// A fast 64-bit hash for in-memory tables only (`ByteKeyTable`): eight bytes at a
    /// time, so it does not wait on a multiply per byte as FNV-1a does. Not stored
    /// anywhere; use `fnv1a` for what summaries and state files keep.
    @inlinable
    package var tableHash: UInt64 {
        withBuffer { b -> UInt64 in
            let n = b.count
            var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
            guard let base = b.baseAddress else { return h }
            let raw = UnsafeRawPointer(base)
            if n >= 8 {
                var p = 0
                // safe because: every load reads 8 bytes at p <= n - 8 (the last one overlaps).
                while p + 8 < n {
                    h = (h ^ raw.loadUnaligned(fromByteOffset: p, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
                    h ^= h >> 31
                    p += 8
                }
                h = (h ^ raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)) &* 0x94D0_49BB_1331_11EB
            } else {
                var w: UInt64 = 0
                for i in 0..<n { w |= UInt64(b[i]) << UInt64(i * 8) }
                h = (h ^ w) &* 0x94D0_49BB_1331_11EB
            }
            h ^= h >> 29
            h = h &* 0xBF58_476D_1CE4_E5B9
            return h ^ (h >> 32)
        }
    }

    /// 64-bit FNV-1a of the bytes (stable across runs; used for distinct counts).
    @inlinable
    package var fnv1a: UInt64 {
        withBuffer { bytes in
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for b in bytes {
                h ^= UInt64(b)
                h &*= 0x0000_0100_0000_01b3
            }
            return h
        }
    }
}

extension UInt8 {
    /// ASCII lower-casing; other bytes are returned unchanged.
    @inlinable
    package var asciiLowercased: UInt8 {
        (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z")) ? self | 0x20 : self
    }
}
