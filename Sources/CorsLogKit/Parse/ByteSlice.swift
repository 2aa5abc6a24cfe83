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
