extension Sequence<String> {
    /// Sorted by their UTF-8 bytes: the same order on every machine and locale, as paths and
    /// log-derived text are listed in reports and summaries.
    func sortedByBytes() -> [String] {
        sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }
    }
}
