extension LogFormat {
    /// An nginx `log_format` string (`$remote_addr - $remote_user [$time_local] "$request" …`)
    /// or an Apache `LogFormat` string (`%h %l %u %t "%r" %>s %b "%{Origin}i" …`), told
    /// apart by syntax. Also accepts the whole directive pasted from a config:
    /// `log_format main escape=json '…' '…';` (adjacent quoted strings concatenated,
    /// escape= honoured) or `LogFormat "…" nickname` (the `\"` inside unescaped).
    /// A preset name gives that preset.
    package static func parse(definition: String) throws(FormatError) -> LogFormat {
        let location = "in --format"
        let text = trimmed(definition)
        if let preset = preset(text) { return preset }
        let bytes = Array(text.utf8)
        let firstWord = String(decoding: bytes.prefix { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }, as: UTF8.self)

        if firstWord == "log_format" {
            let directives: [ConfigDirectiveScanner.Directive]
            do {
                directives = try ConfigDirectiveScanner.nginxDirectives(bytes)
            } catch {
                throw FormatError("\(location), line \(error.line): \(error.message)")
            }
            guard let d = directives.first(where: { $0.name == "log_format" }) else {
                throw FormatError("\(location): no log_format directive found")
            }
            let (name, escaping, format) = try nginxDirectiveParts(d, location: location)
            return try compile(format: format, syntax: .nginx, escaping: escaping,
                               name: "nginx log_format \(name)", location: location)
        }
        if firstWord.lowercased() == "logformat" {
            guard let d = ConfigDirectiveScanner.apacheDirectives(bytes, only: "LogFormat").first else {
                throw FormatError("\(location): no LogFormat directive found")
            }
            let (nickname, format) = try apacheDirectiveParts(d, location: location)
            return try compile(format: format, syntax: .apache, escaping: .backslash,
                               name: nickname.isEmpty ? "Apache LogFormat" : "Apache LogFormat \(nickname)", location: location)
        }

        let syntax = try guessSyntax(bytes, location: location)
        switch syntax {
        case .nginx:
            // As nginx.conf would: `\"`, `\'` and `\\` copied from a quoted config string stand for the character.
            return try compile(format: ConfigDirectiveScanner.unescapeNginx(bytes), syntax: .nginx, escaping: .backslash,
                               name: "nginx log_format", location: location)
        case .apache, .json:
            return try compile(format: bytes, syntax: .apache, escaping: .backslash, name: "Apache LogFormat", location: location)
        }
    }

    /// nginx when the text has `$name` / `${…}` variables, Apache when it has
    /// `%` directives; with both, whichever there are more of.
    static func guessSyntax(_ bytes: [UInt8], location: String) throws(FormatError) -> Syntax {
        var nginx = 0
        var apache = 0
        var i = 0
        while i + 1 < bytes.count {
            let next = bytes[i + 1]
            if bytes[i] == UInt8(ascii: "$") && (NginxFormatSyntax.isNameByte(next) || next == UInt8(ascii: "{")) {
                nginx += 1
            } else if bytes[i] == UInt8(ascii: "%") {
                if next == UInt8(ascii: "%") { i += 2; continue }
                switch next {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "{"),
                     UInt8(ascii: ">"), UInt8(ascii: "<"), UInt8(ascii: "!"), UInt8(ascii: "^"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    apache += 1
                default: break
                }
            }
            i += 1
        }
        if nginx == 0 && apache == 0 {
            let known = presetNames.joined(separator: ", ")
            throw FormatError("\(location): '\(String(decoding: bytes, as: UTF8.self))' has no nginx $variables and no Apache %directives (expected a log_format or LogFormat string, or a preset: \(known))")
        }
        return nginx >= apache ? .nginx : .apache
    }

    /// `log_format name [escape=default|json|none] string …`: (name, escaping, the strings concatenated).
    static func nginxDirectiveParts(_ d: ConfigDirectiveScanner.Directive, location: String) throws(FormatError) -> (String, LogEscaping, [UInt8]) {
        guard d.words.count >= 3 else {
            throw FormatError("\(location): log_format needs a name and a format string (expected log_format NAME '…';)")
        }
        let name = String(decoding: d.words[1], as: UTF8.self)
        var rest = d.words[2...]
        var escaping = LogEscaping.backslash
        if let first = rest.first, first.starts(with: Array("escape=".utf8)) {
            let mode = String(decoding: first.dropFirst(7), as: UTF8.self)
            switch mode {
            case "default": escaping = .backslash
            case "json": escaping = .json
            case "none": escaping = .none
            default:
                throw FormatError("\(location): escape=\(mode) in log_format \(name) is not an nginx escape mode (expected escape=default, escape=json or escape=none)")
            }
            rest = rest.dropFirst()
        }
        guard !rest.isEmpty else {
            throw FormatError("\(location): log_format \(name) has no format string")
        }
        return (name, escaping, Array(rest.joined()))
    }

    /// `LogFormat format [nickname]`: (nickname or "", format).
    static func apacheDirectiveParts(_ d: ConfigDirectiveScanner.Directive, location: String) throws(FormatError) -> (String, [UInt8]) {
        guard d.words.count >= 2 else {
            throw FormatError("\(location): LogFormat needs a format string (expected LogFormat \"…\" nickname)")
        }
        let nickname = d.words.count >= 3 ? String(decoding: d.words[2], as: UTF8.self) : ""
        return (nickname, d.words[1])
    }

    static func trimmed(_ s: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = s.firstIndex(where: { !isSpace($0) }), let last = s.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(s[first...last])
    }
}
