#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A set of files whose formats differ in what they record: the first lines of the newer
/// files fit a preset that records Origin, those of the older ones a format that does not
/// (the log format was changed to `corslog log-format`'s advice, and logrotate kept the old
/// files). Detected from the first lines of the first files, the run would read every file as
/// the old format and drop the Origin of the new lines; the newest format that records Origin
/// is used instead, and the report says which files' first lines fit something else.
package struct NewerFormat: Sendable, Equatable {
    /// The file whose first lines chose the format, and the format.
    package var file: String
    package var format: String
    /// The files whose first lines fit a format without Origin (in reading order), and it.
    package var otherFiles: [String]
    package var otherFormat: String

    package init(file: String, format: String, otherFiles: [String], otherFormat: String) {
        self.file = file
        self.format = format
        self.otherFiles = otherFiles
        self.otherFormat = otherFormat
    }

    /// Decoded bytes of each file's start that are tried (at most `FormatDetector.sampleLimit` lines).
    static let headBytes = 64 << 10

    /// Looks at the first lines of each of `paths` (standard input is never read ahead): the
    /// format for the run and what to say, when some files' first lines fit a preset that
    /// records Origin and others' a format that does not; nil otherwise (detection as usual).
    static func choose(_ paths: [String]) -> (format: LogFormat, detection: FormatDetector.Detection, change: NewerFormat)? {
        guard paths.count >= 2, !paths.contains("-") else { return nil }
        return choose(paths.map { ($0, FormatDetector.detect(head($0))) })
    }

    /// The same from the files' first lines already detected (nil: no preset fits them).
    static func choose(_ detected: [(path: String, detection: FormatDetector.Detection?)])
        -> (format: LogFormat, detection: FormatDetector.Detection, change: NewerFormat)? {
        guard detected.count >= 2 else { return nil }
        let found = detected.compactMap { d in d.detection.map { (path: d.path, detection: $0) } }
        guard let richest = found.last(where: { $0.detection.recordsOrigin }),
              let poorer = found.first(where: { !$0.detection.recordsOrigin }) else { return nil }
        let others = found.filter { !$0.detection.recordsOrigin }.map(\.path)
        return (richest.detection.format, richest.detection,
                NewerFormat(file: richest.path, format: richest.detection.format.name, otherFiles: others,
                             otherFormat: poorer.detection.format.name))
    }

    /// The complete lines in the first `headBytes` of `path`, decoded when it is gzip (a
    /// gzip cut there decodes up to the cut); empty when it cannot be read. With `offset`
    /// (where a resumed read starts, at a line's start), a plain file's lines from there; a
    /// gzip file's still from its start.
    static func head(_ path: String, from offset: UInt64 = 0) -> [[UInt8]] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: headBytes)
        var at: off_t = 0
        if offset > 0 && !LineReader.startsWithGzipMagic(path) { at = off_t(clamping: offset) }
        // safe because: pread writes at most headBytes bytes into the array's own storage.
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, headBytes, at) }
        guard n > 0 else { return [] }
        bytes.removeSubrange(n...)
        let cut = n == headBytes
        var lines: [[UInt8]] = []
        _ = LineReader(maxLineBytes: headBytes).read(bytes: bytes, name: path, onLine: { line, _ in
            if lines.count <= FormatDetector.sampleLimit { lines.append(line.bytes) }
        }, onOverlongLine: { _, _ in })
        // The last line may be cut short by the window (or by the cut in a gzip stream).
        if cut && !lines.isEmpty && lines.count <= FormatDetector.sampleLimit { lines.removeLast() }
        return Array(lines.prefix(FormatDetector.sampleLimit))
    }
}
