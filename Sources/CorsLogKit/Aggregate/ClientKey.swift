/// The key a client address is counted by among an origin's distinct clients (`--min-clients`)
/// and the run's client addresses: what summaries and state files keep.
///
/// - IPv4 addresses and anything else that is no IPv6 address (a host name, a proxy's
///   `unix:` socket): the 64-bit FNV-1a of the bytes as logged.
/// - An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, what Apache on a dual-stack socket
///   logs): the IPv4 address's key.
/// - Any other IPv6 address: its /64 network's, the FNV-1a of `a:b:c:d::/64` (its first four
///   pieces in lower-case hex without leading zeros). One /64 is one subscriber line or one
///   phone: privacy extensions (RFC 8981) give the same browser a new address every day, and
///   anyone given a /64 can send from 2^64 addresses of it — counted by address, one person
///   made "50 clients" for an origin of their own, and the few-clients rule held nothing back.
package enum ClientKey {
    package static func hash(_ address: ByteSlice) -> UInt64 {
        address.withBuffer { b in
            // safe because: every index below is checked against b.count before it is read.
            let n = b.count
            // Dotted-quad IPv4, nearly every line: a dot within its first four bytes.
            if n > 3 && (b[1] == UInt8(ascii: ".") || b[2] == UInt8(ascii: ".") || b[3] == UInt8(ascii: ".")) {
                return fnv1a(b, from: 0)
            }
            // An IPv6 text form has a colon among its first five bytes (a piece has at most
            // four hex digits); IPv4 and names almost never do: one short look for them.
            var colon = false
            for i in 0..<min(n, 5) where b[i] == UInt8(ascii: ":") {
                colon = true
                break
            }
            guard colon else { return fnv1a(b, from: 0) }
            if n > 7, isMappedPrefix(b), b[7...].contains(UInt8(ascii: ".")) { return fnv1a(b, from: 7) }
            guard let network = network64(b) else { return fnv1a(b, from: 0) }
            var h = fnvBasis
            for k in 0..<4 {
                let piece = network[k]
                if k > 0 { h = fnvStep(h, UInt8(ascii: ":")) }
                var started = false
                for shift in stride(from: 12, through: 0, by: -4) {
                    let digit = Int((piece >> UInt16(shift)) & 0xF)
                    if digit == 0 && !started && shift > 0 { continue }
                    started = true
                    h = fnvStep(h, hexDigits[digit])
                }
            }
            for byte in "::/64".utf8 { h = fnvStep(h, byte) }
            return h
        }
    }

    /// The first four 16-bit pieces of an IPv6 address in RFC 4291 §2.2 text form without an
    /// embedded IPv4 part or a zone; nil for anything else.
    ///
    ///     ipv6 = h16 7( ":" h16 ) / [ h16 *( ":" h16 ) ] "::" [ h16 *( ":" h16 ) ]
    ///     h16  = 1*4HEXDIG
    package static func network64(_ b: UnsafeBufferPointer<UInt8>) -> SIMD4<UInt16>? {
        let n = b.count
        // The pieces before "::" and after it (no allocation: this runs for every IPv6 line).
        var head = SIMD8<UInt16>(), tail = SIMD8<UInt16>()
        var headCount = 0, tailCount = 0
        var compressed = false
        var i = 0
        if n >= 2 && b[0] == UInt8(ascii: ":") && b[1] == UInt8(ascii: ":") {
            compressed = true
            i = 2
        } else if n == 0 || b[0] == UInt8(ascii: ":") {
            return nil
        }
        while i < n {
            var value: UInt16 = 0
            var digits = 0
            while i < n, digits < 4, let d = hexValue(b[i]) {
                value = value << 4 | d
                digits += 1
                i += 1
            }
            guard digits > 0, headCount + tailCount < 8 else { return nil }
            if compressed {
                tail[tailCount] = value
                tailCount += 1
            } else {
                head[headCount] = value
                headCount += 1
            }
            if i == n { break }
            guard b[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            if i < n && b[i] == UInt8(ascii: ":") {
                guard !compressed else { return nil }
                compressed = true
                i += 1
            } else if i == n {
                return nil
            }
        }
        guard compressed ? headCount + tailCount <= 7 : headCount == 8 else { return nil }
        var network = SIMD4<UInt16>()
        let tailStart = 8 - tailCount
        for k in 0..<4 {
            network[k] = k < headCount ? head[k] : (k >= tailStart ? tail[k - tailStart] : 0)
        }
        return network
    }

    private static let mappedPrefix = Array("::ffff:".utf8)

    /// Whether `b` (at least 7 bytes) starts with `::ffff:`, in any case.
    private static func isMappedPrefix(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for i in 0..<mappedPrefix.count where b[i].asciiLowercased != mappedPrefix[i] { return false }
        return true
    }

    @inline(__always)
    private static func hexValue(_ c: UInt8) -> UInt16? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt16(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt16(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt16(c - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
    private static let fnvBasis: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always)
    private static func fnvStep(_ h: UInt64, _ byte: UInt8) -> UInt64 {
        (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }

    /// `ByteSlice.fnv1a` of `b[from...]`.
    @inline(__always)
    private static func fnv1a(_ b: UnsafeBufferPointer<UInt8>, from: Int) -> UInt64 {
        var h = fnvBasis
        for i in from..<b.count { h = fnvStep(h, b[i]) }
        return h
    }
}
