extension LogFormat {
    /// Finds `log_format NAME [escape=…] '…' …;` (possibly spanning lines, in any
    /// block, `#` comments ignored) in an nginx.conf, or `LogFormat "…" NAME` in an
    /// Apache config. `name` nil: the only one there, else an error listing the
    /// names found. Errors name `file:line`.
    package static func parse(configText: String, file: String, name: String?) throws(FormatError) -> LogFormat {
        let bytes = Array(configText.utf8)
        struct Candidate {
            var name: String
            var line: Int
            var directive: ConfigDirectiveScanner.Directive
            var syntax: Syntax
        }
        var candidates: [Candidate] = []
        var nginxError: ConfigDirectiveScanner.SyntaxError? = nil

        if contains(bytes, "log_format") {
            do {
                for d in try ConfigDirectiveScanner.nginxDirectives(bytes) where d.name == "log_format" {
                    let n = d.words.count > 1 ? String(decoding: d.words[1], as: UTF8.self) : ""
                    candidates.append(Candidate(name: n, line: d.line, directive: d, syntax: .nginx))
                }
            } catch {
                nginxError = error
            }
        }
        if contains(bytes, "logformat", ignoringCase: true) {
            for d in ConfigDirectiveScanner.apacheDirectives(bytes, only: "LogFormat") {
                // `LogFormat nickname` alone only aliases another format.
                guard d.words.count >= 2, d.words[1].contains(UInt8(ascii: "%")) else { continue }
                let n = d.words.count > 2 ? String(decoding: d.words[2], as: UTF8.self) : ""
                candidates.append(Candidate(name: n, line: d.line, directive: d, syntax: .apache))
            }
        }

        func listing() -> String {
            candidates.map { "\($0.name.isEmpty ? "(no nickname)" : $0.name) (\(file):\($0.line))" }.joined(separator: ", ")
        }
        guard !candidates.isEmpty else {
            if let e = nginxError { throw FormatError("\(file):\(e.line): \(e.message)") }
            throw FormatError("\(file): no nginx log_format or Apache LogFormat directive found (expected e.g. log_format main '…'; or LogFormat \"…\" combined)")
        }
        let chosen: Candidate
        if let name {
            guard let c = candidates.first(where: { $0.name == name }) ?? candidates.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                throw FormatError("\(file): no log format named '\(name)'; found: \(listing())")
            }
            chosen = c
        } else {
            guard candidates.count == 1 else {
                throw FormatError("\(file): \(candidates.count) log formats are defined: \(listing()); name the one the log was written with")
            }
            chosen = candidates[0]
        }

        let at = "\(file):\(chosen.line)"
        switch chosen.syntax {
        case .nginx:
            let location = "\(at), log_format \(chosen.name)"
            let (n, escaping, format) = try nginxDirectiveParts(chosen.directive, location: at)
            return try compile(format: format, syntax: .nginx, escaping: escaping,
                               name: "nginx log_format \(n) (\(at))", location: location)
        case .apache, .json:
            let (nickname, format) = try apacheDirectiveParts(chosen.directive, location: at)
            let label = nickname.isEmpty ? "Apache LogFormat" : "Apache LogFormat \(nickname)"
            return try compile(format: format, syntax: .apache, escaping: .backslash,
                               name: "\(label) (\(at))", location: "\(at), \(label)")
        }
    }

    private static func contains(_ haystack: [UInt8], _ needle: String, ignoringCase: Bool = false) -> Bool {
        let n = Array(needle.utf8)
        guard haystack.count >= n.count else { return false }
        for start in 0...(haystack.count - n.count) {
            var k = 0
            while k < n.count && (ignoringCase ? haystack[start + k].asciiLowercased == n[k] : haystack[start + k] == n[k]) { k += 1 }
            if k == n.count { return true }
        }
        return false
    }
}
