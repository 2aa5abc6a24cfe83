/// A report made line by line (text, Markdown): written as it is made, in pieces of
/// about `ReportText.chunk` bytes, so a report of 20,000 origins is never one String
/// (the table of origins too is made row by row: measured, then written).
package protocol LineWrittenReport {
    static func writeLines(_ a: Analysis, _ inf: Inference, _ line: (String) -> Void)
}

extension LineWrittenReport {
    /// The whole report as one String (tests, and callers that want it whole).
    package static func render(_ a: Analysis, _ inf: Inference) -> String {
        var text = ""
        write(a, inf, to: { text += $0 })
        return text
    }

    /// The report handed to `sink` in pieces of about `chunk` bytes (64 KB), as it is made.
    package static func write(_ a: Analysis, _ inf: Inference, chunk: Int = ReportText.chunk, to sink: (String) -> Void) {
        ReportText.lines(to: sink, chunk: chunk) { line in writeLines(a, inf, line) }
    }
}
