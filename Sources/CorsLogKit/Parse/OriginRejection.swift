/// Why an `Origin` or `Referer` value from a log is not a browser-sent origin.
///
/// Every value in a log was written by whoever sent the request, so a rejection
/// is ordinary data (counted and reported), never an error that stops a run.
/// The raw values are stable: they appear in the JSON report.
package enum OriginRejection: String, Sendable, CaseIterable, Codable, Hashable, Error {
    /// Nothing, or the log's empty marker `-`.
    case empty
    /// More than 255 bytes (scheme, host and port together). This also keeps
    /// every host name within DNS's 253 bytes.
    case tooLong
    /// A byte below 0x20, DEL, or a byte ≥ 0x80 (browsers send IDNs as punycode).
    case controlOrNonASCII
    /// Space, tab, CR, LF, VT or FF.
    case whitespace
    /// `"` or `'`.
    case quote
    /// `` ` `` — a classic parser trick (`https://a.example`.evil`).
    case backtick
    /// `$` or `\`.
    case dollarOrBackslash
    /// `%`: browsers never percent-encode an origin (`https://a.example%60.evil`).
    case percentEncoded
    /// `*`: a pattern, not an origin.
    case wildcard
    /// `,`: several values merged into one header (`https://a.example, https://b.example`).
    case multipleValues
    /// `NULL`, `Null`…: browsers send exactly `null`.
    case nullWrongCase
    /// No `scheme://` at the start (`a.example`, `localhost:3000`, `about:blank`, `/page`).
    case missingScheme
    /// The part before `://` is not `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`.
    case badScheme
    /// A scheme whose origin is opaque (`file://…`): browsers send `null` for it.
    case opaqueScheme
    /// A Referer naming an Android app (`android-app://com.example/`), not a web page.
    case appReferrer
    /// `user[:password]@` before the host.
    case userinfo
    /// Anything after `host[:port]` starting with `/`, including a lone `/`.
    case hasPath
    /// `?` or `#` after `host[:port]`.
    case hasQueryOrFragment
    /// Nothing between `://` and the port or the end.
    case missingHost
    /// A host byte outside `[a-z0-9.-]` (after case folding).
    case badHost
    /// `_` in the host name.
    case underscore
    /// A host label that starts or ends with `-`.
    case hyphenAtLabelEdge
    /// `..`, or a leading dot.
    case emptyLabel
    /// A dot after the last host label (`https://a.example.`).
    case trailingDot
    /// A host label longer than 63 bytes.
    case labelTooLong
    /// A host ending in a number that is not a strict dotted quad (`1.2.3`, `01.2.3.4`, `0x7f.0.0.1`).
    case badIPv4
    /// A bracketed host that is not an IPv6 address, or an IPv6 address without brackets.
    case badIPv6
    /// An empty port, a sign, a leading zero, more than 5 digits, 0, or above 65535.
    case badPort

    /// A short phrase for people, to follow the value: "`https://a.example/` has a path (browsers never send one)".
    package var explanation: String {
        switch self {
        case .empty: "is empty (or the log's `-` placeholder)"
        case .tooLong: "is longer than 255 bytes"
        case .controlOrNonASCII: "contains a control or non-ASCII byte (browsers send IDNs as punycode xn--)"
        case .whitespace: "contains whitespace"
        case .quote: "contains a quote"
        case .backtick: "contains a backtick (a parser trick)"
        case .dollarOrBackslash: "contains $ or \\ (a parser trick)"
        case .percentEncoded: "contains % (browsers never percent-encode an origin)"
        case .wildcard: "contains * (an origin names exactly one site)"
        case .multipleValues: "contains , (several values merged into one header)"
        case .nullWrongCase: "spells null in upper case (browsers send exactly `null`)"
        case .missingScheme: "is not of the form scheme://host"
        case .badScheme: "has a malformed scheme"
        case .opaqueScheme: "uses a scheme whose origin browsers send as null"
        case .appReferrer: "names an Android app, not a web origin"
        case .userinfo: "has user info before @ (browsers never send one)"
        case .hasPath: "has a path (browsers never send one)"
        case .hasQueryOrFragment: "has a query or fragment (browsers never send one)"
        case .missingHost: "has no host"
        case .badHost: "has a character not allowed in a host name"
        case .underscore: "has _ in the host name"
        case .hyphenAtLabelEdge: "has a host label starting or ending with -"
        case .emptyLabel: "has an empty host label"
        case .trailingDot: "has a dot after the host name"
        case .labelTooLong: "has a host label longer than 63 bytes"
        case .badIPv4: "has a host ending in a number that is not a dotted-quad IPv4 address"
        case .badIPv6: "has a malformed IPv6 address (it must be in [brackets])"
        case .badPort: "has a malformed or out-of-range port"
        }
    }
}
