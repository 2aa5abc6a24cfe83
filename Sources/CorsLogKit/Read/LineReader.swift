#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Streams a file or standard input, plain or gzip, as lines, in constant memory.
///
/// Memory per read: one input block and one decoded block of `blockSize`
/// bytes (four decoded blocks with `decodeThread`), one carry buffer of
/// `maxLineBytes` bytes and the inflater's state (zlib ~40 KB, ISA-L ~180 KB).
/// gzip is recognised by its magic bytes `1f 8b`, never by the file name;
/// concatenated members (`cat a.gz b.gz`) are read one after the other as one
/// stream, and all-zero padding after the last member is ignored.
package struct LineReader: Sendable {
    package let maxLineBytes: Int
    package let blockSize: Int

    /// Decode on a thread of its own (see `run`).
    package let decodeThread: Bool
    package let inflate: InflateChoice

    package init(maxLineBytes: Int = 1 << 20, blockSize: Int = 1 << 20, decodeThread: Bool = false,
                 inflate: InflateChoice = .zlib) {
        self.maxLineBytes = max(maxLineBytes, 1)
        self.blockSize = max(blockSize, 1)
        self.decodeThread = decodeThread
        self.inflate = inflate
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
        // Standard input: with the bytes `startsWithGzipMagic` may have read ahead in front.
        let source: ByteSource = path == "-" ? StandardInput.source() : .descriptor(fd)
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
                if start.offset > 0 && !gzip && path != "-" && lseek(fd, off_t(start.offset), SEEK_SET) >= 0 {
                    return run(source: .descriptor(fd), name: path, start: start, seeked: true,
                               onLine: onLine, onOverlongLine: onOverlongLine).result
                }
            }
        }
        return run(source: source, name: path, start: start, onLine: onLine, onOverlongLine: onOverlongLine).result
    }

    /// The same over in-memory bytes (for tests and for replaying a buffered head), name used in errors.
    /// Whether the file `path` starts with gzip's magic bytes (false for unreadable files).
    /// For "-" (standard input) the first two bytes are read ahead and handed back to `read`.
    package static func startsWithGzipMagic(_ path: String) -> Bool {
        guard path != "-" else { return StandardInput.startsWithGzipMagic() }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var magic: (UInt8, UInt8) = (0, 0)
        // safe because: magic is two bytes, pread writes at most two into it.
        let n = withUnsafeMutableBytes(of: &magic) { pread(fd, $0.baseAddress, 2, 0) }
        return n == 2 && magic.0 == 0x1f && magic.1 == 0x8b
    }

    package func read(bytes: [UInt8], name: String,
                      onLine: (ByteSlice, Int) -> Void,
                      onOverlongLine: (Int, Int) -> Void) -> FileReadResult {
        run(source: .memory(bytes, position: 0), name: name, onLine: onLine, onOverlongLine: onOverlongLine).result
    }

    /// The shared engine; also returns the carry high-water mark for tests.
    /// `seeked`: the source is a plain file already positioned at `start.offset`.
    ///
    /// With `decodeThread`, a `StreamDecoder` inflates (or reads) on a thread of its own into
    /// a `BlockRing` of four blocks, and this thread splits and delivers the lines:
    /// the lines, counts and errors are the same as when both run here.
    func run(source: ByteSource, name: String, start: Start = .beginning, seeked: Bool = false,
             onLine: (ByteSlice, Int) -> Void,
             onOverlongLine: (Int, Int) -> Void) -> (result: FileReadResult, peakCarryBytes: Int) {
        let splitter = LineSplitter(maxLineBytes: maxLineBytes, firstLineNumber: start.linesBefore + 1)
        let sink = DecodedSink(splitter: splitter, skip: seeked ? 0 : start.offset, keepHead: !seeked)
        let decoder = StreamDecoder(input: InputBuffer(source: source, capacity: blockSize), seeked: seeked,
                              inflate: inflate, blockSize: blockSize)
        var outcome: StreamDecoder.Outcome
        if decodeThread {
            let ring = BlockRing(blocks: 4, size: blockSize)
            let thread = WorkerThread { [decoder] in decoder.runAndClose(into: ring) }
            while let block = ring.nextFull() {
                ring.withBlock(block) { sink.feed($0, onLine: onLine, onOverlongLine: onOverlongLine) }
                ring.recycle(block)
            }
            thread.join()
            outcome = decoder.outcome
        } else {
            let block = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: blockSize)
            defer { block.deallocate() }
            // safe because: block is owned here for the call; emit hands its filled prefix to the sink only during the call.
            let last: Int
            (outcome, last) = decoder.decode(into: block) { filled in
                sink.feed(UnsafeBufferPointer(rebasing: block[..<filled]), onLine: onLine, onOverlongLine: onOverlongLine)
                return block
            }
            sink.feed(UnsafeBufferPointer(rebasing: block[..<last]), onLine: onLine, onOverlongLine: onOverlongLine)
        }
        var result = FileReadResult(path: name)
        result.compressed = outcome.compressed
        result.members = outcome.members
        result.decodedBytes = outcome.compressed ? outcome.decoded : outcome.inputBytes + (seeked ? start.offset : 0)
        result.inflate = outcome.backend
        let held = splitter.finish(holdTail: start.holdUnterminatedTail, onLine: onLine, onOverlongLine: onOverlongLine)
        let decoded = max(result.decodedBytes, seeked ? start.offset : 0)
        result.resumeOffset = decoded >= UInt64(held) ? decoded - UInt64(held) : 0
        result.head = sink.head
        result.lines = splitter.lines
        result.overlongLines = splitter.overlongLines
        result.inputBytes = outcome.inputBytes
        if let failure = outcome.failure {
            result.error = InputError(path: name, kind: failure.kind, offset: failure.offset, linesBefore: splitter.lines)
        }
        return (result, splitter.peakCarryBytes)
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
