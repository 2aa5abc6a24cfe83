#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why one input could not be read whole.
///
/// The reader never throws: it delivers every line it could decode and then
/// records the first problem here, so one damaged file in a rotation set costs
/// only its own tail.
package struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Kind: Sendable, Equatable {
        /// `open(2)` failed (missing file, permission, ...).
        case cannotOpen(errno: Int32)
        /// A directory reached `LineReader.read`; `InputSet.expand` normally lists them.
        case isDirectory
        /// `read(2)` failed part-way.
        case readFailed(errno: Int32)
        /// The input ended inside a gzip member (header, data or trailer).
        case truncatedGzip
        /// zlib rejected the data (`Z_DATA_ERROR` and friends); `detail` is zlib's message.
        case corruptGzip(detail: String)
        /// Bytes after a complete gzip member that are neither another member nor all-zero padding.
        case trailingGarbage
        /// An error another run recorded (a summary or state file): its sentence, as written then.
        case recorded(String)
    }

    package var path: String
    package var kind: Kind
    /// Byte offset in the file where reading broke (for gzip: compressed bytes consumed).
    package var offset: UInt64?
    /// Lines delivered before the break (for the message; 0 when nothing was read).
    package var linesBefore: Int

    package init(path: String, kind: Kind, offset: UInt64? = nil, linesBefore: Int = 0) {
        self.path = path
        self.kind = kind
        self.offset = offset
        self.linesBefore = linesBefore
    }

    /// The path as a person reads it: `-` is standard input.
    var displayName: String { path == "-" ? "standard input" : path }

    package var description: String {
        let at = offset.map { " at \(kindOffsetWord) \($0)" } ?? ""
        let kept = "; the \(linesBefore) \(linesBefore == 1 ? "line" : "lines") decoded before it \(linesBefore == 1 ? "was" : "were") kept"
        switch kind {
        case .cannotOpen(let code):
            return "\(displayName): cannot open: \(Self.message(for: code))"
        case .isDirectory:
            return "\(displayName): is a directory, not a log file; pass the log files it holds"
        case .readFailed(let code):
            return "\(displayName): read failed\(at): \(Self.message(for: code))\(kept)"
        case .truncatedGzip:
            return "\(displayName): gzip data ends early (truncated)\(at)\(kept)"
        case .corruptGzip(let detail):
            let zlib = detail.isEmpty ? "" : " (zlib: \(detail))"
            return "\(displayName): gzip data is corrupt\(at)\(zlib)\(kept)"
        case .trailingGarbage:
            return "\(displayName): unexpected bytes after the end of the gzip data\(at), not another gzip member\(kept)"
        case .recorded(let sentence):
            return sentence
        }
    }

    private var kindOffsetWord: String {
        switch kind {
        case .truncatedGzip, .corruptGzip, .trailingGarbage: "compressed byte"
        default: "byte"
        }
    }

    /// `strerror(3)` text for an errno value.
    static func message(for code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        // safe because: strerror returns a NUL-terminated string that stays
        // valid until the next strerror call on this thread; it is copied at once.
        return String(cString: text)
    }
}
