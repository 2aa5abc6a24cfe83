/// Reads directives out of server configuration text, just enough to find log
/// formats: nginx's token grammar and Apache's line grammar.
enum ConfigDirectiveScanner {
    struct Directive: Sendable {
        /// The words after unquoting, as bytes.
        var words: [[UInt8]]
        /// 1-based line of the first word.
        var line: Int
        var name: String { words.first.map { String(decoding: $0, as: UTF8.self) } ?? "" }
    }

    struct SyntaxError: Error {
        var line: Int
        var message: String
    }

    // MARK: nginx

    /// nginx.conf (ngx_conf_read_token): words separated by whitespace, ended by
    /// `;` or a block's `{`; `}` closes a block; `#` at the start of a word
    /// comments to the end of the line; `"…"` and `'…'` quote, with `\"` `\'`
    /// `\\` `\t` `\r` `\n` undone; `${` inside a word is not a block. At the end
    /// of the text, unfinished words still form a directive (a pasted
    /// `log_format` without its `;`).
    static func nginxDirectives(_ text: [UInt8]) throws(SyntaxError) -> [Directive] {
        var result: [Directive] = []
        var words: [[UInt8]] = []
        var firstLine = 1
        var line = 1
        var i = 0
        let n = text.count
        func emit() {
            if !words.isEmpty { result.append(Directive(words: words, line: firstLine)) }
            words = []
        }
        while i < n {
            let c = text[i]
            switch c {
            case UInt8(ascii: "\n"):
                line += 1; i += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                i += 1
            case UInt8(ascii: "#"):
                while i < n && text[i] != UInt8(ascii: "\n") { i += 1 }
            case UInt8(ascii: ";"), UInt8(ascii: "{"), UInt8(ascii: "}"):
                emit(); i += 1
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                if words.isEmpty { firstLine = line }
                let startLine = line
                var j = i + 1
                var raw: [UInt8] = []
                while j < n && text[j] != c {
                    if text[j] == UInt8(ascii: "\\") && j + 1 < n {
                        raw.append(text[j]); j += 1
                    }
                    if text[j] == UInt8(ascii: "\n") { line += 1 }
                    raw.append(text[j]); j += 1
                }
                guard j < n else {
                    throw SyntaxError(line: startLine, message: "a string opened with \(c == UInt8(ascii: "'") ? "'" : "\"") is never closed")
                }
                words.append(unescape(raw))
                i = j + 1
            default:
                if words.isEmpty { firstLine = line }
                var raw: [UInt8] = []
                var inBraces = false
                while i < n {
                    let d = text[i]
                    if d == UInt8(ascii: "\\") && i + 1 < n { raw.append(d); raw.append(text[i + 1]); i += 2; continue }
                    if d == UInt8(ascii: "{") && raw.last == UInt8(ascii: "$") { inBraces = true; raw.append(d); i += 1; continue }
                    if d == UInt8(ascii: "}") && inBraces { inBraces = false; raw.append(d); i += 1; continue }
                    if d == UInt8(ascii: " ") || d == UInt8(ascii: "\t") || d == UInt8(ascii: "\r") || d == UInt8(ascii: "\n")
                        || d == UInt8(ascii: ";") || d == UInt8(ascii: "{") || d == UInt8(ascii: "}") { break }
                    raw.append(d); i += 1
                }
                words.append(unescape(raw))
            }
        }
        emit()
        return result
    }

    /// `\"`, `\'`, `\\` to the character (the escapes any nginx.conf string may hold).
    static func unescapeNginx(_ raw: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            if raw[i] == UInt8(ascii: "\\"), i + 1 < raw.count,
               raw[i + 1] == UInt8(ascii: "\"") || raw[i + 1] == UInt8(ascii: "'") || raw[i + 1] == UInt8(ascii: "\\") {
                out.append(raw[i + 1]); i += 2; continue
            }
            out.append(raw[i]); i += 1
        }
        return out
    }

    private static func unescape(_ raw: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            if raw[i] == UInt8(ascii: "\\") && i + 1 < raw.count {
                switch raw[i + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "\\"): out.append(raw[i + 1]); i += 2; continue
                case UInt8(ascii: "t"): out.append(0x09); i += 2; continue
                case UInt8(ascii: "r"): out.append(0x0D); i += 2; continue
                case UInt8(ascii: "n"): out.append(0x0A); i += 2; continue
                default: break
                }
            }
            out.append(raw[i]); i += 1
        }
        return out
    }

    // MARK: Apache

    /// Apache config (ap_cfg_getline / ap_getword_conf): one directive per line,
    /// a trailing `\` continues it, `#` starts a comment line, directive names
    /// ignore case; arguments are words or `"…"` / `'…'` strings in which only
    /// `\` + the quote and `\\` are escapes (the rest, like `\"` inside a format,
    /// stays for mod_log_config). Only directives named `only` are returned.
    static func apacheDirectives(_ text: [UInt8], only: String) -> [Directive] {
        var result: [Directive] = []
        var lineNumber = 1
        var i = 0
        let n = text.count
        while i < n {
            // One logical line.
            let first = lineNumber
            var logical: [UInt8] = []
            while i < n {
                var end = i
                while end < n && text[end] != UInt8(ascii: "\n") { end += 1 }
                var piece = Array(text[i..<end])
                if piece.last == 0x0D { piece.removeLast() }
                i = end < n ? end + 1 : end
                lineNumber += end < n ? 1 : 0
                if piece.last == UInt8(ascii: "\\") {
                    piece.removeLast()
                    logical += piece
                    continue
                }
                logical += piece
                break
            }
            var j = 0
            while j < logical.count && (logical[j] == 0x20 || logical[j] == 0x09) { j += 1 }
            guard j < logical.count, logical[j] != UInt8(ascii: "#") else { continue }
            var words: [[UInt8]] = []
            while j < logical.count {
                while j < logical.count && (logical[j] == 0x20 || logical[j] == 0x09) { j += 1 }
                guard j < logical.count else { break }
                let q = logical[j]
                if q == UInt8(ascii: "\"") || q == UInt8(ascii: "'") {
                    var word: [UInt8] = []
                    j += 1
                    while j < logical.count && logical[j] != q {
                        if logical[j] == UInt8(ascii: "\\") && j + 1 < logical.count
                            && (logical[j + 1] == q || logical[j + 1] == UInt8(ascii: "\\")) {
                            word.append(logical[j + 1]); j += 2; continue
                        }
                        word.append(logical[j]); j += 1
                    }
                    j += 1
                    words.append(word)
                } else {
                    var word: [UInt8] = []
                    while j < logical.count && logical[j] != 0x20 && logical[j] != 0x09 { word.append(logical[j]); j += 1 }
                    words.append(word)
                }
            }
            if let name = words.first, String(decoding: name, as: UTF8.self).lowercased() == only.lowercased() {
                result.append(Directive(words: words, line: first))
            }
        }
        return result
    }
}
