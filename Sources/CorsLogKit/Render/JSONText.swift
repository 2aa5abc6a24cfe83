/// A JSON document built in a fixed key order and written either as JSON
/// (two-space indent) or as block-style YAML, for the cloud targets whose
/// configuration is data (API Gateway, S3, CloudFormation, OpenAPI).
///
/// `JSONReport` uses `JSONEncoder`, whose key order is sorted or undefined;
/// AWS documents its objects in a reading order (`AllowOrigins` first), and an
/// expected-output file needs one exact text, so the renderers write with this.
///
/// The values are validated types (origins, method and header names, path
/// prefixes, numbers) or text corslog itself writes, so every string must be
/// printable ASCII: anything else stops here (`precondition`) rather than
/// write a document that parses differently from what was meant. Strings are
/// always quoted, in JSON's syntax, which for printable ASCII is also YAML's
/// double-quoted syntax. `.block` holds multi-line text (a mapping template):
/// a JSON string with `\n` escapes, or a YAML literal block (`|`).
package indirect enum JSONText: Sendable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case block(String)
    case array([JSONText])
    case object([(String, JSONText)])

    /// `["a", "b"]` for a list of strings.
    package static func strings(_ values: [String]) -> JSONText { .array(values.map { .string($0) }) }

    // MARK: JSON

    /// The document as JSON, ending in a newline.
    package var json: String { json(indent: 0) + "\n" }

    private func json(indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        let inner = String(repeating: " ", count: indent + 2)
        switch self {
        case .string(let s): return Self.quoted(s)
        case .block(let s): return Self.quoted(s, allowNewlines: true)
        case .int(let n): return String(n)
        case .bool(let b): return b ? "true" : "false"
        case .array(let items):
            if items.isEmpty { return "[]" }
            // Short lists of scalars on one line, the way AWS's examples show them.
            if items.allSatisfy(\.isScalar) {
                let line = "[" + items.map { $0.json(indent: 0) }.joined(separator: ", ") + "]"
                if line.utf8.count + indent <= 100 { return line }
            }
            return "[\n" + items.map { inner + $0.json(indent: indent + 2) }.joined(separator: ",\n") + "\n" + pad + "]"
        case .object(let members):
            if members.isEmpty { return "{}" }
            return "{\n" + members.map { inner + Self.quoted($0.0) + ": " + $0.1.json(indent: indent + 2) }
                .joined(separator: ",\n") + "\n" + pad + "}"
        }
    }

    private var isScalar: Bool {
        switch self {
        case .string, .int, .bool: true
        case .block, .array, .object: false
        }
    }

    // MARK: YAML

    /// The document as block-style YAML lines, each indented by `indent`
    /// spaces (an object or array; a scalar is one line).
    package func yaml(indent: Int = 0) -> String {
        yamlLines(indent: indent).joined(separator: "\n")
    }

    private func yamlLines(indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        switch self {
        case .string, .int, .bool:
            return [pad + yamlScalar]
        case .block(let s):
            return [pad + "|"] + Self.blockLines(s, pad + "  ")
        case .array(let items):
            if items.isEmpty { return [pad + "[]"] }
            var out: [String] = []
            for item in items {
                switch item {
                case .string, .int, .bool: out.append(pad + "- " + item.yamlScalar)
                case .block(let s): out.append(pad + "- |"); out += Self.blockLines(s, pad + "    ")
                case .array, .object:
                    let sub = item.yamlLines(indent: indent + 2)
                    out.append(pad + "- " + sub[0].dropFirst(indent + 2))
                    out += sub.dropFirst()
                }
            }
            return out
        case .object(let members):
            if members.isEmpty { return [pad + "{}"] }
            var out: [String] = []
            for (key, value) in members {
                let k = pad + Self.yamlKey(key) + ":"
                switch value {
                case .string, .int, .bool: out.append(k + " " + value.yamlScalar)
                case .block(let s): out.append(k + " |"); out += Self.blockLines(s, pad + "  ")
                case .array(let items) where items.isEmpty: out.append(k + " []")
                case .object(let m) where m.isEmpty: out.append(k + " {}")
                case .array, .object:
                    out.append(k)
                    out += value.yamlLines(indent: indent + 2)
                }
            }
            return out
        }
    }

    private var yamlScalar: String {
        switch self {
        case .string(let s): Self.quoted(s)
        case .int(let n): String(n)
        case .bool(let b): b ? "true" : "false"
        case .block, .array, .object: preconditionFailure("not a scalar")
        }
    }

    /// A key plain when it cannot be read as anything but that string, else quoted.
    private static func yamlKey(_ key: String) -> String {
        let plainSafe = key.utf8.allSatisfy { b in
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
                || b == UInt8(ascii: ".") || b == UInt8(ascii: "/")
        }
        let first = key.utf8.first ?? 0
        let startsWithLetter = (first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z"))
            || (first >= UInt8(ascii: "A") && first <= UInt8(ascii: "Z"))
        let reserved: Set<String> = ["y", "n", "yes", "no", "on", "off", "true", "false", "null"]
        return plainSafe && startsWithLetter && !reserved.contains(key.lowercased()) ? key : quoted(key)
    }

    /// The lines of a literal block; none may be empty-but-indented or start a
    /// document marker, and the text has no trailing spaces.
    private static func blockLines(_ text: String, _ pad: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            for b in line.utf8 { precondition(b >= 0x20 && b < 0x7f, "block text outside printable ASCII") }
            precondition(!line.hasSuffix(" "), "block text with a trailing space")
            return line.isEmpty ? "" : pad + line
        }
    }

    // MARK: Strings

    /// A double-quoted JSON string (also a YAML double-quoted scalar).
    package static func quoted(_ s: String, allowNewlines: Bool = false) -> String {
        var out = "\""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out += "\\\""
            case UInt8(ascii: "\\"): out += "\\\\"
            case UInt8(ascii: "\n") where allowNewlines: out += "\\n"
            default:
                precondition(b >= 0x20 && b < 0x7f, "JSON text outside printable ASCII")
                out.unicodeScalars.append(Unicode.Scalar(b))
            }
        }
        return out + "\""
    }
}
