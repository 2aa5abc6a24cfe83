/// Guesses the layout of a log from its first lines.
package enum FormatDetector {
    package struct Detection: Sendable {
        package var format: LogFormat
        /// Sampled lines the format parsed.
        package var parsed: Int
        /// Non-blank lines sampled.
        package var sampled: Int
        /// Sampled lines the format read with text left over that holds a quoted origin
        /// (`"https://app.example.com"`, what `"$http_origin"` logs): the server's format has
        /// fields this one does not read, Origin among them (`quotedOrigin(in:from:)`).
        package var originsAfterFormat = 0
        /// Whether the lines show an Origin where one was sent: a text format with an Origin
        /// field, or JSON lines of which a sampled one has an Origin key (`jsonOriginKey`; a
        /// JSON log that does not keep the header — Traefik's default — has none, and reads
        /// the same as one whose browsers sent none).
        package var recordsOrigin: Bool

        package init(format: LogFormat, parsed: Int, sampled: Int, originsAfterFormat: Int = 0, recordsOrigin: Bool? = nil) {
            self.format = format
            self.parsed = parsed
            self.sampled = sampled
            self.originsAfterFormat = originsAfterFormat
            self.recordsOrigin = recordsOrigin ?? format.fields.contains(.origin)
        }
    }

    /// At most this many non-blank lines are tried.
    static let sampleLimit = 200

    /// Presets from the most to the least specific.
    static let candidates = ["nginx-cors", "apache-cors", "vhost_combined", "combined", "common", "json"]

    /// Picks the best-fitting preset for the first lines of the input (at most ~200):
    /// most lines parsed whole (no text left after the format), then most lines parsed,
    /// then the more specific preset (nginx-cors/apache-cors > vhost_combined > combined >
    /// common; json when lines are JSON objects). nil when no preset parses any line.
    ///
    /// Whole lines first: a line cut short (a server killed mid-write, a full disk) still
    /// fits a shorter preset with its head — `common` reads `… 200 512 "-" "Mozilla/5.0 (X11;`
    /// with text left over — so counting every parsed line alike let one such line among
    /// 200 choose `common` for an `nginx-cors` log, and no origin was seen.
    package static func detect(_ lines: [[UInt8]]) -> Detection? {
        let sample = Self.sample(lines)
        let sampled = sample.count
        guard sampled > 0 else { return nil }

        var best: (format: LogFormat, parsed: Int, whole: Int)? = nil
        for name in candidates {
            guard let format = LogFormat.preset(name) else { continue }
            var parser = format.makeParser()
            var parsed = 0
            var trailing = 0
            for line in sample {
                let failure = line.withUnsafeBufferPointer { parser.parse(ByteSlice($0)) { _ in } }
                if failure == nil {
                    parsed += 1
                    if parser.lastLineHadTrailingText { trailing += 1 }
                }
            }
            // Candidates come most specific first, so only a strictly better fit replaces.
            let whole = parsed - trailing
            if parsed > 0, best == nil || whole > best!.whole || (whole == best!.whole && parsed > best!.parsed) {
                best = (format, parsed, whole)
            }
        }
        // nginx-cors and apache-cors have one layout; only the escaping differs:
        // Apache writes a quote as \" where nginx writes \x22.
        if best?.format.name == "nginx-cors", sample.contains(where: Self.hasApacheQuoteEscape),
           let apache = LogFormat.preset("apache-cors") {
            best?.format = apache
        }
        guard let best else { return nil }
        var detection = Detection(format: best.format, parsed: best.parsed, sampled: sampled)
        if best.format.syntax == .json { detection.recordsOrigin = sample.contains(where: Self.jsonOriginKey) }
        if best.parsed > best.whole { detection.originsAfterFormat = originsAfter(best.format, in: sample) }
        return detection
    }

    /// The lines tried: the first `sampleLimit` that are not blank.
    static func sample(_ lines: [[UInt8]]) -> [[UInt8]] {
        Array(lines.lazy.filter { line in line.contains { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D } }.prefix(sampleLimit))
    }

    /// How many of `lines` `format` reads with text left over that holds a quoted origin
    /// (`quotedOrigin(in:from:)`); 0 for a format that records Origin, or JSON.
    static func originsAfter(_ format: LogFormat, in lines: [[UInt8]]) -> Int {
        guard !format.fields.contains(.origin), format.syntax != .json else { return 0 }
        var parser = format.makeParser()
        var found = 0
        for line in lines.prefix(sampleLimit) {
            let failure = line.withUnsafeBufferPointer { parser.parse(ByteSlice($0)) { _ in } }
            guard failure == nil, parser.lastLineHadTrailingText else { continue }
            if quotedOrigin(in: line, from: parser.lastLineTrailingStart) { found += 1 }
        }
        return found
    }

    /// Whether `line[from...]` holds a quoted value that is an origin (`"https://host[:port]"`,
    /// strictly validated by `Origin.parse`).
    ///
    ///     quoted-origin = DQUOTE ( "http://" / "https://" ) 1*( any byte but DQUOTE ) DQUOTE
    static func quotedOrigin(in line: [UInt8], from: Int) -> Bool {
        var i = max(from, 0)
        while i < line.count {
            guard line[i] == UInt8(ascii: "\"") else { i += 1; continue }
            var j = i + 1
            while j < line.count && line[j] != UInt8(ascii: "\"") { j += 1 }
            guard j < line.count else { return false }
            let value = line[(i + 1)..<j]
            if value.starts(with: Array("http".utf8)),
               case .origin = value.withContiguousStorageIfAvailable({ Origin.parse(ByteSlice($0)) }) ?? .null {
                return true
            }
            i = j + 1
        }
        return false
    }

    /// Whether the JSON `line` has a key, at any depth, that the default keys read Origin from
    /// (nginx `http_origin`, Traefik `request_Origin`, Caddy's `Origin` under `request.headers`,
    /// `origin`), whatever its value: ASCII case folded, as the JSON program reads keys.
    ///
    ///     origin-key = DQUOTE [ "http_" / "request_" ] "origin" DQUOTE *( SP / HTAB ) ":"
    static func jsonOriginKey(_ line: [UInt8]) -> Bool {
        let name = Array("origin\"".utf8)
        var i = 0
        while i < line.count {
            guard line[i] == UInt8(ascii: "\"") else { i += 1; continue }
            var k = i + 1
            for prefix in ["http_", "request_"] {
                let p = Array(prefix.utf8)
                if k + p.count <= line.count, zip(line[k..<(k + p.count)], p).allSatisfy({ $0.asciiLowercased == $1 }) {
                    k += p.count
                    break
                }
            }
            if k + name.count <= line.count, zip(line[k..<(k + name.count)], name).allSatisfy({ $0.asciiLowercased == $1 }) {
                var j = k + name.count
                while j < line.count && (line[j] == 0x20 || line[j] == 0x09) { j += 1 }
                if j < line.count && line[j] == UInt8(ascii: ":") { return true }
            }
            i += 1
        }
        return false
    }

    private static func hasApacheQuoteEscape(_ line: [UInt8]) -> Bool {
        guard line.count > 1 else { return false }
        for i in 1..<line.count where line[i] == UInt8(ascii: "\"") && line[i - 1] == UInt8(ascii: "\\") {
            return true
        }
        return false
    }
}
