/// The parts of an HTTP request line that corslog keeps.
///
/// RFC 9112 §3: `request-line = method SP request-target SP HTTP-version`;
/// HTTP/0.9 sent `method SP request-target`. Servers log whatever arrived, so a
/// line that is not of this shape (`-`, a TLS ClientHello, `hello`) yields an
/// empty method and target; the log line itself still parses.
enum RequestLine {
    /// Splits `request` into (method, target) as index ranges into it; both empty when it is not a request line.
    @inline(__always)
    static func split(_ r: UnsafeBufferPointer<UInt8>) -> (method: Range<Int>, target: Range<Int>) {
        let none = (0..<0, 0..<0)
        let n = r.count
        var sp = 0
        while sp < n && r[sp] != UInt8(ascii: " ") { sp += 1 }
        guard sp < n, sp > 0, isToken(UnsafeBufferPointer(rebasing: r[0..<sp])) else { return none }
        let targetStart = sp + 1
        // The target ends at the space before "HTTP/…" when the line ends so;
        // otherwise at the next space (or the end, for HTTP/0.9).
        // Nearly every line ends in " HTTP/1.1" (or 1.0, 2.0): then that space is the last
        // one, found with one compare of the last eight bytes instead of a backward scan.
        if n - 9 >= targetStart, r[n - 9] == UInt8(ascii: " ") {
            // safe because: n - 8 >= 0 (n - 9 >= targetStart >= 1), the eight bytes lie inside r.
            let tail = UnsafeRawPointer(r.baseAddress.unsafelyUnwrapped + (n - 8)).loadUnaligned(as: UInt64.self)
            let v = UInt64(littleEndian: tail)
            if v == Self.http11 || v == Self.http10 || v == Self.http20 { return (0..<sp, targetStart..<(n - 9)) }
        }
        var last = n - 1
        while last >= targetStart && r[last] != UInt8(ascii: " ") { last -= 1 }
        var targetEnd: Int
        if last >= targetStart && isVersion(r, last + 1) {
            targetEnd = last
        } else {
            targetEnd = targetStart
            while targetEnd < n && r[targetEnd] != UInt8(ascii: " ") { targetEnd += 1 }
        }
        if targetEnd < targetStart { targetEnd = targetStart }
        return (0..<sp, targetStart..<targetEnd)
    }

    /// "HTTP/1.1", "HTTP/1.0", "HTTP/2.0" as little-endian words.
    static let http11 = word("HTTP/1.1"), http10 = word("HTTP/1.0"), http20 = word("HTTP/2.0")

    private static func word(_ s: StaticString) -> UInt64 {
        var w: UInt64 = 0
        for i in 0..<8 { w |= UInt64(s.utf8Start[i]) << UInt64(8 * i) }
        return w
    }

    @inline(__always)
    static func isVersion(_ r: UnsafeBufferPointer<UInt8>, _ at: Int) -> Bool {
        guard at + 5 <= r.count else { return false }
        return r[at] | 0x20 == UInt8(ascii: "h") && r[at + 1] | 0x20 == UInt8(ascii: "t")
            && r[at + 2] | 0x20 == UInt8(ascii: "t") && r[at + 3] | 0x20 == UInt8(ascii: "p")
            && r[at + 4] == UInt8(ascii: "/")
    }

    /// RFC 9110 §5.6.2: `token = 1*tchar`, `tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*"
    /// / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA`.
    @inline(__always)
    static func isToken(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count > 0 else { return false }
        for c in b where !isTChar(c) { return false }
        return true
    }

    /// `tchar` as a bit per byte value: bytes 0–63 in the first word, 64–127 in the second
    /// (`RequestLineTests` compares it with the grammar above for all 256 bytes).
    @inline(__always)
    static func isTChar(_ c: UInt8) -> Bool {
        // 0-63: ! # $ % & ' * + - . 0-9;  64-127: A-Z ^ _ ` a-z | ~
        let low: UInt64 = 0x03FF_6CFA_0000_0000
        let high: UInt64 = 0x57FF_FFFF_C7FF_FFFE
        let word = c < 64 ? low : (c < 128 ? high : 0)
        return (word >> UInt64(c & 63)) & 1 == 1
    }

    /// A status is exactly three ASCII digits; anything else is -1.
    @inline(__always)
    static func status(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        guard b.count == 3 else { return -1 }
        let d0 = b[0] &- 48, d1 = b[1] &- 48, d2 = b[2] &- 48
        guard d0 < 10, d1 < 10, d2 < 10 else { return -1 }
        return Int(d0) * 100 + Int(d1) * 10 + Int(d2)
    }
}
