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
