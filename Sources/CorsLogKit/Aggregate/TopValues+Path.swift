extension TopValues {
    /// Counts one request for the path of `target` (the request target): the
    /// query is dropped, and segments that are identifiers — all digits, or a
    /// run of 16 or more hex digits and dashes (UUIDs, hashes) — count as
    /// `{id}`, so `/v1/orders/1234` and `/v1/orders/5678` are one path.
    /// The text is only built when the path takes a slot.
    mutating func addPath(_ target: ByteSlice) {
        addPath(target, hash: Self.pathHash(ofTarget: target))
    }

    /// `addPath` with the hash already computed (`pathHash(ofTarget:)`, on a parse thread).
    mutating func addPath(_ target: ByteSlice, hash h: UInt64) {
        add(hash: h, count: 1) {
            // Only a path not yet counted is turned into text (its query cut off here, not per line).
            let path = Self.pathPart(target)
            var text = ""
            var first = true
            Self.forEachSegment(path) { segment, isID in
                if !first { text += "/" }
                first = false
                text += isID ? "{id}" : Self.displayText(segment)
            }
            return text.count > Self.maxTextBytes ? String(text.prefix(Self.maxTextBytes)) + "…" : text
        }
    }

    /// The request target without its query or fragment.
    @inline(__always)
    static func pathPart(_ target: ByteSlice) -> ByteSlice {
        var end = 0
        while end < target.count && target[end] != UInt8(ascii: "?") && target[end] != UInt8(ascii: "#") { end += 1 }
        return target.slice(0, end)
    }

    /// The hash `addPath` counts `target` under.
    @inline(__always)
    static func pathHash(ofTarget target: ByteSlice) -> UInt64 { pathHash(pathPart(target)) }

    /// The hash `addPath` counts `path` (no query) under, in one pass: FNV-1a over each
    /// segment followed by `/`, an identifier segment hashed as the byte `{` (the hash
    /// that `forEachSegment` + `isIdentifier` define; summaries store it, so it must not change).
    @inline(__always)
    static func pathHash(_ path: ByteSlice) -> UInt64 {
        let prime: UInt64 = 0x0000_0100_0000_01b3
        return path.withBuffer { p -> UInt64 in
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            var atSegment = h          // the hash before the current segment
            var length = 0
            // Bit 0: the segment has a byte that is not a digit; bit 1: one that is neither a
            // hex digit nor `-` (or'ed in per byte, no branch).
            var seen: UInt64 = 0
            func endSegment() {
                let isID = length > 0 && (seen & 1 == 0 || (seen & 2 == 0 && length >= 16))
                if isID { h = (atSegment ^ 0x7B) &* prime }
                h = (h ^ 0x2F) &* prime
                atSegment = h
                length = 0
                seen = 0
            }
            for b in p {
                if b == UInt8(ascii: "/") { endSegment(); continue }
                h = (h ^ UInt64(b)) &* prime
                length += 1
                let notDigit: UInt64 = b &- UInt8(ascii: "0") < 10 ? 0 : 1
                let notHexOrDash = (Self.hexOrDashBits(b) >> UInt64(b & 63) & 1) ^ 1
                seen |= notDigit | notHexOrDash << 1
            }
            endSegment()
            return h
        }
    }

    /// The word of a 128-bit table that holds `b`'s bit (`b & 63`) when `b` is a hex digit
    /// (either case) or `-`: bytes 0–63 (`-` 45, `0`–`9` 48–57), bytes 64–127 (`A`–`F`,
    /// `a`–`f`); none above.
    @inline(__always)
    static func hexOrDashBits(_ b: UInt8) -> UInt64 {
        b < 64 ? 0x03FF_2000_0000_0000 : (b < 128 ? 0x0000_007E_0000_007E : 0)
    }

    /// The text `addPath` shows for `target`: the query dropped, identifiers as `{id}`,
    /// other bytes escaped (`displayText`), at most `maxTextBytes`.
    static func foldedPath(_ target: ByteSlice) -> String {
        var end = 0
        while end < target.count && target[end] != UInt8(ascii: "?") && target[end] != UInt8(ascii: "#") { end += 1 }
        var text = ""
        var first = true
        forEachSegment(target.slice(0, end)) { segment, isID in
            if !first { text += "/" }
            first = false
            text += isID ? "{id}" : displayText(segment)
        }
        return text.count > maxTextBytes ? String(text.prefix(maxTextBytes)) + "…" : text
    }

    /// Calls `body` for each `/`-separated segment (the empty one before a
    /// leading `/` included) and whether it is an identifier.
    static func forEachSegment(_ path: ByteSlice, _ body: (ByteSlice, Bool) -> Void) {
        var start = 0
        for i in 0...path.count where i == path.count || path[i] == UInt8(ascii: "/") {
            let segment = path.slice(start, i)
            body(segment, isIdentifier(segment))
            start = i + 1
        }
    }

    private static func isIdentifier(_ s: ByteSlice) -> Bool {
        guard !s.isEmpty else { return false }
        var digitsOnly = true
        var hexOrDash = true
        for i in 0..<s.count {
            let b = s[i]
            let digit = b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")
            let hex = digit || (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "f")) || b == UInt8(ascii: "-")
            digitsOnly = digitsOnly && digit
            hexOrDash = hexOrDash && hex
            if !digitsOnly && !hexOrDash { return false }
        }
        return digitsOnly || (hexOrDash && s.count >= 16)
    }
}
