/// What reading one input produced: counts for the report and, when the input
/// could not be read whole, the first problem.
package struct FileReadResult: Sendable, Equatable {
    package var path: String
    /// Lines delivered to `onLine` (blank lines included, overlong lines not).
    package var lines: Int
    /// Lines longer than `maxLineBytes`: skipped without being buffered whole, counted.
    package var overlongLines: Int
    /// gzip detected by the magic bytes `1f 8b` (never by the file name).
    package var compressed: Bool
    /// gzip members decoded completely (0 for plain input).
    package var members: Int
    /// Bytes read from the input.
    package var inputBytes: UInt64
    /// Bytes after decompression (equal to `inputBytes` for plain input).
    package var decodedBytes: UInt64
    /// Set when the input could not be read whole; everything before the break was delivered.
    package var error: InputError?
    /// Decoded bytes through the last line delivered whole, counted from the start of the
    /// input (a resumed read's skipped bytes included): where the next read resumes.
    package var resumeOffset: UInt64 = 0
    /// The first decoded bytes of the input (at most `LineReader.headBytes`), when this
    /// read saw them: for recognising the same data under another name.
    package var head: [UInt8]? = nil
    /// The inflate backend that decoded it (nil: plain input).
    package var inflate: InflateBackend? = nil

    package init(path: String, lines: Int = 0, overlongLines: Int = 0, compressed: Bool = false,
                 members: Int = 0, inputBytes: UInt64 = 0, decodedBytes: UInt64 = 0, error: InputError? = nil) {
        self.path = path
        self.lines = lines
        self.overlongLines = overlongLines
        self.compressed = compressed
        self.members = members
        self.inputBytes = inputBytes
        self.decodedBytes = decodedBytes
        self.error = error
    }
}
