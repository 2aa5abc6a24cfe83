extension Origin {
    /// The origin of an absolute URL in a Referer header
    /// (`https://app.example.com/page?q=1` → `https://app.example.com`).
    ///
    ///     referer   = scheme "://" authority [ ( "/" / "?" / "#" ) *VCHAR ]
    ///     authority = host [ ":" port ]        ; exactly as in `parse`
    ///
    /// Path, query and fragment are allowed (and dropped), but the whole value
    /// must still be free of whitespace, controls and non-ASCII bytes: browsers
    /// percent-encode those in URLs. User info is rejected (browsers strip it
    /// from a referrer, so it is forged), and so are `""`, `-`, relative
    /// references (`/page`), non-hierarchical URLs (`about:client`, `data:`)
    /// and Android app referrers (`android-app://com.example/`, which Chrome
    /// sets for navigations from an app and which never is a CORS origin).
    /// Other hierarchical schemes are kept (`capacitor://localhost/`). A
    /// Referer never yields `.null`.
    package static func fromReferer(_ value: ByteSlice) -> OriginValue {
        let n = value.count
        if n == 0 || value.equals("-") { return .invalid(.empty) }
        var colon = -1
        for i in 0..<n {
            let b = value[i]
            switch forbiddenByteReason(b) {
            case .some(let why) where why == .whitespace || why == .controlOrNonASCII:
                return .invalid(why)
            default:
                break
            }
            if colon < 0 && b == UInt8(ascii: ":") { colon = i }
        }
        guard colon > 0, colon + 2 < n,
              value[colon + 1] == UInt8(ascii: "/"), value[colon + 2] == UInt8(ascii: "/")
        else { return .invalid(.missingScheme) }
        // Scheme bytes are checked by the origin parser; only relative
        // references ("/a:b", "?x://") are told apart here.
        for i in 0..<colon {
            let b = value[i]
            if b == UInt8(ascii: "/") || b == UInt8(ascii: "?") || b == UInt8(ascii: "#") { return .invalid(.missingScheme) }
        }
        if value.slice(0, colon).equalsIgnoringASCIICase("android-app") { return .invalid(.appReferrer) }

        var end = n
        for i in (colon + 3)..<n {
            let b = value[i]
            if b == UInt8(ascii: "/") || b == UInt8(ascii: "?") || b == UInt8(ascii: "#") {
                end = i
                break
            }
        }
        switch parseSerialized(value.slice(0, end)) {
        case .origin(let origin): return .origin(origin)
        case .null: return .invalid(.missingScheme)  // unreachable: the prefix contains "://"
        case .invalid(let why): return .invalid(why)
        }
    }

    /// Same rules as `fromReferer(_: ByteSlice)`, for files and tests.
    package static func fromReferer(_ value: String) -> OriginValue {
        var copy = value
        return copy.withUTF8 { buffer in
            // safe because: the slice is used only inside this closure, while
            // `copy`'s contiguous UTF-8 storage is alive and unchanged.
            fromReferer(ByteSlice(buffer))
        }
    }
}
