#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Byte searches for the per-line hot loop (`FieldProgram.findLiteral` finds a closing
/// literal with `scan` and one masked word compare).
enum FieldSearch {
    /// The first index of `byte` in `base[from..<to]`. Most fields are short, so the
    /// first `inlineBytes` are searched inline — 16 at a time with SSE2 on x86_64
    /// (`pcmpeqb` + `pmovmskb`: the lowest set bit of the mask is the first match),
    /// else 8 at a time (SWAR: a zero byte of `word ^ pattern` marks a match; the lowest
    /// flagged byte is exact) — and the rest with `memchr`, which is faster on long runs
    /// but costs a call.
    @inline(__always)
    static func scan(_ base: UnsafePointer<UInt8>, _ byte: UInt8, from: Int, to: Int) -> Int? {
        var p = from
        let inlineEnd = min(to, from + inlineBytes)
        #if arch(x86_64)
        let pattern = _mm_set1_epi8(CChar(bitPattern: byte))
        while p + 16 <= inlineEnd {
            // safe because: p + 16 <= to, so the 16 bytes lie inside the caller's buffer.
            let v = UnsafeRawPointer(base + p).loadUnaligned(as: __m128i.self)
            let mask = _mm_movemask_epi8(_mm_cmpeq_epi8(v, pattern))
            if mask != 0 { return p + Int(mask.trailingZeroBitCount) }
            p += 16
        }
        #endif
        let ones: UInt64 = 0x0101_0101_0101_0101
        let word = UInt64(byte) &* ones
        while p + 8 <= inlineEnd {
            // safe because: p + 8 <= to, so the 8 bytes lie inside the caller's buffer.
            let x = UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self) ^ word
            let t = (x &- ones) & ~x & (ones &* 0x80)
            if t != 0 { return p + t.trailingZeroBitCount >> 3 }
            p += 8
        }
        if to - p < 16 {
            while p < to {
                if base[p] == byte { return p }
                p += 1
            }
            return nil
        }
        // safe because: [p, to) lies inside the caller's buffer.
        guard let hit = memchr(base + p, Int32(byte), to - p) else { return nil }
        return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
    }

    #if arch(x86_64)
    /// Bytes searched inline before `memchr` takes over.
    static let inlineBytes = 64
    #else
    static let inlineBytes = 64
    #endif

    /// Whether the run of `\` that ends right before `index` (not reaching
    /// before `notBefore`) has even length.
    @inline(__always)
    static func evenBackslashRun(in line: UnsafeBufferPointer<UInt8>, before index: Int, notBefore: Int) -> Bool {
        var k = index - 1
        var run = 0
        while k >= notBefore && line[k] == UInt8(ascii: "\\") {
            run += 1
            k -= 1
        }
        return run & 1 == 0
    }

    /// The first index of `byte` in `[from, to)`.
    @inline(__always)
    static func index(of byte: UInt8, in line: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        guard from < to, let base = line.baseAddress else { return nil }
        // safe because: [from, to) lies inside line.
        return scan(base, byte, from: from, to: to)
    }

    /// Whether `literal` occurs at `at` in `line`.
    @inline(__always)
    static func matches(_ literal: UnsafeBufferPointer<UInt8>, in line: UnsafeBufferPointer<UInt8>, at: Int) -> Bool {
        let n = literal.count
        guard n > 0 else { return true }
        guard at + n <= line.count, let base = line.baseAddress, let lit = literal.baseAddress else { return false }
        // safe because: at + n <= line.count.
        return memcmp(base + at, lit, n) == 0
    }
}
