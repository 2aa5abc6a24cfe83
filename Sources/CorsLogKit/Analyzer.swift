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
    /// Keep the evidence per UTC day (`AnalysisRun.days`); lines without a time count on `undatedDay`.
    package var byDay = false
    package var undatedDay: Int32 = 0

    package init(paths: [String]) { self.paths = paths }
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
    static let maxExamples = 10

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
package enum Analyzer {
    package static func analyze(_ options: AnalysisOptions) throws(AnalysisError) -> Analysis {
        try run(options, files: InputSet.expand(options.paths).map { FileToRead(path: $0) }).analysis
    }

    /// Reads `files` (already expanded) from where each starts. `onLine` sees every
    /// parsed line too (for checks that replay requests); `progress` is called about
    /// every 64 MiB of decoded input.
    package static func run(_ options: AnalysisOptions, files: [FileToRead],
                            onLine: ((borrowing ParsedFields) -> Void)? = nil,
                            progress: ProgressHandler? = nil) throws(AnalysisError) -> AnalysisRun {
        let reader = LineReader(maxLineBytes: options.maxLineBytes)
        let run = Run(options: options)
        run.observer = onLine
        if case .given(let format) = options.format { run.start(with: format, detection: nil) }

        var reads: [FileReadResult] = []
        for file in files {
            run.beginFile(file.path)
            var bytes: UInt64 = 0, nextReport: UInt64 = 64 << 20
            let result = reader.read(path: file.path, from: file.start, onLine: { line, number in
                run.line(line, number: number)
                if let progress {
                    bytes += UInt64(line.count + 1)
                    if bytes >= nextReport { nextReport += 64 << 20; progress(file.path, bytes, run.summary.lines + run.linesInFile) }
                }
            }, onOverlongLine: { number, length in
                run.overlong(number: number, length: length, limit: options.maxLineBytes)
            })
            run.endFile(result)
            reads.append(result)
        }
        try run.flushDetection()

        let input = run.summary
        if input.files.allSatisfy({ $0.error != nil }) && !input.files.isEmpty {
            throw AnalysisError(kind: .noInput, description: "no input could be read: "
                + input.errors.map(\.description).joined(separator: "; "))
        }
        guard let format = run.format else {
            if let empty = options.formatWhenEmpty, input.skipped == 0 {
                return AnalysisRun(analysis: Analysis(format: empty, detection: nil, input: input,
                                                      evidence: Evidence(source: .originHeader), sites: options.sites),
                                   reads: reads, days: [:])
            }
            throw AnalysisError(kind: .noInput, description: "the input holds no log lines")
        }
        if input.parsed == 0 && input.skipped > 0 {
            let first = input.skippedExamples.first.map { " First: \($0.file):\($0.line): \($0.reason)." } ?? ""
            throw AnalysisError(kind: .noLineParsed, description:
                "none of the \(input.skipped) lines matched the format \(format.name).\(first) "
                + "Give the server's own definition with --format '…' or --format-file.")
        }
        var evidence = run.collector!.finish()
        var days: [Int32: Evidence] = [:]
        if run.daily != nil {
            days = run.daily!.finish()
            for (_, e) in days.sorted(by: { $0.key < $1.key }) { evidence.merge(e, capacity: options.maxOrigins) }
        }
        let analysis = Analysis(format: FormatInfo(format), detection: run.detection.map { DetectionInfo(parsed: $0.parsed, sampled: $0.sampled) },
                                input: input, evidence: evidence, sites: options.sites)
        return AnalysisRun(analysis: analysis, reads: reads, days: days)
    }
}

/// The state of one streaming run (kept out of the closures' captures).
private final class Run {
    let options: AnalysisOptions
    var format: LogFormat?
    var detection: FormatDetector.Detection?
    var parser: LineParser?
    var collector: EvidenceCollector?
    /// With `byDay`: the lines go here, and `collector` stays empty (it gives the source and cap).
    var daily: DailyCollector?
    var observer: ((borrowing ParsedFields) -> Void)?
    var summary = InputSummary()
    var current = -1
    /// Lines held back until the format is detected: (file index, line number, bytes).
    var pending: [(Int, Int, [UInt8])] = []
    var pendingBytes = 0

    init(options: AnalysisOptions) { self.options = options }

    func start(with format: LogFormat, detection: FormatDetector.Detection?) {
        self.format = format
        self.detection = detection
        self.parser = format.makeParser()
        let source: OriginSource = format.fields.contains(.origin) ? .originHeader : .referer
        let options = self.options
        let make = {
            EvidenceCollector(
                source: source, sites: options.sites, protected: options.protectedOrigins,
                capacity: options.maxOrigins,
                hasRequestMethodField: format.fields.contains(.requestMethodHeader),
                hasHostField: format.fields.contains(.host))
        }
        self.collector = make()
        if options.byDay {
            daily = DailyCollector(capacity: options.maxOrigins, undatedDay: options.undatedDay, make: make)
        }
    }

    /// Lines of the current file so far (for progress).
    var linesInFile: Int { current >= 0 ? summary.files[current].parsed + summary.files[current].skipped : 0 }

    func beginFile(_ path: String) {
        summary.files.append(FileSummary(path: path))
        current = summary.files.count - 1
    }

    func endFile(_ result: FileReadResult) {
        // Every line read: delivered (parsed, skipped, blank) and overlong (skipped).
        summary.files[current].lines = result.lines + result.overlongLines
        summary.files[current].compressed = result.compressed
        summary.files[current].error = result.error
    }

    func overlong(number: Int, length: Int, limit: Int) {
        summary.files[current].overlong += 1
        skip(file: current, number: number, reason: "line longer than \(limit) bytes (--max-line-bytes)")
    }

    func line(_ line: ByteSlice, number: Int) {
        if isBlank(line) {
            summary.files[current].blank += 1
            return
        }
        if parser == nil {
            pending.append((current, number, line.bytes))
            pendingBytes += line.count
            if pending.count >= options.detectionLines || pendingBytes >= 4 << 20 {
                try? flushDetection()
            }
            return
        }
        process(line, file: current, number: number)
    }

    func process(_ line: ByteSlice, file: Int, number: Int) {
        // Parser and collector are separate stored properties of a class, so the
        // closure's access to one does not overlap the parse call's access to the other.
        let failure = parser!.parse(line) { f in
            if self.daily != nil { self.daily!.add(f) } else { self.collector!.add(f) }
            self.observer?(f)
        }
        if let failure {
            skip(file: file, number: number, reason: failure.description)
        } else {
            summary.files[file].parsed += 1
        }
    }

    func skip(file: Int, number: Int, reason: String) {
        summary.files[file].skipped += 1
        if summary.skippedExamples.count < InputSummary.maxExamples {
            summary.skippedExamples.append(SkippedLine(file: summary.files[file].path, line: number, reason: reason))
        }
    }

    /// Detects the format from the held-back lines (if still undecided) and replays them.
    func flushDetection() throws(AnalysisError) {
        guard parser == nil else { return }
        guard !pending.isEmpty else { return }
        guard let found = FormatDetector.detect(pending.map(\.2)) else {
            let (file, number, _) = pending[0]
            throw AnalysisError(kind: .formatNotDetected, description:
                "no preset format fits the first \(pending.count) lines (from \(summary.files[file].path):\(number)). "
                + "Give the server's own definition with --format '…' (nginx log_format or Apache LogFormat) or --format-file.")
        }
        start(with: found.format, detection: found)
        let held = pending
        pending = []
        pendingBytes = 0
        for (file, number, bytes) in held {
            bytes.withUnsafeBufferPointer { process(ByteSlice($0), file: file, number: number) }
        }
    }

    private func isBlank(_ line: ByteSlice) -> Bool {
        for i in 0..<line.count where line[i] != UInt8(ascii: " ") && line[i] != UInt8(ascii: "\t") && line[i] != UInt8(ascii: "\r") {
            return false
        }
        return true
    }
}
