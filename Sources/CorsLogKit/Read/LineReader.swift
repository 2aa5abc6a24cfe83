#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CZlib

/// Streams a file or standard input, plain or gzip, as lines, in constant memory.
///
/// Memory per read: one input block and one decoded block of `blockSize`
/// bytes, one carry buffer of `maxLineBytes` bytes and zlib's state (~40 KB).
/// gzip is recognised by its magic bytes `1f 8b`, never by the file name;
/// concatenated members (`cat a.gz b.gz`) are read one after the other as one
/// stream, and all-zero padding after the last member is ignored.
package struct LineReader: Sendable {
    package let maxLineBytes: Int
    package let blockSize: Int

    package init(maxLineBytes: Int = 1 << 20, blockSize: Int = 1 << 20) {
        self.maxLineBytes = max(maxLineBytes, 1)
        self.blockSize = max(blockSize, 1)
    }

    /// How many decoded bytes `FileReadResult.head` keeps.
    package static let headBytes = 4096

    /// Where a read starts: from the beginning, or resuming after bytes an earlier
    /// run read (`--state`).
    package struct Start: Sendable, Equatable {
        /// Decoded bytes to skip (for gzip they are decoded and dropped; a plain file is seeked).
        package var offset: UInt64
        /// Lines before `offset`, so that line numbers go on where they were.
        package var linesBefore: Int
        /// Keep back a final line without newline (it may still be being written):
        /// `resumeOffset` then points at its start.
        package var holdUnterminatedTail: Bool

        package init(offset: UInt64 = 0, linesBefore: Int = 0, holdUnterminatedTail: Bool = false) {
            self.offset = offset
            self.linesBefore = linesBefore
            self.holdUnterminatedTail = holdUnterminatedTail
        }

        package static let beginning = Start()
    }

    /// Streams `path` ("-" = standard input). Calls onLine(line, lineNumber) for each line WITHOUT its terminator
    /// ("\n" or "\r\n"; a final line without newline is delivered too), 1-based line numbers counting every line
    /// including overlong ones; calls onOverlongLine(lineNumber, totalLength) for a line over maxLineBytes,
    /// which is skipped up to its newline without buffering it.
    /// Never throws: problems end up in FileReadResult.error after delivering everything decodable.
    package func read(path: String, from start: Start = .beginning,
                      onLine: (ByteSlice, Int) -> Void,
                      onOverlongLine: (Int, Int) -> Void) -> FileReadResult {
        let fd: Int32
        if path == "-" {
            fd = STDIN_FILENO
        } else {
            fd = open(path, O_RDONLY | O_CLOEXEC)
            if fd < 0 {
                return FileReadResult(path: path, error: InputError(path: path, kind: .cannotOpen(errno: errno)))
            }
        }
        defer { if path != "-" { close(fd) } }
        var info = stat()
        if fstat(fd, &info) == 0 {
            if info.st_mode & S_IFMT == S_IFDIR {
                return FileReadResult(path: path, error: InputError(path: path, kind: .isDirectory))
            }
            if info.st_mode & S_IFMT == S_IFREG {
                _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
                // A plain file resumes with a seek; gzip has to be decoded from its start.
                var magic: (UInt8, UInt8) = (0, 0)
                let n = withUnsafeMutableBytes(of: &magic) { pread(fd, $0.baseAddress, 2, 0) }
                let gzip = n == 2 && magic.0 == 0x1f && magic.1 == 0x8b
                if start.offset > 0 && !gzip && lseek(fd, off_t(start.offset), SEEK_SET) >= 0 {
                    return run(source: .descriptor(fd), name: path, start: start, seeked: true,
                               onLine: onLine, onOverlongLine: onOverlongLine).result
                }
            }
        }
        return run(source: .descriptor(fd), name: path, start: start, onLine: onLine, onOverlongLine: onOverlongLine).result
    }

    /// The same over in-memory bytes (for tests and for replaying a buffered head), name used in errors.
    package func read(bytes: [UInt8], name: String,
                      onLine: (ByteSlice, Int) -> Void,
                      onOverlongLine: (Int, Int) -> Void) -> FileReadResult {
        run(source: .memory(bytes, position: 0), name: name, onLine: onLine, onOverlongLine: onOverlongLine).result
    }

    /// The shared engine; also returns the carry high-water mark for tests.
    /// `seeked`: the source is a plain file already positioned at `start.offset`.
    func run(source: ByteSource, name: String, start: Start = .beginning, seeked: Bool = false,
             onLine: (ByteSlice, Int) -> Void,
             onOverlongLine: (Int, Int) -> Void) -> (result: FileReadResult, peakCarryBytes: Int) {
        let input = InputBuffer(source: source, capacity: blockSize)
        let splitter = LineSplitter(maxLineBytes: maxLineBytes, firstLineNumber: start.linesBefore + 1)
        let sink = DecodedSink(splitter: splitter, skip: seeked ? 0 : start.offset, keepHead: !seeked)
        var result = FileReadResult(path: name)
        var failure: (kind: InputError.Kind, offset: UInt64)?

        // Magic detection needs the first two bytes (a read may return fewer).
        while input.available < 2 && !input.atEnd {
            if case .failed(let code) = input.refill() {
                failure = (.readFailed(errno: code), input.bytesRead)
                break
            }
        }
        if failure == nil {
            result.compressed = input.available >= 2 && input.peek(0) == 0x1f && input.peek(1) == 0x8b
            if result.compressed && !seeked {
                failure = inflateAll(input, sink, &result, onLine: onLine, onOverlongLine: onOverlongLine)
            } else {
                result.compressed = false
                failure = splitPlain(input, sink, onLine: onLine, onOverlongLine: onOverlongLine)
                result.decodedBytes = input.bytesRead + (seeked ? start.offset : 0)
            }
        }
        let held = splitter.finish(holdTail: start.holdUnterminatedTail, onLine: onLine, onOverlongLine: onOverlongLine)
        let decoded = max(result.decodedBytes, seeked ? start.offset : 0)
        result.resumeOffset = decoded >= UInt64(held) ? decoded - UInt64(held) : 0
        result.head = sink.head
        result.lines = splitter.lines
        result.overlongLines = splitter.overlongLines
        result.inputBytes = input.bytesRead
        if let failure {
            result.error = InputError(path: name, kind: failure.kind, offset: failure.offset, linesBefore: splitter.lines)
        }
        return (result, splitter.peakCarryBytes)
    }

    /// Plain input: every block goes straight to the splitter.
    private func splitPlain(_ input: InputBuffer, _ sink: DecodedSink,
                            onLine: (ByteSlice, Int) -> Void,
                            onOverlongLine: (Int, Int) -> Void) -> (kind: InputError.Kind, offset: UInt64)? {
        while true {
            input.withAvailable { sink.feed($0, onLine: onLine, onOverlongLine: onOverlongLine) }
            input.consume(input.available)
            switch input.refill() {
            case .bytes: continue
            case .endOfInput: return nil
            case .failed(let code): return (.readFailed(errno: code), input.bytesRead)
            }
        }
    }

    /// gzip input: inflate member after member; between members accept only
    /// another member's magic or all-zero padding up to the end.
    private func inflateAll(_ input: InputBuffer, _ sink: DecodedSink, _ result: inout FileReadResult,
                            onLine: (ByteSlice, Int) -> Void,
                            onOverlongLine: (Int, Int) -> Void) -> (kind: InputError.Kind, offset: UInt64)? {
        guard let inflater = GzipInflater(outputCapacity: blockSize) else {
            return (.corruptGzip(detail: "zlib could not start (out of memory)"), 0)
        }
        var decoded: UInt64 = 0
        defer { result.decodedBytes = decoded }
        var inMember = true
        // zlib may hold decoded bytes back when the output block fills; call it
        // again before asking for more input (or calling a short input truncated).
        var outputWasFull = false

        while true {
            if inMember {
                if input.available == 0 && !outputWasFull {
                    switch input.refill() {
                    case .bytes: break
                    case .endOfInput: return (.truncatedGzip, input.bytesRead)
                    case .failed(let code): return (.readFailed(errno: code), input.bytesRead)
                    }
                }
                let step = input.withAvailable { bytes in
                    inflater.inflate(bytes) { decodedBlock in
                        sink.feed(decodedBlock, onLine: onLine, onOverlongLine: onOverlongLine)
                    }
                }
                input.consume(step.consumed)
                decoded += UInt64(step.produced)
                outputWasFull = step.produced == inflater.outputCapacity
                switch step.status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    result.members += 1
                    inMember = false
                case Z_BUF_ERROR:
                    // No progress possible: zlib needs more input. With input
                    // still pending that would loop forever, so call it corrupt.
                    if input.available > 0 && step.consumed == 0 && step.produced == 0 {
                        return (.corruptGzip(detail: "zlib made no progress"), input.consumedOffset)
                    }
                case Z_NEED_DICT:
                    return (.corruptGzip(detail: "stream needs a preset dictionary"), input.consumedOffset)
                case Z_MEM_ERROR:
                    return (.corruptGzip(detail: "zlib ran out of memory"), input.consumedOffset)
                default:
                    let detail = inflater.message
                    return (.corruptGzip(detail: detail.isEmpty ? "zlib error \(step.status)" : detail),
                            input.consumedOffset)
                }
            } else {
                // Between members: need two bytes to see the magic.
                while input.available < 2 && !input.atEnd {
                    if case .failed(let code) = input.refill() {
                        return (.readFailed(errno: code), input.bytesRead)
                    }
                }
                if input.available == 0 { return nil }
                let first = input.peek(0)
                if first == 0 {
                    return skipZeroPadding(input)
                } else if input.available >= 2 && first == 0x1f && input.peek(1) == 0x8b {
                    inflater.reset()
                    inMember = true
                    outputWasFull = false
                } else if input.available == 1 && first == 0x1f {
                    // One byte of a next member's magic, then the end.
                    return (.truncatedGzip, input.bytesRead)
                } else {
                    return (.trailingGarbage, input.consumedOffset)
                }
            }
        }
    }

    /// Consumes zero bytes to the end of input; any other byte is garbage.
    private func skipZeroPadding(_ input: InputBuffer) -> (kind: InputError.Kind, offset: UInt64)? {
        while true {
            let nonZero = input.withAvailable { bytes in bytes.firstIndex { $0 != 0 } }
            if let nonZero {
                input.consume(nonZero)
                return (.trailingGarbage, input.consumedOffset)
            }
            input.consume(input.available)
            switch input.refill() {
            case .bytes: continue
            case .endOfInput: return nil
            case .failed(let code): return (.readFailed(errno: code), input.bytesRead)
            }
        }
    }
}

/// Where decoded blocks go: the first `LineReader.headBytes` are kept (for
/// recognising the data later), the first `skip` bytes are dropped (a resumed
/// read), the rest goes to the splitter.
private final class DecodedSink {
    let splitter: LineSplitter
    private var skip: UInt64
    private(set) var head: [UInt8]?

    init(splitter: LineSplitter, skip: UInt64, keepHead: Bool) {
        self.splitter = splitter
        self.skip = skip
        self.head = keepHead ? [] : nil
    }

    func feed(_ block: UnsafeBufferPointer<UInt8>, onLine: (ByteSlice, Int) -> Void, onOverlongLine: (Int, Int) -> Void) {
        if let h = head, h.count < LineReader.headBytes {
            head!.append(contentsOf: block.prefix(LineReader.headBytes - h.count))
        }
        if skip == 0 {
            splitter.feed(block, onLine: onLine, onOverlongLine: onOverlongLine)
        } else if UInt64(block.count) <= skip {
            skip -= UInt64(block.count)
        } else {
            let rest = UnsafeBufferPointer(rebasing: block[Int(skip)...])
            skip = 0
            splitter.feed(rest, onLine: onLine, onOverlongLine: onOverlongLine)
        }
    }
}
