import Foundation

/// How the format is chosen.
package enum FormatChoice: Sendable {
    /// Pick the best-fitting preset from the first lines, and say which.
    case detect
    case given(LogFormat)
}

/// What to read and how.
package struct AnalysisOptions: Sendable {
    package var paths: [String]
    package var format: FormatChoice = .detect
    package var sites: [Origin] = []
    /// Origins never dropped by the tracked-origin cap (`--trust` ones).
    package var protectedOrigins: [Origin] = []
    package var maxLineBytes = 1 << 20
    package var maxOrigins = 20_000
    /// Lines sampled for format detection.
    package var detectionLines = 200
    /// When the input holds no line at all (an incremental run with nothing new),
    /// report this format instead of failing.
    package var formatWhenEmpty: FormatInfo? = nil
    /// Keep the evidence per UTC day (`AnalysisRun.days`, and the run's `analysis.evidence`
    /// stays empty); lines without a time count on `undatedDay`.
    package var byDay = false
    package var undatedDay: Int32 = 0
    /// With `byDay`: origins tracked per day (nil: `maxOrigins`). An incremental run collects
    /// each day with the cap its state file keeps a day (`StateFile.dayCapacity`), so that
    /// a log of many days at the origin cap holds a few small days, not a full table a day.
    package var dayCapacity: Int? = nil
    /// The cores to use (0: all the process may run on): files read at the same time, each
    /// by its own worker, or a file's decode and parse threads (1: everything on the calling
    /// thread). Results do not depend on it: every file is aggregated on its own and merged
    /// in file order.
    package var threads = 0
    /// Decode (inflate or `read(2)`) on a thread of its own, handing large blocks to the parser.
    package var decodeThread: DecodeThread = .auto
    /// Which inflate implementation decodes gzip.
    package var inflate: InflateChoice = .auto
    /// Decoded block size (the ring holds four); results do not depend on it.
    package var blockSize = 1 << 20
    /// Threads that parse a file's lines ahead of its aggregation, when fewer files than
    /// cores are read at a time (0: the cores left beside the reading thread and a decode
    /// thread, if one runs; negative: none, the reading thread parses). Results do not
    /// depend on it (see `ParseAhead`).
    package var parseThreads = 0
    /// Lines handed to a parse thread at a time, in bytes; results do not depend on it.
    package var parseBatchBytes = ParseAhead.defaultBatchBytes
    /// Origins in one file from which the files after it are read one at a time rather than
    /// side by side (nil: half of `maxOrigins`, at least 1,000); results do not depend on it.
    package var sideBySideOriginLimit: Int? = nil

    package init(paths: [String]) { self.paths = paths }

    /// See `sideBySideOriginLimit`.
    var manyOrigins: Int { sideBySideOriginLimit ?? max(maxOrigins / 2, 1_000) }

    /// See `dayCapacity`.
    var originsPerDay: Int { dayCapacity ?? maxOrigins }
}

/// When a file is decoded on a thread of its own (`AnalysisOptions.decodeThread`).
/// Results do not depend on it.
package enum DecodeThread: Sendable {
    /// When it pays: for a file read alone, if zlib inflates it (a core's worth of work of
    /// its own) or there are three or more cores; else the reading thread decodes, so that
    /// no more threads are busy than there are cores (on two cores the parse-ahead thread
    /// takes the other one: with ISA-L or plain input that is faster, and 4 MiB smaller).
    case auto
    case always
    case never
}

/// One file to read and where to start (`--state` resumes after what was read).
package struct FileToRead: Sendable {
    package var path: String
    package var start: LineReader.Start

    package init(path: String, start: LineReader.Start = .beginning) {
        self.path = path
        self.start = start
    }
}

/// What a run produced beyond the analysis: each file's read (where to resume,
/// its head) and, with `byDay`, the evidence of each day.
package struct AnalysisRun: Sendable {
    package var analysis: Analysis
    package var reads: [FileReadResult]
    package var days: [Int32: Evidence]
    /// The inflate backend that decoded gzip input (nil: no gzip was read).
    package var inflate: InflateBackend? = nil
    /// Lines that were parsed on a `ParseAhead` thread (for tests: the report is the same either way).
    package var linesParsedAhead = 0
}

/// Called as the input is read: bytes decoded so far and lines so far (for a
/// progress line on a terminal).
package typealias ProgressHandler = @Sendable (_ path: String, _ decodedBytes: UInt64, _ lines: Int) -> Void

/// One input file's account.
package struct FileSummary: Sendable {
    package var path: String
    package var lines = 0
    package var parsed = 0
    package var skipped = 0
    package var blank = 0
    package var overlong = 0
    package var compressed = false
    package var error: InputError? = nil
    /// Lines that fit a preset recording Origin whole while the format read them with text
    /// left over (`RicherFormatProbe`): the log format changed; nil when none.
    package var richerFormatLines: RicherFormatLines? = nil
    /// The preset the file was read with, when the run's files were read with different ones
    /// (`FileFormats`); nil when the run's format read every file.
    package var format: String? = nil
}

/// A line that was not used, and why.
package struct SkippedLine: Sendable {
    package var file: String
    package var line: Int
    package var reason: String
}

/// The account of the whole input.
package struct InputSummary: Sendable {
    package var files: [FileSummary] = []
    package var skippedExamples: [SkippedLine] = []
    /// The inflate backend that decoded the gzip input (nil: none was gzip).
    package var inflate: InflateBackend? = nil
    /// The error logs in the directories given, not read (`InputSet.Listing`), in byte order.
    package var errorLogsLeftOut: [String] = []
    /// The directories' subdirectories and entries that are no regular file, not read
    /// (`InputSet.Listing.entriesLeftOut`), in byte order.
    package var entriesLeftOut: [String] = []
    /// When newer files record Origin and older ones do not: the format the newer chose.
    package var newerFormat: NewerFormat? = nil
    /// When the detected format (without Origin) left text holding a quoted origin after the
    /// lines sampled: how many, of how many (`FormatDetector.Detection.originsAfterFormat`).
    /// Said by this run's reports; not kept by summaries.
    package var originsAfterFormat: (lines: Int, sampled: Int)? = nil
    static let maxExamples = 10

    /// The lines of every file that fit a preset recording Origin whole (`FileSummary.richerFormatLines`):
    /// how many, the preset and the first such line (of the first file that has one); nil when none.
    package var formatChange: (format: String, lines: Int, file: String, line: Int)? {
        var total = 0
        var first: (format: String, file: String, line: Int)? = nil
        for f in files {
            guard let r = f.richerFormatLines else { continue }
            total += r.lines
            if first == nil { first = (r.format, f.path, r.firstLine) }
        }
        return first.map { ($0.format, total, $0.file, $0.line) }
    }

    package var lines: Int { files.reduce(0) { $0 + $1.lines } }
    package var parsed: Int { files.reduce(0) { $0 + $1.parsed } }
    package var skipped: Int { files.reduce(0) { $0 + $1.skipped } }
    package var blank: Int { files.reduce(0) { $0 + $1.blank } }
    package var errors: [InputError] { files.compactMap(\.error) }
}

/// The format an analysis read, as its report names it. A summary or state
/// file carries it without the compiled program.
package struct FormatInfo: Sendable, Equatable, Codable {
    package var name: String
    package var syntax: LogFormat.Syntax
    package var definition: String

    package init(name: String, syntax: LogFormat.Syntax, definition: String) {
        self.name = name
        self.syntax = syntax
        self.definition = definition
    }

    package init(_ format: LogFormat) {
        self.init(name: format.name, syntax: format.syntax, definition: format.definition)
    }

    /// Several formats as one (files read with different ones, summaries of different
    /// formats merged): the names joined with " + ", the definitions with " | ", the first's syntax.
    package static func joined(_ formats: [FormatInfo]) -> FormatInfo {
        guard formats.count > 1 else { return formats[0] }
        return FormatInfo(name: formats.map(\.name).joined(separator: " + "), syntax: formats[0].syntax,
                          definition: formats.map(\.definition).joined(separator: " | "))
    }
}

/// How well a detected format fitted the sampled lines.
package struct DetectionInfo: Sendable, Equatable, Codable {
    /// Sampled lines the format parsed.
    package var parsed: Int
    /// Non-blank lines sampled.
    package var sampled: Int

    package init(parsed: Int, sampled: Int) {
        self.parsed = parsed
        self.sampled = sampled
    }
}

/// What an incremental run read and what its evidence covers.
package struct IncrementalInfo: Sendable, Equatable {
    package var statePath: String
    package var windowDays: Int
    /// The window's first and last UTC day with evidence (nil: none yet).
    package var firstDay: Int32?
    package var lastDay: Int32?
    /// Days with evidence in the window.
    package var days: Int
    /// Files whose data had all been read before (not read again).
    package var filesAlreadyRead: Int
    /// Files read from where an earlier run stopped.
    package var filesResumed: Int
    /// Decoded bytes skipped because earlier runs read them.
    package var bytesSkipped: UInt64
    /// Days of evidence inferred from Referer that this run dropped: its logs record Origin
    /// (the log format gained it), so the window started again (0: none).
    package var refererDaysDropped = 0
}

/// The result of reading, parsing and aggregating the logs.
package struct Analysis: Sendable {
    package var format: FormatInfo
    /// Set when the format was detected: lines parsed of those sampled.
    package var detection: DetectionInfo?
    package var input: InputSummary
    package var evidence: Evidence
    /// The site origins the evidence was split by (same-origin or cross-origin);
    /// empty when the logged Host decided.
    package var sites: [Origin]
    /// Set for an incremental run (`--state`): the evidence is the window's, `input` this run's reading.
    package var incremental: IncrementalInfo? = nil

    package init(format: FormatInfo, detection: DetectionInfo?, input: InputSummary, evidence: Evidence, sites: [Origin] = []) {
        self.format = format
        self.detection = detection
        self.input = input
        self.evidence = evidence
        self.sites = sites
    }
}

/// Why an analysis produced nothing usable.
package struct AnalysisError: Error, Sendable, CustomStringConvertible {
    package enum Kind: Sendable { case noInput, noLineParsed, formatNotDetected }
    package var kind: Kind
    package var description: String
}

/// read → parse → aggregate, streaming every input once.
///
/// Every file is aggregated by its own `FileWork` (parser, collector, account) and the
/// files' evidence is merged in file order with `Evidence.merge`, whether the files were
/// read one after another or by parallel workers: the result is the same for any thread
/// count. Only the format detection reads sequentially, until the format is known.
package enum Analyzer {
    package static func analyze(_ options: AnalysisOptions) throws(AnalysisError) -> Analysis {
        let listing = InputSet.listing(options.paths)
        return try run(options, files: listing.files.map { FileToRead(path: $0) }, leftOut: listing.leftOut).analysis
    }

    /// Reads `files` (already expanded) from where each starts. `onLine` sees every
    /// parsed line too, in order, on this thread (for checks that replay requests; files
    /// are then read one after another, their lines parsed ahead on the other cores);
    /// `progress` is called about every 64 MiB of decoded input. `leftOut`: what
    /// `InputSet.listing` left out, for the report.
    package static func run(_ options: AnalysisOptions, files: [FileToRead], leftOut: InputSet.LeftOut = InputSet.LeftOut(),
                            onLine: ((borrowing ParsedFields) -> Void)? = nil,
                            progress: ProgressHandler? = nil) throws(AnalysisError) -> AnalysisRun {
        let cores = options.threads > 0 ? options.threads : ProcessInfo.processInfo.activeProcessorCount
        /// How a file is read: on its own (`alone`: the cores are its) or beside others.
        func plan(_ path: String, alone: Bool) -> (reader: LineReader, aheadWorkers: Int) {
            let zlibGzip = options.inflate.resolved == .zlib && LineReader.startsWithGzipMagic(path)
            let decodeThread: Bool
            switch options.decodeThread {
            case .always: decodeThread = true
            case .never: decodeThread = false
            case .auto: decodeThread = alone && cores >= 2 && (zlibGzip || cores >= 3)
            }
            let reader = LineReader(maxLineBytes: options.maxLineBytes, blockSize: options.blockSize, decodeThread: decodeThread,
                                    inflate: options.inflate)
            guard alone else { return (reader, 0) }
            return (reader, parseWorkers(options, cores: cores, decodeThread: decodeThread))
        }
        var format: LogFormat? = nil
        var detection: FormatDetector.Detection? = nil
        var newer: NewerFormat? = nil
        if case .given(let given) = options.format { format = given }
        // Newer files that record Origin beside older ones that do not: the newer format
        // (`NewerFormat`). Files resumed by `--state` start past their first lines: not looked at.
        // The first lines of every file, detected once for both (`FileFormats.detectHeads`).
        let heads = format == nil ? FileFormats.detectHeads(files) : nil
        if let heads, let chosen = NewerFormat.choose(zip(files, heads).filter { $0.0.start.offset == 0 }.map { ($0.0.path, $0.1) }) {
            (format, detection, newer) = (chosen.format, chosen.detection, chosen.change)
        }
        // Files whose first lines fit different presets that agree on Origin: each its own (`FileFormats`).
        var perFile: FileFormats? = nil
        if format == nil, let heads, let mixed = FileFormats.choose(heads) {
            perFile = mixed
            (format, detection) = (mixed.first, mixed.detection)
        }

        // Each file's outcome is folded into the run as soon as it and the files before it
        // are read, so a rotated set of any length holds the evidence of a few files at most.
        var fold = AnalysisFold(options: options, leftOut: leftOut, newerFormat: newer)
        // A format given without Origin whose lines go on with a quoted origin (a `log_format`
        // with "$http_origin" after combined, given as combined): said as for a detected one.
        if case .given(let given) = options.format, let first = files.first, first.path != "-",
           !given.fields.contains(.origin), given.syntax != .json {
            let sample = FormatDetector.sample(NewerFormat.head(first.path, from: first.start.offset))
            let found = FormatDetector.originsAfter(given, in: sample)
            if found > 0 { fold.originsAfterGivenFormat = (found, sample.count) }
        }
        // Detection: files one after another, lines held back until enough are seen.
        var held: [FileWork] = []
        var next = 0
        while format == nil && next < files.count {
            var work = FileWork(path: files[next].path, index: next, options: options, format: nil)
            var heldLines = held.reduce(0) { $0 + $1.pending.count }
            var heldBytes = held.reduce(0) { $0 + $1.pendingBytes }
            var failure: AnalysisError? = nil
            // Once the format is known, the rest of this file is parsed ahead (as `readWhole` does).
            var ahead: AheadFeed? = nil
            let (reader, aheadWorkers) = plan(files[next].path, alone: true)
            let result = read(files[next], with: reader, progress: progress, onLine: { line, number in
                if failure != nil { return }
                if ahead != nil { ahead!.add(line, number: number, into: &work); return }
                if work.parser != nil { work.line(line, number: number, observer: onLine); return }
                guard work.hold(line, number: number) else { return }
                heldLines += 1
                heldBytes += line.count
                if heldLines >= options.detectionLines || heldBytes >= 4 << 20 {
                    do throws(AnalysisError) {
                        (format, detection) = try detect(held + [work])
                        for i in held.indices { held[i].start(format!, observer: onLine) }
                        work.start(format!, observer: onLine)
                        if aheadWorkers >= 1 {
                            ahead = AheadFeed(format: format!, workers: aheadWorkers, options: options, observer: onLine)
                        }
                    } catch { failure = error }
                }
            }, onOverlongLine: { number, length in work.overlong(number: number, length: length) })
            ahead?.finish(into: &work)
            if let failure { throw failure }
            work.end(result)
            held.append(work)
            next += 1
        }
        if format == nil && held.contains(where: { !$0.pending.isEmpty }) {
            (format, detection) = try detect(held)
            for i in held.indices { held[i].start(format!, observer: onLine) }
        }
        for work in held { fold.add(work.finish()) }
        held = []

        // The rest, with the format known: in parallel unless an observer must see the lines in order.
        if let format, next < files.count {
            let rest = Array(next..<files.count)
            let formats = perFile?.formats
            func sideBySide() -> Bool {
                min(rest.count, cores, Self.maxFilesSideBySide) > 1 && onLine == nil
                    && rest.count >= min(cores, Self.maxFilesSideBySide) && !fold.holdsManyOrigins
            }
            let workers = min(rest.count, cores, Self.maxFilesSideBySide)
            var oneAtATime = rest
            if sideBySide() {
                // One worker per core (at most `maxFilesSideBySide`), each file folded in as soon
                // as the ones before it are: at most `workers` files in the making or waiting —
                // until a file holds many origins (see `holdsManyOrigins`): the files after it
                // are read one at a time.
                let first = rest[0]
                let readers = rest.map { plan(files[$0].path, alone: false).reader }
                oneAtATime = ParallelMap.forEachInOrder(rest, workers: workers, window: workers) { i in
                    readWhole(files[i], index: i, format: formats?[i] ?? format, options: options, reader: readers[i - first],
                              observer: nil, progress: progress, namesFormat: formats != nil)
                } consume: { _, outcome in
                    fold.add(outcome)
                    return !fold.holdsManyOrigins
                }
            }
            // One file at a time (fewer files than cores, an observer that must see the lines
            // in order, or files with many origins): its lines parsed ahead on the other cores.
            for i in oneAtATime {
                let (reader, aheadWorkers) = plan(files[i].path, alone: true)
                fold.add(readWhole(files[i], index: i, format: formats?[i] ?? format, options: options, reader: reader,
                                   observer: onLine, progress: progress, aheadWorkers: aheadWorkers, namesFormat: formats != nil))
            }
        }
        return try fold.finish(format: format, detection: detection, formats: perFile?.distinct)
    }

    /// Reads one file whose format is known; with `aheadWorkers` ≥ 1 its lines are parsed on
    /// that many threads ahead of the aggregation (`ParseAhead`), which (and the observer)
    /// still sees them in order on this thread. `namesFormat`: the file's summary names its
    /// format (the files of the run are read with different ones).
    private static func readWhole(_ file: FileToRead, index: Int, format: LogFormat, options: AnalysisOptions,
                                  reader: LineReader, observer: ((borrowing ParsedFields) -> Void)?,
                                  progress: ProgressHandler?, aheadWorkers: Int = 0, namesFormat: Bool = false) -> FileOutcome {
        var work = FileWork(path: file.path, index: index, options: options, format: format)
        if namesFormat { work.summary.format = format.name }
        let result: FileReadResult
        if aheadWorkers >= 1 {
            var ahead = AheadFeed(format: format, workers: aheadWorkers, options: options, observer: observer)
            result = read(file, with: reader, progress: progress, onLine: { line, number in
                ahead.add(line, number: number, into: &work)
            }, onOverlongLine: { number, length in work.overlong(number: number, length: length) })
            ahead.finish(into: &work)
        } else {
            result = read(file, with: reader, progress: progress, onLine: { line, number in
                work.line(line, number: number, observer: observer)
            }, onOverlongLine: { number, length in work.overlong(number: number, length: length) })
        }
        work.end(result)
        return work.finish()
    }

    /// Parse threads for one file read alone: `parseThreads`, or the cores left beside the
    /// reading thread (which aggregates) and the decode thread, if any. Not for lines so
    /// long that a batch's offsets could pass 2 GiB.
    private static func parseWorkers(_ options: AnalysisOptions, cores: Int, decodeThread: Bool) -> Int {
        guard options.maxLineBytes <= 512 << 20 else { return 0 }
        if options.parseThreads != 0 { return max(options.parseThreads, 0) }
        return min(max(cores - 1 - (decodeThread ? 1 : 0), 0), maxParseThreads)
    }

    /// Parse threads beside one reading thread: the reading thread aggregates in order, and
    /// one parse thread already nearly keeps up with it (on two cores the two are within
    /// 15 % of each other), so more than three only add batches in flight (576 KiB each).
    static let maxParseThreads = 3

    /// Files read side by side at most, whatever the number of cores: each holds its own
    /// blocks and collector (about 4 MiB for an ordinary log, 30 to 55 MiB for one at the
    /// origin cap), so memory does not grow with the machine; four such readers already
    /// decode and parse about 3 GB/s with ISA-L, more than most disks deliver.
    static let maxFilesSideBySide = 4

    /// `reader.read`, with a progress report about every 64 MiB.
    private static func read(_ file: FileToRead, with reader: LineReader, progress: ProgressHandler?,
                             onLine: (ByteSlice, Int) -> Void,
                             onOverlongLine: (Int, Int) -> Void) -> FileReadResult {
        guard let progress else {
            return reader.read(path: file.path, from: file.start, onLine: onLine, onOverlongLine: onOverlongLine)
        }
        var bytes: UInt64 = 0, lines = 0, nextReport: UInt64 = 64 << 20
        return reader.read(path: file.path, from: file.start, onLine: { line, number in
            onLine(line, number)
            bytes += UInt64(line.count + 1)
            lines += 1
            if bytes >= nextReport { nextReport += 64 << 20; progress(file.path, bytes, lines) }
        }, onOverlongLine: onOverlongLine)
    }

    private static func detect(_ works: [FileWork]) throws(AnalysisError) -> (LogFormat, FormatDetector.Detection) {
        let sample = works.flatMap { $0.pending.map(\.bytes) }
        guard let found = FormatDetector.detect(sample) else {
            let first = works.first { !$0.pending.isEmpty }!
            throw AnalysisError(kind: .formatNotDetected, description:
                "no preset format fits the first \(sample.count) lines (from \(first.summary.path):\(first.pending[0].number)). "
                + "Give the server's own definition with --format '…' (nginx log_format or Apache LogFormat) or --format-file.")
        }
        return (found.format, found)
    }
}

/// One file's parser, collector and account: the per-line hot path works on this
/// value alone (a local variable of the reading function, so no shared state and no
/// dynamic exclusivity checks).
struct FileWork {
    let index: Int
    let options: AnalysisOptions
    var parser: LineParser?
    /// Probes the lines left with text after a format without Origin (`RicherFormatProbe`).
    var probe: RicherFormatProbe?
    var collector: EvidenceCollector?
    /// With `byDay`: the lines go here instead of `collector`.
    var daily: DailyCollector?
    var summary: FileSummary
    var skippedExamples: [SkippedLine] = []
    var read = FileReadResult(path: "")
    var linesParsedAhead = 0
    /// Lines held back until the format is detected.
    var pending: [(number: Int, bytes: [UInt8])] = []
    var pendingBytes = 0

    init(path: String, index: Int, options: AnalysisOptions, format: LogFormat?) {
        self.index = index
        self.options = options
        self.summary = FileSummary(path: path)
        if let format { setUp(format) }
    }

    /// A collector for the file (`capacity` nil: `maxOrigins`) or for one of its days; a day's
    /// raw-Origin cache is sized to its cap (each open day has one).
    static func makeCollector(format: LogFormat, options: AnalysisOptions, capacity: Int? = nil) -> EvidenceCollector {
        var cacheEntries = 1 << 15
        if let capacity { while cacheEntries > 1024 && cacheEntries >= 4 * capacity { cacheEntries >>= 1 } }
        return EvidenceCollector(
            source: format.fields.contains(.origin) ? .originHeader : .referer,
            sites: options.sites, protected: options.protectedOrigins, capacity: capacity ?? options.maxOrigins,
            hasRequestMethodField: format.fields.contains(.requestMethodHeader),
            requestHeadersField: AnswerField(format, .requestHeadersHeader),
            hasHostField: format.fields.contains(.host),
            allowOriginField: AnswerField(format),
            credentialsField: AnswerField(format, .allowCredentials),
            logsOrigins: format.fields.contains(.origin) || format.fields.contains(.referer), jsonLines: format.syntax == .json,
            cacheEntries: cacheEntries)
    }

    private mutating func setUp(_ format: LogFormat) {
        parser = format.makeCollectingParser()
        probe = RicherFormatProbe(for: format)
        let options = self.options
        if options.byDay {
            daily = DailyCollector(capacity: options.originsPerDay, undatedDay: options.undatedDay) {
                FileWork.makeCollector(format: format, options: options, capacity: options.originsPerDay)
            }
        } else {
            collector = Self.makeCollector(format: format, options: options)
        }
    }

    /// The format is known: parse the held-back lines.
    mutating func start(_ format: LogFormat, observer: ((borrowing ParsedFields) -> Void)?) {
        setUp(format)
        let held = pending
        pending = []
        pendingBytes = 0
        for (number, bytes) in held {
            bytes.withUnsafeBufferPointer { process(ByteSlice($0), number: number, observer: observer) }
        }
    }

    /// Holds a line back for detection; false for a blank line (counted, not held).
    mutating func hold(_ line: ByteSlice, number: Int) -> Bool {
        if Self.isBlank(line) {
            summary.blank += 1
            return false
        }
        pending.append((number, line.bytes))
        pendingBytes += line.count
        return true
    }

    @inline(__always)
    mutating func line(_ line: ByteSlice, number: Int, observer: ((borrowing ParsedFields) -> Void)?) {
        if Self.isBlank(line) {
            summary.blank += 1
            return
        }
        process(line, number: number, observer: observer)
    }

    @inline(__always)
    private mutating func process(_ line: ByteSlice, number: Int, observer: ((borrowing ParsedFields) -> Void)?) {
        // Parser and collector are separate stored properties, so the closure's
        // access to the collector does not overlap the parse call's access to the parser.
        let failure: ParseFailure?
        if daily != nil {
            failure = parser!.parse(line) { f in
                daily!.add(f)
                observer?(f)
            }
        } else {
            failure = parser!.parse(line) { f in
                collector!.add(f)
                observer?(f)
            }
        }
        if let failure {
            skip(number: number, reason: failure.description)
        } else {
            summary.parsed += 1
            if parser!.lastLineHadTrailingText && probe != nil, let preset = probe!.fit(line) {
                RicherFormatLines.add(RicherFormatLines(line: number, preset: preset), to: &summary.richerFormatLines)
            }
        }
    }

    /// Aggregates a batch parsed elsewhere (`ParseAhead`), the next lines in order, and
    /// hands each parsed line to `observer` after it is counted, as `line` does.
    mutating func collect(_ batch: LineBatch, observer: ((borrowing ParsedFields) -> Void)?) {
        linesParsedAhead += batch.lineCount
        if let richer = batch.richerFormatLines { RicherFormatLines.add(richer, to: &summary.richerFormatLines) }
        batch.forEachLine { event in
            switch event {
            case .parsed(let f):
                if daily != nil { daily!.add(f) } else { collector!.add(f) }
                observer?(f)
                summary.parsed += 1
            case .blank:
                summary.blank += 1
            case .failed(let number, let failure):
                skip(number: number, reason: failure.description)
            }
        }
    }

    mutating func overlong(number: Int, length: Int) {
        summary.overlong += 1
        skip(number: number, reason: "line longer than \(options.maxLineBytes) bytes (--max-line-bytes)")
    }

    private mutating func skip(number: Int, reason: String) {
        summary.skipped += 1
        guard skippedExamples.count < InputSummary.maxExamples || number < skippedExamples.last!.line else { return }
        // Kept by line number: held-back lines are parsed after later overlong ones were seen.
        let at = skippedExamples.firstIndex { $0.line > number } ?? skippedExamples.endIndex
        skippedExamples.insert(SkippedLine(file: summary.path, line: number, reason: reason), at: at)
        if skippedExamples.count > InputSummary.maxExamples { skippedExamples.removeLast() }
    }

    mutating func end(_ result: FileReadResult) {
        read = result
        summary.lines = result.lines + result.overlongLines  // every line read: delivered and overlong (skipped)
        summary.compressed = result.compressed
        summary.error = result.error
    }

    /// The file's outcome; consumes the work, so the collector's memory is released as
    /// its evidence is built (`EvidenceCollector.finish`).
    consuming func finish() -> FileOutcome {
        var days: [Int32: Evidence] = [:]
        if daily != nil {
            days = daily!.finish()
            daily = nil
        }
        let collector = self.collector.take()
        parser = nil
        return FileOutcome(summary: summary, skippedExamples: skippedExamples, read: read,
                           evidence: collector?.finish(), days: days, linesParsedAhead: linesParsedAhead)
    }

    private static func isBlank(_ line: ByteSlice) -> Bool {
        for i in 0..<line.count where line[i] != UInt8(ascii: " ") && line[i] != UInt8(ascii: "\t") && line[i] != UInt8(ascii: "\r") {
            return false
        }
        return true
    }
}

/// The lines of one file on their way through a `ParseAhead` pool: filled on the
/// reading thread, which aggregates the parsed batches in order as they come back.
private struct AheadFeed {
    private let pool: ParseAhead
    private var batch: LineBatch
    private let maxLineBytes: Int
    /// Sees every parsed line, in order, on the reading thread (`verify`).
    private let observer: ((borrowing ParsedFields) -> Void)?

    init(format: LogFormat, workers: Int, options: AnalysisOptions, observer: ((borrowing ParsedFields) -> Void)?) {
        pool = ParseAhead(format: format, workers: workers, batchBytes: options.parseBatchBytes)
        maxLineBytes = options.maxLineBytes
        self.observer = observer
        batch = pool.emptyBatch(maxLineBytes: maxLineBytes)
    }

    /// Lines longer than this are parsed by the reading thread itself, after every batch
    /// before them was aggregated: batches then never grow past their reservation, so a
    /// log of long lines (up to `--max-line-bytes`) costs no more memory ahead than others.
    static let longLine = 64 << 10

    @inline(__always)
    mutating func add(_ line: ByteSlice, number: Int, into work: inout FileWork) {
        if line.count > Self.longLine {
            flush(into: &work)
            drain(into: &work)
            work.line(line, number: number, observer: observer)
            return
        }
        batch.append(line, number: number)
        if batch.byteCount >= pool.batchBytes { flush(into: &work) }
    }

    /// Aggregates every batch still out, in order.
    private mutating func drain(into work: inout FileWork) {
        while let parsed = pool.takeOldest() {
            work.collect(parsed, observer: observer)
            pool.recycle(parsed)
        }
    }

    private mutating func flush(into work: inout FileWork) {
        guard !batch.isEmpty else { return }
        while pool.inFlight >= pool.limit - 1, let parsed = pool.takeOldest() {
            work.collect(parsed, observer: observer)
            pool.recycle(parsed)
        }
        pool.submit(batch)
        batch = pool.emptyBatch(maxLineBytes: maxLineBytes)
    }

    /// Submits the last lines, aggregates every batch still out and stops the threads.
    mutating func finish(into work: inout FileWork) {
        flush(into: &work)
        drain(into: &work)
        pool.close()
    }
}
