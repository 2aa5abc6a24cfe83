/// A web origin exactly as a browser serialises it: `scheme://host[:port]`.
///
/// Every Origin and Referer in a log was written by whoever sent the request,
/// and this type is the only way a value from a log reaches generated server
/// configuration. So only the validating parser (`Origin.parse`,
/// `Origin.fromReferer`, decoding) creates one, and `serialized` is always the
/// strict RFC 6454 / WHATWG form: lower-case scheme and host, no default port,
/// no path, IPv6 in brackets in its canonical text form.
package struct Origin: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// `scheme://host[:port]`: the only text an origin holds (one string, on
    /// the heap when longer than 15 bytes; `scheme` and `host` are cut from it).
    package let serialized: String
    /// The port, 0 when absent or the scheme's default (a port is 1–65535).
    private let portNumber: UInt16
    package let hostKind: HostKind
    /// The UTF-8 lengths of the scheme (at most 64) and the host (at most 251:
    /// the whole origin is at most 255 bytes).
    private let schemeLength: UInt8
    private let hostLength: UInt8

    private init(scheme: String, host: String, port: Int?, hostKind: HostKind) {
        self.portNumber = UInt16(port ?? 0)
        self.hostKind = hostKind
        self.schemeLength = UInt8(scheme.utf8.count)
        self.hostLength = UInt8(host.utf8.count)
        // Made in storage of its own length: `+` leaves room to grow (about twice
        // the text), held for as long as the origin is tracked.
        let portText = port.map { ":" + String($0) } ?? ""
        var serialized = ""
        serialized.reserveCapacity(scheme.utf8.count + 3 + host.utf8.count + portText.utf8.count)
        serialized += scheme
        serialized += "://"
        serialized += host
        serialized += portText
        self.serialized = serialized
    }

    /// Lower-case, e.g. `https`.
    package var scheme: String {
        String(decoding: serialized.utf8.prefix(Int(schemeLength)), as: UTF8.self)
    }

    /// Lower-case; IPv6 as `[2001:db8::1]` in canonical form.
    package var host: String {
        String(decoding: serialized.utf8.dropFirst(Int(schemeLength) + 3).prefix(Int(hostLength)), as: UTF8.self)
    }

    /// nil when absent or the scheme's default (http/ws 80, https/wss 443).
    package var port: Int? { portNumber == 0 ? nil : Int(portNumber) }

    /// Everything else follows from `serialized`.
    package static func == (a: Origin, b: Origin) -> Bool { a.serialized == b.serialized }
    package func hash(into hasher: inout Hasher) { hasher.combine(serialized) }

    package var description: String { serialized }

    /// https or wss.
    package var isSecure: Bool { let s = scheme; return s == "https" || s == "wss" }

    /// http or https.
    package var isWebScheme: Bool { let s = scheme; return s == "http" || s == "https" }

    package static func < (a: Origin, b: Origin) -> Bool { a.serialized < b.serialized }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(serialized)
    }

    /// Decodes a serialised origin, running the strict parser: anything a
    /// browser would not send (including `null`) throws.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        switch Origin.parse(text) {
        case .origin(let origin):
            self = origin
        case .null:
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected an origin scheme://host[:port], found \"null\" (not an allowable origin)")
        case .invalid(let why):
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "expected an origin scheme://host[:port], found \(String(reflecting: text)) which \(why.explanation)")
        }
    }
}

/// What kind of host an `Origin` has.
package enum HostKind: Sendable, Hashable {
    case domain, ipv4, ipv6
}

/// The result of reading an Origin (or Referer) value from a log.
package enum OriginValue: Hashable, Sendable {
    case origin(Origin)
    /// Exactly `null`: an opaque origin (sandboxed iframe, file:, data:, after a cross-origin redirect).
    case null
    case invalid(OriginRejection)
}

// MARK: - Parsing

extension Origin {
    /// Parses an Origin header value as a browser sends it. Normalises case of
    /// scheme and host and drops the default port
    /// (`HTTPS://App.Example.COM:443` → `https://app.example.com`); exactly
    /// `null` → `.null` (browsers never send another spelling, so `NULL` is
    /// invalid); `-` (the log's empty marker) → `.invalid(.empty)`; anything
    /// else that is not a serialised origin → `.invalid`.
    package static func parse(_ value: ByteSlice) -> OriginValue {
        if value.equals("null") { return .null }
        if value.equalsIgnoringASCIICase("null") { return .invalid(.nullWrongCase) }
        if value.equals("-") { return .invalid(.empty) }
        return parseSerialized(value)
    }

    /// Same rules as `parse(_: ByteSlice)`, for flags, files and tests.
    package static func parse(_ value: String) -> OriginValue {
        var copy = value
        return copy.withUTF8 { buffer in
            // safe because: the slice is used only inside this closure, while
            // `copy`'s contiguous UTF-8 storage is alive and unchanged.
            parse(ByteSlice(buffer))
        }
    }

    /// Schemes whose URLs have an opaque origin: a browser sends `null` for them.
    private static let opaqueSchemes: Set<String> = ["file", "data", "blob", "about", "javascript"]

    /// The strict grammar of a serialised origin (RFC 6454 §6.2, WHATWG URL
    /// "ASCII serialization of an origin"), as browsers send it:
    ///
    ///     origin    = scheme "://" host [ ":" port ]
    ///     scheme    = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )        ; any scheme (chrome-extension, capacitor)
    ///     host      = dns-name / ipv4 / "[" ipv6 "]"
    ///     dns-name  = label *( "." label )                              ; ≤ 253 bytes (implied by the 255-byte
    ///                                                                   ; limit on the whole value), no trailing dot
    ///     label     = 1*63( ALPHA / DIGIT / "-" ), not starting or ending with "-"
    ///                                                                   ; no "_", no "%", no non-ASCII (IDNs are "xn--")
    ///     ipv4      = dec-octet 3( "." dec-octet )                      ; 0–255, no leading zeros, exactly 4 parts
    ///     ipv6      = RFC 4291 text form                                 ; re-serialised canonically (RFC 5952 / WHATWG)
    ///     port      = 1*5DIGIT                                          ; 1–65535, no sign, no leading zero
    ///
    /// A host whose last label is a number (`1.2.3`, `0x7f.1`, `a.123`) is
    /// taken as an IPv4 address, as WHATWG URL does, and must then be a strict
    /// dotted quad. Case of scheme and host is folded; the default port of
    /// http/ws (80) and https/wss (443) is dropped. Anything else — whitespace,
    /// controls, bytes ≥ 0x80, quotes, `` ` ``, `\`, `$`, `%`, `*`, `,`, `@`, a path
    /// (even `/`), `?`, `#` — is rejected with the reason.
    static func parseSerialized(_ v: ByteSlice) -> OriginValue {
        let n = v.count
        if n == 0 { return .invalid(.empty) }
        if n > 255 { return .invalid(.tooLong) }
        for i in 0..<n {
            if let why = forbiddenByteReason(v[i]) { return .invalid(why) }
        }

        // scheme "://"
        var colon = -1
        for i in 0..<n where v[i] == UInt8(ascii: ":") {
            colon = i
            break
        }
        guard colon >= 0, colon + 2 < n,
              v[colon + 1] == UInt8(ascii: "/"), v[colon + 2] == UInt8(ascii: "/")
        else { return .invalid(.missingScheme) }
        guard let scheme = lowercasedScheme(v.slice(0, colon)) else { return .invalid(.badScheme) }
        if opaqueSchemes.contains(scheme) { return .invalid(.opaqueScheme) }

        // authority = host [ ":" port ], up to the first "/", "?" or "#"
        let start = colon + 3
        var end = n
        for i in start..<n {
            let b = v[i]
            if b == UInt8(ascii: "/") || b == UInt8(ascii: "?") || b == UInt8(ascii: "#") {
                end = i
                break
            }
        }
        for i in start..<end where v[i] == UInt8(ascii: "@") { return .invalid(.userinfo) }
        if end < n { return .invalid(v[end] == UInt8(ascii: "/") ? .hasPath : .hasQueryOrFragment) }
        if start == end { return .invalid(.missingHost) }

        let host: String
        let kind: HostKind
        var portStart = -1  // index after ":" when a port is present
        if v[start] == UInt8(ascii: "[") {
            var close = -1
            for i in start..<end where v[i] == UInt8(ascii: "]") {
                close = i
                break
            }
            guard close > start, let pieces = ipv6Pieces(v.slice(start + 1, close)) else { return .invalid(.badIPv6) }
            host = "[" + serializeIPv6(pieces) + "]"
            kind = .ipv6
            if close + 1 < end {
                guard v[close + 1] == UInt8(ascii: ":") else { return .invalid(.badHost) }
                portStart = close + 2
            }
        } else {
            var hostEnd = end
            var colons = 0
            for i in start..<end where v[i] == UInt8(ascii: ":") {
                if colons == 0 { hostEnd = i }
                colons += 1
            }
            if colons > 1 && hasOnlyHexBytes(v.slice(start, hostEnd)) {
                // "http://::1", "http://2001:db8::1": an IPv6 address without brackets.
                return .invalid(.badIPv6)
            }
            if hostEnd == start { return .invalid(.missingHost) }
            switch hostName(v.slice(start, hostEnd)) {
            case .success(let parsed):
                host = parsed.host
                kind = parsed.kind
            case .failure(let why):
                return .invalid(why)
            }
            if hostEnd < end { portStart = hostEnd + 1 }
        }

        var port: Int? = nil
        if portStart >= 0 {
            guard let p = portNumber(v.slice(portStart, end)) else { return .invalid(.badPort) }
            port = p
        }
        if let p = port, p == defaultPort(of: scheme) { port = nil }
        return .origin(Origin(scheme: scheme, host: host, port: port, hostKind: kind))
    }

    /// The reason a byte may not appear anywhere in a serialised origin, or nil.
    static func forbiddenByteReason(_ b: UInt8) -> OriginRejection? {
        switch b {
        case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, UInt8(ascii: " "): .whitespace
        case 0x00..<0x20, 0x7F...: .controlOrNonASCII
        case UInt8(ascii: "\""), UInt8(ascii: "'"): .quote
        case UInt8(ascii: "`"): .backtick
        case UInt8(ascii: "$"), UInt8(ascii: "\\"): .dollarOrBackslash
        case UInt8(ascii: "%"): .percentEncoded
        case UInt8(ascii: "*"): .wildcard
        case UInt8(ascii: ","): .multipleValues
        default: nil
        }
    }

    /// The scheme's default port, folded away: http/ws 80, https/wss 443.
    static func defaultPort(of scheme: String) -> Int? {
        switch scheme {
        case "http", "ws": 80
        case "https", "wss": 443
        default: nil
        }
    }

    /// `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`, lower-cased; nil if malformed.
    private static func lowercasedScheme(_ s: ByteSlice) -> String? {
        guard s.count > 0, s.count <= 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.count)
        for i in 0..<s.count {
            let b = s[i].asciiLowercased
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): break
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                if i == 0 { return nil }
            default: return nil
            }
            bytes.append(b)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hasOnlyPortBytes(_ s: ByteSlice) -> Bool {
        for i in 0..<s.count where !isDigit(s[i]) { return false }
        return true
    }

    private static func hasOnlyHexBytes(_ s: ByteSlice) -> Bool {
        for i in 0..<s.count where hexValue(s[i]) == nil { return false }
        return true
    }

    /// `1*5DIGIT`, 1–65535, no sign, no leading zero; nil otherwise (also when empty).
    private static func portNumber(_ s: ByteSlice) -> Int? {
        guard s.count >= 1, s.count <= 5, s[0] != UInt8(ascii: "0") else { return nil }
        var value = 0
        for i in 0..<s.count {
            guard isDigit(s[i]) else { return nil }
            value = value * 10 + Int(s[i] - UInt8(ascii: "0"))
        }
        return value <= 65535 ? value : nil
    }

    // MARK: Host names

    private struct ParsedHost {
        var host: String
        var kind: HostKind
    }

    /// A DNS name of LDH labels, or a strict dotted-quad IPv4 address when the
    /// last label is a number (WHATWG "ends in a number").
    private static func hostName(_ s: ByteSlice) -> Result<ParsedHost, OriginRejection> {
        let n = s.count
        // The last label, ignoring one trailing dot (as WHATWG does).
        var lastEnd = n
        if n > 0 && s[n - 1] == UInt8(ascii: ".") { lastEnd = n - 1 }
        var lastStart = 0
        var i = lastEnd
        while i > 0 {
            if s[i - 1] == UInt8(ascii: ".") {
                lastStart = i
                break
            }
            i -= 1
        }
        if endsInNumber(s.slice(lastStart, lastEnd)) {
            guard lastEnd == n, ipv4Octets(s) != nil else { return .failure(.badIPv4) }
            return .success(ParsedHost(host: s.string, kind: .ipv4))
        }

        // No separate check of DNS's 253-byte limit: the whole origin is at
        // most 255 bytes, of which "x://" takes 4.
        var bytes = [UInt8](repeating: 0, count: n)
        var labelStart = 0
        for i in 0...n {
            if i == n || s[i] == UInt8(ascii: ".") {
                let length = i - labelStart
                if length == 0 {
                    return .failure(i == n && n > 0 ? .trailingDot : .emptyLabel)
                }
                if length > 63 { return .failure(.labelTooLong) }
                if bytes[labelStart] == UInt8(ascii: "-") || bytes[i - 1] == UInt8(ascii: "-") {
                    return .failure(.hyphenAtLabelEdge)
                }
                if i < n { bytes[i] = UInt8(ascii: ".") }
                labelStart = i + 1
                continue
            }
            let b = s[i].asciiLowercased
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                bytes[i] = b
            case UInt8(ascii: "_"):
                return .failure(.underscore)
            default:
                return .failure(.badHost)
            }
        }
        return .success(ParsedHost(host: String(decoding: bytes, as: UTF8.self), kind: .domain))
    }

    /// WHATWG "ends in a number": all digits, or "0x"/"0X" and hex digits.
    private static func endsInNumber(_ label: ByteSlice) -> Bool {
        let n = label.count
        guard n > 0 else { return false }
        if hasOnlyPortBytes(label) { return true }
        guard n >= 2, label[0] == UInt8(ascii: "0"), label[1].asciiLowercased == UInt8(ascii: "x") else { return false }
        for i in 2..<n where hexValue(label[i]) == nil { return false }
        return true
    }

    @inline(__always) private static func isDigit(_ b: UInt8) -> Bool {
        b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")
    }

    @inline(__always) private static func hexValue(_ b: UInt8) -> UInt16? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt16(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt16(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt16(b - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    // MARK: IP addresses

    /// `dec-octet "." dec-octet "." dec-octet "." dec-octet`, each 0–255 in
    /// decimal without leading zeros; nil for anything else.
    static func ipv4Octets(_ s: ByteSlice) -> [UInt8]? {
        var octets: [UInt8] = []
        octets.reserveCapacity(4)
        var value = 0
        var digits = 0
        for i in 0...s.count {
            if i == s.count || s[i] == UInt8(ascii: ".") {
                guard digits > 0, octets.count < 4 else { return nil }
                octets.append(UInt8(value))
                value = 0
                digits = 0
                continue
            }
            let b = s[i]
            guard isDigit(b) else { return nil }
            if digits == 1 && value == 0 { return nil }  // leading zero
            value = value * 10 + Int(b - UInt8(ascii: "0"))
            digits += 1
            if value > 255 { return nil }
        }
        return octets.count == 4 ? octets : nil
    }

    /// The eight 16-bit pieces of an IPv6 address in RFC 4291 §2.2 text form
    /// (WHATWG "IPv6 parser"):
    ///
    ///     ipv6 = h16 7( ":" h16 ) / [ h16 *( ":" h16 ) ] "::" [ h16 *( ":" h16 ) ]
    ///          , where the last two pieces may be written as a strict dotted quad
    ///     h16  = 1*4HEXDIG
    ///
    /// No zone identifier (`%` never reaches here). nil when malformed.
    static func ipv6Pieces(_ s: ByteSlice) -> [UInt16]? {
        let n = s.count
        var pieces = [UInt16](repeating: 0, count: 8)
        var pieceIndex = 0
        var compress: Int? = nil
        var p = 0
        if p < n && s[p] == UInt8(ascii: ":") {
            guard p + 1 < n, s[p + 1] == UInt8(ascii: ":") else { return nil }
            p += 2
            pieceIndex += 1
            compress = pieceIndex
        }
        while p < n {
            guard pieceIndex < 8 else { return nil }
            if s[p] == UInt8(ascii: ":") {
                guard compress == nil else { return nil }
                p += 1
                pieceIndex += 1
                compress = pieceIndex
                continue
            }
            var value: UInt16 = 0
            var length = 0
            while length < 4, p < n, let h = hexValue(s[p]) {
                value = value &* 16 &+ h
                p += 1
                length += 1
            }
            if p < n && s[p] == UInt8(ascii: ".") {
                // The last 32 bits as a dotted quad: "::ffff:192.0.2.1".
                guard length > 0, pieceIndex <= 6, let octets = ipv4Octets(s.slice(p - length, n)) else { return nil }
                pieces[pieceIndex] = UInt16(octets[0]) << 8 | UInt16(octets[1])
                pieces[pieceIndex + 1] = UInt16(octets[2]) << 8 | UInt16(octets[3])
                pieceIndex += 2
                p = n
                break
            }
            guard length > 0 else { return nil }
            if p < n {
                guard s[p] == UInt8(ascii: ":") else { return nil }
                p += 1
                guard p < n else { return nil }  // a single trailing ":"
            }
            pieces[pieceIndex] = value
            pieceIndex += 1
        }
        if let compress {
            var swaps = pieceIndex - compress
            var i = 7
            while i != 0 && swaps > 0 {
                pieces.swapAt(i, compress + swaps - 1)
                i -= 1
                swaps -= 1
            }
        } else if pieceIndex != 8 {
            return nil
        }
        return pieces
    }

    /// The canonical text form (RFC 5952 §4, WHATWG "IPv6 serializer"):
    /// lower-case hex without leading zeros, the first longest run of two or
    /// more zero pieces written `::`. Unlike glibc's inet_ntop it never writes
    /// a dotted quad (`::ffff:c000:201`), because that is what browsers send.
    static func serializeIPv6(_ pieces: [UInt16]) -> String {
        var bestStart = -1
        var bestLength = 1
        var i = 0
        while i < 8 {
            if pieces[i] == 0 {
                var j = i
                while j < 8 && pieces[j] == 0 { j += 1 }
                if j - i > bestLength {
                    bestStart = i
                    bestLength = j - i
                }
                i = j
            } else {
                i += 1
            }
        }
        var out = ""
        i = 0
        while i < 8 {
            if i == bestStart {
                out += "::"
                i += bestLength
                continue
            }
            if !out.isEmpty && !out.hasSuffix(":") { out += ":" }
            out += String(pieces[i], radix: 16)
            i += 1
        }
        return out
    }

    /// The octets of an IPv4 host as stored in `host` (nil for other kinds).
    var ipv4Octets: [UInt8]? {
        guard hostKind == .ipv4 else { return nil }
        var text = host
        return text.withUTF8 { buffer in
            // safe because: the slice does not escape this closure, during
            // which `text`'s UTF-8 storage is alive and unchanged.
            Origin.ipv4Octets(ByteSlice(buffer))
        }
    }

    /// The pieces of an IPv6 host as stored in `host` (nil for other kinds).
    var ipv6Pieces: [UInt16]? {
        guard hostKind == .ipv6 else { return nil }
        var text = host
        return text.withUTF8 { buffer in
            // safe because: the slice does not escape this closure, during
            // which `text`'s UTF-8 storage is alive and unchanged; the
            // brackets are stripped by slicing inside its bounds.
            let s = ByteSlice(buffer)
            return s.count >= 2 ? Origin.ipv6Pieces(s.slice(1, s.count - 1)) : nil
        }
    }
}
