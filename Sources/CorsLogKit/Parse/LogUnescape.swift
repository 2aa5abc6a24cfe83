/// How a server escaped the bytes of a logged value, and the undoing of it.
///
/// Every unescaper writes at most as many bytes as it reads, so a scratch
/// buffer as long as the line always holds all the unescaped values of it.
enum LogEscaping: UInt8, Sendable {
    /// nginx `escape=default` and Apache mod_log_config. nginx writes `"`, `\`
    /// and bytes < 0x20 or > 0x7e as `\xHH`; Apache (ap_escape_logitem) writes
    /// `\"` `\\` `\b` `\n` `\r` `\t` `\v` and `\xhh`. nginx never leaves a bare
    /// `\` in a value, so one decoder serves both, and the shared `combined` /
    /// `common` presets read either server's log.
    case backslash
    /// nginx `escape=json`: `\"` `\\` `\n` `\r` `\t` `\b` `\f` `\u00HH`; and
    /// JSON lines (RFC 8259 strings, `\uXXXX` with surrogate pairs, `\/`).
    case json
    /// nginx `escape=none`: bytes as they came.
    case none
}

/// The unescapers.
///
/// Safe because: every function here reads only `src` (a valid buffer) and writes
/// `dst[0..<k]` with k never above the number of bytes read, and the caller hands a
/// `dst` with room for `src.count` bytes (the line-sized scratch buffer).
enum LogUnescape {
    /// Unescapes `src` into `dst` (which has room for `src.count` bytes) and
    /// returns the number of bytes written.
    @inline(__always)
    static func unescape(_ escaping: LogEscaping, _ src: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutablePointer<UInt8>) -> Int {
        switch escaping {
        case .backslash: backslash(src, into: dst)
        case .json: json(src, into: dst)
        case .none: copy(src, into: dst)
        }
    }

    static func copy(_ src: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutablePointer<UInt8>) -> Int {
        guard let s = src.baseAddress else { return 0 }
        // safe because: dst has room for src.count bytes (caller's contract).
        dst.update(from: s, count: src.count)
        return src.count
    }

    /// `\xHH` (either case), `\"`, `\\`, `\b`, `\n`, `\r`, `\t`, `\v`; any other
    /// backslash is kept as written.
    static func backslash(_ src: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutablePointer<UInt8>) -> Int {
        let n = src.count
        var i = 0
        var o = 0
        while i < n {
            let c = src[i]
            if c == UInt8(ascii: "\\") && i + 1 < n {
                let e = src[i + 1]
                switch e {
                case UInt8(ascii: "x"), UInt8(ascii: "X"):
                    if i + 3 < n, let hi = hexValue(src[i + 2]), let lo = hexValue(src[i + 3]) {
                        dst[o] = hi << 4 | lo; o += 1; i += 4; continue
                    }
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    dst[o] = e; o += 1; i += 2; continue
                case UInt8(ascii: "n"): dst[o] = 0x0A; o += 1; i += 2; continue
                case UInt8(ascii: "t"): dst[o] = 0x09; o += 1; i += 2; continue
                case UInt8(ascii: "r"): dst[o] = 0x0D; o += 1; i += 2; continue
                case UInt8(ascii: "b"): dst[o] = 0x08; o += 1; i += 2; continue
                case UInt8(ascii: "v"): dst[o] = 0x0B; o += 1; i += 2; continue
                default: break
                }
            }
            dst[o] = c
            o += 1
            i += 1
        }
        return o
    }

    /// JSON string escapes (RFC 8259 §7): `\"` `\\` `\/` `\b` `\f` `\n` `\r`
    /// `\t` `\uXXXX` (a surrogate pair becomes one code point; a lone surrogate
    /// becomes U+FFFD). A malformed escape is kept as written.
    static func json(_ src: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutablePointer<UInt8>) -> Int {
        let n = src.count
        var i = 0
        var o = 0
        while i < n {
            let c = src[i]
            if c == UInt8(ascii: "\\") && i + 1 < n {
                let e = src[i + 1]
                var simple: UInt8? = nil
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): simple = e
                case UInt8(ascii: "b"): simple = 0x08
                case UInt8(ascii: "f"): simple = 0x0C
                case UInt8(ascii: "n"): simple = 0x0A
                case UInt8(ascii: "r"): simple = 0x0D
                case UInt8(ascii: "t"): simple = 0x09
                case UInt8(ascii: "u"):
                    if let unit = hex4(src, i + 2) {
                        var scalar = unit
                        var consumed = 6
                        if unit >= 0xD800 && unit <= 0xDBFF {
                            if i + 7 < n, src[i + 6] == UInt8(ascii: "\\"), src[i + 7] == UInt8(ascii: "u"),
                               let low = hex4(src, i + 8), low >= 0xDC00 && low <= 0xDFFF {
                                scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                                consumed = 12
                            } else {
                                scalar = 0xFFFD
                            }
                        } else if unit >= 0xDC00 && unit <= 0xDFFF {
                            scalar = 0xFFFD
                        }
                        o += writeUTF8(scalar, to: dst + o)
                        i += consumed
                        continue
                    }
                default: break
                }
                if let s = simple {
                    dst[o] = s; o += 1; i += 2; continue
                }
            }
            dst[o] = c
            o += 1
            i += 1
        }
        return o
    }

    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c &- UInt8(ascii: "A") &+ 10
        default: nil
        }
    }

    static func hex4(_ src: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32? {
        guard at + 4 <= src.count else { return nil }
        var v: UInt32 = 0
        for k in at..<(at + 4) {
            guard let h = hexValue(src[k]) else { return nil }
            v = v << 4 | UInt32(h)
        }
        return v
    }

    /// Writes `scalar` as UTF-8 (1–4 bytes; never more than the 6 or 12 escape bytes it replaces).
    static func writeUTF8(_ scalar: UInt32, to d: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case 0..<0x80:
            d[0] = UInt8(scalar)
            return 1
        case 0x80..<0x800:
            d[0] = UInt8(0xC0 | scalar >> 6)
            d[1] = UInt8(0x80 | scalar & 0x3F)
            return 2
        case 0x800..<0x10000:
            d[0] = UInt8(0xE0 | scalar >> 12)
            d[1] = UInt8(0x80 | scalar >> 6 & 0x3F)
            d[2] = UInt8(0x80 | scalar & 0x3F)
            return 3
        default:
            d[0] = UInt8(0xF0 | scalar >> 18)
            d[1] = UInt8(0x80 | scalar >> 12 & 0x3F)
            d[2] = UInt8(0x80 | scalar >> 6 & 0x3F)
            d[3] = UInt8(0x80 | scalar & 0x3F)
            return 4
        }
    }
}
