/// Why one line did not parse. Creating one costs a few stores (no String is
/// built until `description` is read), so a parser can return one per line.
package struct ParseFailure: Error, Sendable, CustomStringConvertible {
    package enum Kind: UInt8, Sendable {
        /// The line is empty.
        case emptyLine
        /// The text the format starts with is not at the start of the line.
        case leadingText
        /// The literal that follows field `field` was not found after it.
        case missingLiteral
        /// More text follows the format's end, not separated by a space.
        case textAfterEnd
        /// A time field holds something that is not a time of its shape.
        case badTime
        /// A JSON-lines line does not start with `{`.
        case notJSONObject
        /// A JSON-lines line breaks the JSON grammar at `offset`.
        case badJSON
        /// Text follows the JSON object.
        case textAfterJSON
        /// The JSON nests deeper than the scanner follows.
        case jsonTooDeep
    }

    package let kind: Kind
    /// The index of the format field concerned (in `LogFormat` order), or -1.
    package let field: Int
    /// Byte offset (0-based) into the line where the problem was seen.
    package let offset: Int
    /// Names and literals of the format, shared by all failures of one format.
    let context: FailureContext?

    init(_ kind: Kind, field: Int = -1, offset: Int, context: FailureContext? = nil) {
        self.kind = kind
        self.field = field
        self.offset = offset
        self.context = context
    }

    /// Byte positions are shown 1-based, as editors count columns.
    package var description: String {
        let at = "at byte \(offset + 1)"
        let name = context.flatMap { field >= 0 && field < $0.fieldNames.count ? $0.fieldNames[field] : nil } ?? "field \(field + 1)"
        switch kind {
        case .emptyLine:
            return "line is empty"
        case .leadingText:
            return "expected '\(context?.leading ?? "")' at the start of the line"
        case .missingLiteral:
            let literal = context.flatMap { field >= 0 && field < $0.literalsAfter.count ? $0.literalsAfter[field] : nil } ?? ""
            return "expected '\(literal)' after \(name) \(at)"
        case .textAfterEnd:
            return "unexpected text \(at) after the format's last field (extra fields must follow a space)"
        case .badTime:
            let shape = context.flatMap { field >= 0 && field < $0.timeExamples.count ? $0.timeExamples[field] : nil }
            return "\(name) \(at) is not a time" + (shape.map { " (expected \($0))" } ?? "")
        case .notJSONObject:
            return "line is not a JSON object"
        case .badJSON:
            return "line is not valid JSON: unexpected byte \(at)"
        case .textAfterJSON:
            return "unexpected text \(at) after the JSON object"
        case .jsonTooDeep:
            return "JSON nests more than \(JSONLineScanner.maxDepth) levels \(at)"
        }
    }
}

/// The display names a format's failures refer to (immutable, shared).
final class FailureContext: Sendable {
    /// Per field: `$request`, `%{Referer}i`, `time`…
    let fieldNames: [String]
    /// Per field: the literal expected after it, printable (control bytes as `\xHH`).
    let literalsAfter: [String]
    /// Per field: the expected time form, for time fields.
    let timeExamples: [String?]
    /// The literal the format starts with.
    let leading: String

    init(fieldNames: [String], literalsAfter: [String], timeExamples: [String?], leading: String) {
        self.fieldNames = fieldNames
        self.literalsAfter = literalsAfter
        self.timeExamples = timeExamples
        self.leading = leading
    }

    /// Literal bytes for a message: printable ASCII as is, others as `\xHH`.
    static func printable(_ bytes: [UInt8]) -> String {
        var s = ""
        for b in bytes {
            if b >= 0x20 && b < 0x7F {
                s.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                s += "\\x"
                s.unicodeScalars.append(hex[Int(b >> 4)])
                s.unicodeScalars.append(hex[Int(b & 15)])
            }
        }
        return s
    }
}
