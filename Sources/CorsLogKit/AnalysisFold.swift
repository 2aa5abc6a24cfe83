/// What reading one file produced.
struct FileOutcome: Sendable {
    var summary: FileSummary
    /// The file's first skipped lines, by line number.
    var skippedExamples: [SkippedLine]
    var read: FileReadResult
    /// Its evidence (nil when no line was parsed with a known format), or with `byDay` its days.
    var evidence: Evidence?
    var days: [Int32: Evidence]
    var linesParsedAhead = 0
}

/// The files' outcomes merged in file order, one at a time as they arrive: the evidence
/// of a file is merged into the total (`Evidence.merge`, which holds the origin cap) and
/// dropped, so memory does not grow with the number of files. The same merges in the
/// same order as merging them all at the end: the same report.
struct AnalysisFold {
    private let options: AnalysisOptions
    private var input = InputSummary()
    /// For a format given on the command line: its first file's sampled lines that go on with a
    /// quoted origin after its last field (`FormatDetector.originsAfter`), when there are any.
    var originsAfterGivenFormat: (lines: Int, sampled: Int)? = nil
    private var reads: [FileReadResult] = []
    private var evidence: Evidence? = nil
    private var days: [Int32: Evidence] = [:]
    private var linesParsedAhead = 0

    /// `leftOut`: what `InputSet.listing` left out of the directories given.
    init(options: AnalysisOptions, leftOut: InputSet.LeftOut = InputSet.LeftOut(), newerFormat: NewerFormat? = nil) {
        self.options = options
        input.errorLogsLeftOut = leftOut.errorLogs
        input.entriesLeftOut = leftOut.entries
        input.newerFormat = newerFormat
    }

    /// Whether a file read so far held at least half the origin cap (10,000 origins by
    /// default; `AnalysisOptions.manyOrigins`): files like it cost 15 to 30 MiB each while
    /// they are read, so the analyzer
    /// reads the ones after it one at a time instead of side by side — the same evidence
    /// (a file's is the same however it is read), in about the memory of one such file
    /// beside the total rather than one per core.
    private(set) var holdsManyOrigins = false

    /// Adds the next file's outcome (files in order).
    mutating func add(_ outcome: consuming FileOutcome) {
        let outcome = outcome
        input.files.append(outcome.summary)
        for example in outcome.skippedExamples where input.skippedExamples.count < InputSummary.maxExamples {
            input.skippedExamples.append(example)
        }
        if input.inflate == nil { input.inflate = outcome.read.inflate }
        reads.append(outcome.read)
        linesParsedAhead += outcome.linesParsedAhead
        let origins = outcome.evidence?.origins.count ?? outcome.days.values.reduce(0) { $0 + $1.origins.count }
        if origins >= options.manyOrigins { holdsManyOrigins = true }
        if options.byDay {
            for (day, e) in outcome.days.sorted(by: { $0.key < $1.key }) {
                if days[day] == nil { days[day] = e } else { days[day]!.merge(e, capacity: options.originsPerDay) }
            }
        } else if let e = outcome.evidence {
            if evidence == nil { evidence = e } else { evidence!.merge(e, capacity: options.maxOrigins) }
        }
    }

    /// The run: fails when no file could be read or no line fits the format. A file that
    /// broke after some lines (a truncated gzip, say) was read in part: its lines are the
    /// report's, even when it is the only file (exit 3, not 66).
    /// `formats`: the presets the files were read with, when they differ (`FileFormats`).
    consuming func finish(format: LogFormat?, detection: FormatDetector.Detection?,
                          formats: [LogFormat]? = nil) throws(AnalysisError) -> AnalysisRun {
        var input = self.input
        if let d = detection, d.originsAfterFormat > 0 { input.originsAfterFormat = (d.originsAfterFormat, d.sampled) }
        if let given = originsAfterGivenFormat { input.originsAfterFormat = given }
        if input.files.allSatisfy({ $0.error != nil && $0.lines == 0 }) && !input.files.isEmpty {
            throw AnalysisError(kind: .noInput, description: "no input could be read: "
                + input.errors.map(\.description).joined(separator: "; "))
        }
        guard let format else {
            if let empty = options.formatWhenEmpty, input.skipped == 0 {
                return AnalysisRun(analysis: Analysis(format: empty, detection: nil, input: input,
                                                      evidence: Evidence(source: .originHeader), sites: options.sites),
                                   reads: reads, days: [:], inflate: input.inflate)
            }
            let left = input.errorLogsLeftOut
            let why: String
            if input.files.isEmpty && !left.isEmpty {
                why = " (the directories given hold only error logs, left out by their names: "
                    + left.prefix(3).joined(separator: ", ") + (left.count > 3 ? ", …" : "") + "; name such a file to read it)"
            } else if input.files.isEmpty {
                why = ": \(options.paths.joined(separator: ", ")) holds no file to read (a directory's hidden files and subdirectories are not read)"
            } else {
                let each = input.files.prefix(3).map { f in
                    f.lines == 0 ? "\(f.path) is empty" : "\(f.path) has \(ReportText.count(f.blank, "blank line")) and nothing else"
                }
                why = ": " + each.joined(separator: "; ") + (input.files.count > 3 ? "; …" : "")
            }
            throw AnalysisError(kind: .noInput, description: "the input holds no log lines" + why)
        }
        if input.parsed == 0 && input.skipped > 0 {
            let first = input.skippedExamples.first.map { " First: \($0.file):\($0.line): \($0.reason)." } ?? ""
            throw AnalysisError(kind: .noLineParsed, description:
                "none of the \(input.skipped) lines matched the format \(format.name).\(first) "
                + "Give the server's own definition with --format '…' or --format-file.")
        }
        // With `byDay` the run's evidence stays empty (its `source` is the format's): the
        // caller builds the window's evidence from the days and its state file
        // (`Pipeline.runIncremental`), so a whole-run total would be work and memory for nothing.
        let total = (options.byDay ? nil : evidence) ?? FileWork.makeCollector(format: format, options: options).finish()
        let info = formats.map { FormatInfo.joined($0.map(FormatInfo.init)) } ?? FormatInfo(format)
        let analysis = Analysis(format: info, detection: detection.map { DetectionInfo(parsed: $0.parsed, sampled: $0.sampled) },
                                input: input, evidence: total, sites: options.sites)
        return AnalysisRun(analysis: analysis, reads: reads, days: days, inflate: input.inflate,
                           linesParsedAhead: linesParsedAhead)
    }
}
