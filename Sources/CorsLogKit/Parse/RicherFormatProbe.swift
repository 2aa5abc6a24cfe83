/// Tells whether a line that fits a format without Origin only with text left after its
/// last field fits, whole, a preset that records Origin: the sign that the server's log
/// format changed under the same file (a `log_format` edited to `corslog log-format`'s
/// advice and nginx reloaded: `access.log` goes on in the new layout, and the lines before
/// and after both start like `combined`). Read as the old format, such lines lose their
/// Origin; the report says how many there are and which format reads them.
///
/// Only lines with trailing text are probed, so a log in one format pays nothing.
struct RicherFormatProbe {
    /// The presets tried, in order (nginx's escaping first; Apache's `\"` fits only the second).
    static let presets = ["nginx-cors", "apache-cors"]
    private var parsers: [LineParser]

    /// nil for a format that records Origin itself, and for JSON lines (no trailing text).
    init?(for format: LogFormat) {
        guard !format.fields.contains(.origin), format.syntax != .json else { return nil }
        parsers = Self.presets.compactMap { LogFormat.preset($0)?.makeParser() }
    }

    /// The index in `presets` of the first preset that parses `line` with nothing left after
    /// it, or nil.
    mutating func fit(_ line: ByteSlice) -> Int? {
        for i in parsers.indices {
            if parsers[i].parse(line, { _ in }) == nil && !parsers[i].lastLineHadTrailingText { return i }
        }
        return nil
    }
}

/// What a file's `RicherFormatProbe` found: how many lines fit the richer preset and the first.
package struct RicherFormatLines: Sendable, Equatable {
    /// The preset (`RicherFormatProbe.presets`) the first such line fits.
    package var format: String
    package var lines: Int
    package var firstLine: Int

    package init(format: String, lines: Int, firstLine: Int) {
        self.format = format
        self.lines = lines
        self.firstLine = firstLine
    }

    /// One such line: `number`, fitting `RicherFormatProbe.presets[index]`.
    init(line number: Int, preset index: Int) {
        self.init(format: RicherFormatProbe.presets[index], lines: 1, firstLine: number)
    }

    /// Adds `other` to `total` (nil: none yet); the first line is the smallest, whatever the order.
    static func add(_ other: RicherFormatLines, to total: inout RicherFormatLines?) {
        guard var t = total else {
            total = other
            return
        }
        if other.firstLine < t.firstLine {
            t.firstLine = other.firstLine
            t.format = other.format
        }
        t.lines += other.lines
        total = t
    }
}
