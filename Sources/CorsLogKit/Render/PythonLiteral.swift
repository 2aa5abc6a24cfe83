/// Python string literals for the Python targets (Flask-CORS, django-cors-headers).
///
/// The values are validated origins, anchored regexes built from them, method
/// and header names and path prefixes: printable ASCII without quotes. Anything
/// else would be a bug, so it stops here rather than write a broken or
/// injectable Python file.
package enum PythonLiteral {
    /// `"text"`; no quote, backslash or control byte may occur.
    package static func string(_ s: String) -> String {
        for b in s.utf8 {
            precondition(b >= 0x20 && b < 0x7f && b != UInt8(ascii: "\"") && b != UInt8(ascii: "'")
                && b != UInt8(ascii: "\\"), "Python renderer got a value outside the validated character set")
        }
        return "\"" + s + "\""
    }

    /// `r"regex"`: a raw string, so the regex's backslashes stay as written. No
    /// quote, space or control byte, and no trailing backslash (it would escape
    /// the closing quote).
    package static func raw(_ s: String) -> String {
        for b in s.utf8 {
            precondition(b > 0x20 && b < 0x7f && b != UInt8(ascii: "\"") && b != UInt8(ascii: "'"),
                         "Python renderer got a value outside the validated character set")
        }
        precondition(!s.hasSuffix("\\"), "Python renderer got a regex ending in a backslash")
        return "r\"" + s + "\""
    }

    /// A regex anchored `^…$` turned into `^…\Z`: Python's `$` also matches
    /// before a trailing newline, `\Z` only at the very end.
    package static func endAnchored(_ anchoredRegex: String) -> String {
        precondition(anchoredRegex.hasPrefix("^") && anchoredRegex.hasSuffix("$"), "expected an anchored regex")
        return String(anchoredRegex.dropLast()) + "\\Z"
    }

    /// `["a", "b"]` of plain strings.
    package static func list(_ items: [String]) -> String {
        "[" + items.map(string).joined(separator: ", ") + "]"
    }
}
