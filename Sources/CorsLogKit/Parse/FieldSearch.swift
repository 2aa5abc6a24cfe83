#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte searches for the per-line hot loop: `memchr` to the literal's first
/// byte, then `memcmp` for the rest.
enum FieldSearch {
    /// The first index `i` in `[from, to)` where `literal` starts and ends by `to`.
    /// With `escapeAware`, a match preceded by an odd run of backslashes that
    /// starts at or after `fieldStart` is an escaped byte and is skipped
    /// (Apache `\"`, nginx `escape=json` `\"`; `\\"` is a real end).
    @inline(__always)
    static func find(
        _ literal: UnsafeBufferPointer<UInt8>,
        in line: UnsafeBufferPointer<UInt8>,
        from: Int, to: Int, fieldStart: Int, escapeAware: Bool
    ) -> Int? {
        let litCount = literal.count
        guard litCount > 0, to - from >= litCount,
              let base = line.baseAddress, let lit = literal.baseAddress else { return nil }
        let first = Int32(lit[0])
        var p = from
        let lastStart = to - litCount
        while p <= lastStart {
            // safe because: p...lastStart lies inside line, so base + p and the
            // length lastStart - p + 1 stay within the buffer.
            guard let hit = memchr(base + p, first, lastStart - p + 1) else { return nil }
            let i = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
            // safe because: i + litCount <= to <= line.count.
            if litCount == 1 || restMatches(base + i, lit, litCount) {
                if !escapeAware || evenBackslashRun(in: line, before: i, notBefore: fieldStart) {
                    return i
                }
            }
            p = i + 1
        }
        return nil
    }

    /// Whether bytes 1..<count of `a` and `b` agree (byte 0 was found by memchr).
    /// Short literals (the usual `" `, ` [`, `] "`) are compared inline.
    @inline(__always)
    private static func restMatches(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        guard count <= 8 else { return memcmp(a + 1, b + 1, count - 1) == 0 }
        for k in 1..<count where a[k] != b[k] { return false }
        return true
    }

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
        guard let hit = memchr(base + from, Int32(byte), to - from) else { return nil }
        return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
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
