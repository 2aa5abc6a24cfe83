/// A request header name a preflight asked for, validated and lower-cased.
///
/// Header names reach generated configuration (`Access-Control-Allow-Headers`),
/// so this type can only be made by the validating initialiser. It is stricter
/// than the RFC 9110 token grammar on purpose:
///
///     header-name = ALNUM *62( ALNUM / "-" )      ; compared and stored lower-case
///
/// Real header names are letters, digits and hyphens; the other token
/// characters (`!#$%&'*+.^_`|~`) are legal but appear only in probes, and
/// several of them mean something in the configuration languages corslog
/// writes. A name outside this grammar is counted and never proposed.
package struct HeaderName: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    package let name: String

    package init?(_ bytes: ByteSlice) {
        guard bytes.count >= 1, bytes.count <= 63 else { return nil }
        var scalars = String.UnicodeScalarView()
        for i in 0..<bytes.count {
            let b = bytes[i].asciiLowercased
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                break
            case UInt8(ascii: "-") where i > 0:
                break
            default:
                return nil
            }
            scalars.append(Unicode.Scalar(b))
        }
        name = String(scalars)
    }

    package init?(_ string: String) {
        let bytes = Array(string.utf8)
        guard let made = bytes.withUnsafeBufferPointer({ HeaderName(ByteSlice($0)) }) else { return nil }
        self = made
    }

    package var description: String { name }

    package static func < (a: HeaderName, b: HeaderName) -> Bool { a.name < b.name }

    package init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = HeaderName(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "\"\(text)\" is not a header name (letters, digits and '-')"))
        }
        self = parsed
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(name)
    }

    /// Splits an `Access-Control-Request-Headers` value (`#field-name`, comma
    /// separated with optional whitespace) and calls `body` for each element:
    /// the valid name, or nil for an element that is not one.
    package static func forEach(inList value: ByteSlice, _ body: (HeaderName?) -> Void) {
        var start = 0
        var i = 0
        while i <= value.count {
            if i == value.count || value[i] == UInt8(ascii: ",") {
                var s = start
                var e = i
                while s < e && (value[s] == UInt8(ascii: " ") || value[s] == UInt8(ascii: "\t")) { s += 1 }
                while e > s && (value[e - 1] == UInt8(ascii: " ") || value[e - 1] == UInt8(ascii: "\t")) { e -= 1 }
                if e > s { body(HeaderName(value.slice(s, e))) }
                start = i + 1
            }
            i += 1
        }
    }
}
