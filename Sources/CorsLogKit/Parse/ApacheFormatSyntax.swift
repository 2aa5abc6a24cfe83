/// Apache mod_log_config `LogFormat` strings.
///
/// Grammar (parse_log_item): `"%" *( "<" / ">" / "!" / "," / DIGIT / "{" param "}" ) letter`,
/// `%^ti` / `%^to` with two letters, and `%%` for a literal `%`. Literal text may
/// carry `\n`, `\r` and `\t`; `\"` and `\\` are the config file's own escapes and are
/// undone too, so a string copied from `LogFormat "…"` works as is.
enum ApacheFormatSyntax {
    static func pieces(_ format: [UInt8], location: String) throws(FormatError) -> [FormatPiece] {
        var pieces: [FormatPiece] = []
        var literal: [UInt8] = []
        var i = 0
        func flush() { if !literal.isEmpty { pieces.append(.literal(literal)); literal = [] } }
        while i < format.count {
            let c = format[i]
            if c == UInt8(ascii: "\\") && i + 1 < format.count {
                switch format[i + 1] {
                case UInt8(ascii: "n"): literal.append(0x0A); i += 2; continue
                case UInt8(ascii: "t"): literal.append(0x09); i += 2; continue
                case UInt8(ascii: "r"): literal.append(0x0D); i += 2; continue
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): literal.append(format[i + 1]); i += 2; continue
                default: break
                }
            }
            guard c == UInt8(ascii: "%") else { literal.append(c); i += 1; continue }
            let column = i + 1
            var j = i + 1
            guard j < format.count else {
                throw FormatError("\(location), column \(column): '%' ends the format (expected a directive such as %h, or %% for a literal %)")
            }
            if format[j] == UInt8(ascii: "%") { literal.append(c); i = j + 1; continue }
            var param: String? = nil
            var modifier: UInt8? = nil
            var letter: String? = nil
            while j < format.count {
                let m = format[j]
                switch m {
                case UInt8(ascii: "<"), UInt8(ascii: ">"):
                    modifier = m; j += 1
                case UInt8(ascii: "!"), UInt8(ascii: ","), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    j += 1
                case UInt8(ascii: "{"):
                    guard let close = format[(j + 1)...].firstIndex(of: UInt8(ascii: "}")) else {
                        throw FormatError("\(location), column \(j + 1): '{' has no closing '}' (expected %{Name}i)")
                    }
                    param = String(decoding: format[(j + 1)..<close], as: UTF8.self)
                    j = close + 1
                case UInt8(ascii: "^"):
                    guard j + 2 < format.count else {
                        throw FormatError("\(location), column \(column): '%^' needs two letters (expected %{Name}^ti or %{Name}^to)")
                    }
                    letter = String(decoding: format[j...(j + 2)], as: UTF8.self)
                    j += 3
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    letter = String(UnicodeScalar(m))
                    j += 1
                default:
                    let shown = FailureContext.printable([m])
                    throw FormatError("\(location), column \(j + 1): '\(shown)' after '%' is not a LogFormat directive (expected a letter such as %h, %r, %>s, %{Origin}i)")
                }
                if letter != nil { break }
            }
            guard let letter else {
                throw FormatError("\(location), column \(column): the directive at the end of the format has no letter (expected e.g. %{Origin}i)")
            }
            flush()
            let written = String(decoding: format[i..<j], as: UTF8.self)
            i = j
            pieces += directive(letter, param: param, modifier: modifier, written: written, column: column)
        }
        flush()
        return pieces
    }

    /// What corslog reads from one directive (an Apache `%t` brings its own brackets).
    static func directive(_ letter: String, param: String?, modifier: UInt8?, written: String, column: Int) -> [FormatPiece] {
        func field(_ target: FieldTarget, priority: Int = 0) -> FormatFieldSpec {
            var s = FormatFieldSpec(name: written, column: column, target: target)
            s.priority = priority
            return s
        }
        let p = param?.lowercased()
        switch letter {
        case "h", "a":
            return [.field(field(p == nil || p == "c" ? .client : .skip, priority: letter == "a" ? 0 : 1))]
        case "t":
            guard var p = param else {
                var s = field(.time); s.timeShape = .clf
                return [.literal([UInt8(ascii: "[")]), .field(s), .literal([UInt8(ascii: "]")])]
            }
            for prefix in ["begin:", "end:"] where p.hasPrefix(prefix) { p.removeFirst(prefix.count) }
            var s = field(.time)
            switch p {
            case "sec": s.timeShape = .epochSeconds
            case "msec": s.timeShape = .epochMillis
            case "usec": s.timeShape = .epochMicros
            default:
                if let pattern = StrftimePattern(p) {
                    s.timeShape = .strftime
                    s.strftime = pattern
                } else {
                    s.target = .skip  // msec_frac, usec_frac, or a pattern corslog does not read
                    s.mayContainSpaces = true
                }
            }
            return [.field(s)]
        case "r": return [.field(field(.request))]
        case "m": return [.field(field(.method))]
        case "U": return [.field(field(.uri))]
        case "q":
            var s = field(.skip); s.appendsToPrevious = true
            return [.field(s)]
        case "s": return [.field(field(.status, priority: modifier == UInt8(ascii: "<") ? 1 : 0))]
        case "v": return [.field(field(.host, priority: 2))]
        case "V": return [.field(field(.host, priority: 1))]
        case "i":
            switch p {
            case "origin": return [.field(field(.origin))]
            case "referer": return [.field(field(.referer))]
            case "user-agent": return [.field(field(.userAgent))]
            case "access-control-request-method": return [.field(field(.requestMethodHeader))]
            case "access-control-request-headers": return [.field(field(.requestHeadersHeader))]
            case "host": return [.field(field(.host))]
            default: return [.field(FormatFieldSpec(name: written, column: column, target: .skip, mayContainSpaces: true))]
            }
        case "o":
            switch p {
            case "access-control-allow-origin": return [.field(field(.allowOrigin))]
            case "access-control-allow-credentials": return [.field(field(.allowCredentials))]
            default: return [.field(FormatFieldSpec(name: written, column: column, target: .skip, mayContainSpaces: true))]
            }
        default:
            // Every other directive (%l %u %b %O %D %T %p %{…}e %{…}n %{…}C, module ones) is skipped.
            let textual = letter == "e" || letter == "n" || letter == "C" || letter == "x" || letter == "c" || letter.hasPrefix("^")
            return [.field(FormatFieldSpec(name: written, column: column, target: .skip, mayContainSpaces: textual))]
        }
    }
}
