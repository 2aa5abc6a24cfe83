/// A file name split into its logrotate set and its place in the set.
///
/// Suffixes recognised at the end of the name (an optional `.gz` after each):
///
///     live      = base                      ; access.log
///     numbered  = base "." 1*7DIGIT         ; access.log.1, access.log.2.gz   (higher = older)
///     dated     = base ( "-" / "." ) 8*14DIGIT
///                                           ; access.log-20240131[.gz], -2024013112 (dateext)
///
/// A bare `base.gz` without a number or date is not treated as rotated: it is
/// its own live file.
struct LogrotateName {
    enum Rank {
        case numbered(Int)
        case dated(String)
        case live
    }

    /// The name without its rotation suffix (directory kept: sets never mix directories).
    let base: String
    let rank: Rank

    init(_ name: String) {
        var stem = Substring(name)
        if stem.hasSuffix(".gz") { stem = stem.dropLast(3) }
        let digits = stem.reversed().prefix { $0.isASCII && $0.isNumber }.count
        let separatorIndex = stem.index(stem.endIndex, offsetBy: -digits)
        if digits > 0, separatorIndex > stem.startIndex {
            let separator = stem[stem.index(before: separatorIndex)]
            let base = stem[..<stem.index(before: separatorIndex)]
            let number = stem[separatorIndex...]
            if !base.isEmpty, !base.hasSuffix("/") {
                if (8...14).contains(digits), separator == "-" || separator == "." {
                    self.base = String(base)
                    self.rank = .dated(String(number))
                    return
                }
                if digits <= 7, separator == ".", let value = Int(number) {
                    self.base = String(base)
                    self.rank = .numbered(value)
                    return
                }
            }
        }
        self.base = name
        self.rank = .live
    }

    /// Oldest first: numbered from the highest number down, then dated
    /// ascending, then the live file.
    func isOlder(than other: LogrotateName) -> Bool {
        switch (rank, other.rank) {
        case let (.numbered(a), .numbered(b)): a > b
        case (.numbered, _): true
        case let (.dated(a), .dated(b)): a.count != b.count ? a.count < b.count : a < b
        case (.dated, .numbered): false
        case (.dated, .live): true
        case (.live, _): false
        }
    }
}
