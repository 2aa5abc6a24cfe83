/// Origins given by a person: `--trust`, `--ignore`, `--site` values and the
/// files of one origin a line (`#` starts a comment).
package enum OriginList {
    /// Parses one origin given on the command line.
    package static func origin(_ text: String, flag: String) throws(CorsLogError) -> Origin {
        switch Origin.parse(text) {
        case .origin(let o):
            return o
        case .null:
            throw CorsLogError(.usage, "\(flag) null: `null` is sent by sandboxed iframes and file: pages; it cannot be allowed safely")
        case .invalid(let why):
            throw CorsLogError(.usage, "\(flag) \(text): not an origin (\(why.explanation)); expected scheme://host[:port], e.g. https://app.example.com")
        }
    }

    /// Parses a file of origins, one a line; errors name the file and line.
    package static func parse(text: String, file: String) throws(CorsLogError) -> [Origin] {
        var out: [Origin] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let trimmed = line.trimmingASCIIWhitespace
            if trimmed.isEmpty { continue }
            switch Origin.parse(String(trimmed)) {
            case .origin(let o): out.append(o)
            case .null:
                throw CorsLogError(.dataError, "\(file):\(i + 1): `null` cannot be listed: any sandboxed page sends it")
            case .invalid(let why):
                throw CorsLogError(.dataError, "\(file):\(i + 1): \"\(trimmed)\" is not an origin (\(why.explanation)); expected scheme://host[:port]")
            }
        }
        return out
    }
}

extension Substring {
    var trimmingASCIIWhitespace: Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return s
    }
}
