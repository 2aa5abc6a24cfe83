import Foundation

/// A summary file: the aggregated evidence of one run (`analyze --summary-out`),
/// not its report. `corslog merge` combines summaries from many hosts into one
/// report and proposal, as if one process had read all their logs.
///
///     {"corslog_summary": 1, "corslog_version": "0.1.0", "format": {…},
///      "detection": {…} | null, "sites": [...], "input": {…}, "evidence": {…}}
///
/// The encoding is deterministic (sorted keys, sorted sets), so the same logs
/// give the same bytes; decoding validates every value (see `Evidence+Codable`).
package struct EvidenceSummary: Sendable {
    package static let formatVersion = 1

    package var format: FormatInfo
    package var detection: DetectionInfo?
    package var sites: [Origin]
    package var input: InputSummary
    package var evidence: Evidence

    package init(_ analysis: Analysis) {
        format = analysis.format
        detection = analysis.detection
        sites = analysis.sites.sorted()
        input = analysis.input
        evidence = analysis.evidence
    }

    package var analysis: Analysis {
        Analysis(format: format, detection: detection, input: input, evidence: evidence, sites: sites)
    }

    /// The summary as JSON text.
    package func encoded() -> String {
        var out = ""
        encodedPieces { out += $0 }
        return out
    }

    /// The summary's text in pieces, in order, the origins' entries one at a time
    /// (`JSONPieces`): what `JSONEncoder` makes of the whole `File`, without its tree of
    /// every origin (≈ 10 times the 16 MB text of a summary at the origin cap).
    package func encodedPieces(_ emit: (String) throws -> Void) rethrows {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bare = self
        bare.evidence = evidence.withoutOrigins
        let order = evidence.writtenOrder
        try JSONPieces.emit(File(bare), arrayAt: ["evidence", "origins"], count: order.count, encoder: encoder,
                            element: { evidence.encodedEntry(at: order[$0], encoder: encoder) }, emit)
        try emit("\n")
    }

    /// The same text made in one piece: the reference the tests compare `encoded` with.
    func encodedWhole() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(File(self)), as: UTF8.self) + "\n"
    }

    /// Reads a summary; errors name the file and what is wrong.
    package static func decode(_ data: Data, file: String) throws(CorsLogError) -> EvidenceSummary {
        if let summary = decodeByOrigin([UInt8](data)) { return summary }
        let probe = try? JSONDecoder().decode(VersionProbe.self, from: data)
        guard let version = probe?.corslogSummary else {
            throw CorsLogError(.dataError, "\(file): not a corslog summary (written by analyze --summary-out): no corslog_summary key")
        }
        guard version == formatVersion else {
            throw CorsLogError(.dataError, "\(file): summary format \(version); this corslog \(CorsLogVersion.current) reads format \(formatVersion)")
        }
        do {
            return try JSONDecoder().decode(File.self, from: data).summary
        } catch let error as DecodingError {
            throw CorsLogError(.dataError, "\(file): \(SummaryDecoding.describe(error))")
        } catch {
            throw CorsLogError(.dataError, "\(file): \(error)")
        }
    }

    /// Merges summaries read from `names` (for messages) into one analysis.
    /// They must have read origins the same way and split same-origin traffic
    /// by the same sites; formats may differ (the report then names each).
    package static func merge(_ summaries: [(name: String, summary: EvidenceSummary)], capacity: Int) throws(CorsLogError) -> Analysis {
        var fold = Fold(capacity: capacity)
        for (name, s) in summaries { try fold.add(s, name: name) }
        return try fold.finish()
    }

    /// Summaries merged one at a time as they are read (`corslog merge` decodes the next
    /// file only once the one before is merged and dropped: a fleet at the origin cap holds
    /// the merged evidence and one host's, not every host's).
    package struct Fold {
        private let capacity: Int
        private var first: (name: String, source: OriginSource, sites: [Origin])? = nil
        private var evidence: Evidence? = nil
        private var input = InputSummary()
        private var formats: [FormatInfo] = []
        private var parsed = 0, sampled = 0, allDetected = true

        package init(capacity: Int) { self.capacity = capacity }

        package mutating func add(_ s: consuming EvidenceSummary, name: String) throws(CorsLogError) {
            let s = s
            if let first {
                guard s.evidence.source == first.source else {
                    throw CorsLogError(.dataError, "\(name): origins read from \(s.evidence.source.rawValue), but \(first.name) from "
                        + "\(first.source.rawValue): merge summaries whose logs carry the same field")
                }
                guard s.sites == first.sites else {
                    throw CorsLogError(.dataError, "\(name): made with --site \(s.sites.map(\.serialized).joined(separator: ",")), but \(first.name) with "
                        + "\(first.sites.map(\.serialized).joined(separator: ",")): same-origin traffic was told apart differently; use one --site everywhere")
                }
            } else {
                first = (name, s.evidence.source, s.sites)
                var e = Evidence(source: s.evidence.source)
                e.originCap.capacity = capacity
                evidence = e
            }
            evidence!.merge(s.evidence, capacity: capacity)
            input.files += s.input.files
            input.errorLogsLeftOut = (input.errorLogsLeftOut + s.input.errorLogsLeftOut).sortedByBytes()
            input.entriesLeftOut = (input.entriesLeftOut + s.input.entriesLeftOut).sortedByBytes()
            if input.newerFormat == nil { input.newerFormat = s.input.newerFormat }
            for e in s.input.skippedExamples where input.skippedExamples.count < InputSummary.maxExamples {
                input.skippedExamples.append(e)
            }
            if !formats.contains(s.format) { formats.append(s.format) }
            if let d = s.detection { parsed += d.parsed; sampled += d.sampled } else { allDetected = false }
        }

        package consuming func finish() throws(CorsLogError) -> Analysis {
            guard let first, let evidence else { throw CorsLogError(.noInput, "no summary to merge") }
            let format = FormatInfo.joined(formats)
            return Analysis(format: format, detection: allDetected ? DetectionInfo(parsed: parsed, sampled: sampled) : nil,
                            input: input, evidence: evidence, sites: first.sites)
        }
    }

    /// The summary read with its origins' entries decoded one at a time (`JSONPieces`); nil
    /// when it is not plainly what `encoded` writes, and `decode` reads it whole, as before,
    /// to say what is wrong.
    static func decodeByOrigin(_ bytes: [UInt8]) -> EvidenceSummary? {
        guard let (rest, elements) = JSONPieces.split(bytes, arrayAt: ["evidence", "origins"]) else { return nil }
        let decoder = JSONDecoder()
        guard let probe = try? decoder.decode(VersionProbe.self, from: rest), probe.corslogSummary == formatVersion,
              var file = try? decoder.decode(File.self, from: rest),
              file.evidence.decodeEntries(bytes, elements, decoder: decoder) else { return nil }
        return file.summary
    }

    /// The summary file at `path` read a piece at a time: 1 MiB at a time to find its origins'
    /// entries (`JSONArrayScan`), then each entry read and decoded on its own — the file is
    /// never whole in memory (a summary at the origin cap is 16.5 MB). Nil when it cannot be
    /// read this way; the caller then reads it whole (`decode`), which says what is wrong.
    package static func read(pieceByPiece path: String) -> EvidenceSummary? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var scan = JSONArrayScan(path: ["evidence", "origins"])
        while true {
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 1 << 20) } catch { return nil }
            guard let chunk, !chunk.isEmpty else { break }
            scan.feed([UInt8](chunk))
            if scan.failed { return nil }
        }
        guard scan.succeeded else { return nil }
        let rest = Data(scan.rest)
        let decoder = JSONDecoder()
        guard let probe = try? decoder.decode(VersionProbe.self, from: rest), probe.corslogSummary == formatVersion,
              var file = try? decoder.decode(File.self, from: rest) else { return nil }
        file.evidence.origins.reserveCapacity(scan.elements.count)
        // The entries in order, through a window of the file that moves on 1 MiB at a time.
        guard let first = scan.elements.first else { return file.summary }
        do { try handle.seek(toOffset: UInt64(first.lowerBound)) } catch { return nil }
        var window: [UInt8] = []
        var windowStart = first.lowerBound
        for r in scan.elements {
            while windowStart + window.count < r.upperBound {
                let chunk: Data?
                do { chunk = try handle.read(upToCount: 1 << 20) } catch { return nil }
                guard let chunk, !chunk.isEmpty else { return nil }   // the file got shorter
                if r.lowerBound - windowStart >= 1 << 20 {
                    window.removeFirst(r.lowerBound - windowStart)
                    windowStart = r.lowerBound
                }
                window.append(contentsOf: chunk)
            }
            let entry = Data(window[(r.lowerBound - windowStart)..<(r.upperBound - windowStart)])
            guard file.evidence.decodeEntry(entry, decoder: decoder) else { return nil }
        }
        return file.summary
    }

    private struct VersionProbe: Decodable {
        var corslogSummary: Int?
        enum CodingKeys: String, CodingKey { case corslogSummary = "corslog_summary" }
    }

    /// The file's layout.
    private struct File: Codable {
        var corslogSummary: Int
        var corslogVersion: String
        var format: FormatInfo
        var detection: DetectionInfo?
        var sites: [Origin]
        var input: InputSummary
        var evidence: Evidence

        enum CodingKeys: String, CodingKey {
            case format, detection, sites, input, evidence
            case corslogSummary = "corslog_summary"
            case corslogVersion = "corslog_version"
        }

        init(_ s: EvidenceSummary) {
            corslogSummary = EvidenceSummary.formatVersion
            corslogVersion = CorsLogVersion.current
            format = s.format
            detection = s.detection
            sites = s.sites
            input = s.input
            evidence = s.evidence
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(corslogSummary, forKey: .corslogSummary)
            try c.encode(corslogVersion, forKey: .corslogVersion)
            try c.encode(format, forKey: .format)
            try c.encode(detection, forKey: .detection)
            try c.encode(sites, forKey: .sites)
            try c.encode(input, forKey: .input)
            try c.encode(evidence, forKey: .evidence)
        }

        var summary: EvidenceSummary {
            var s = EvidenceSummary(Analysis(format: format, detection: detection, input: input, evidence: evidence))
            s.sites = sites.sorted()
            return s
        }
    }
}

extension InputSummary: Codable {
    private enum CodingKeys: String, CodingKey {
        case files, skippedExamples = "skipped_examples", errorLogsLeftOut = "error_logs_not_read"
        case entriesLeftOut = "entries_not_read"
        case newerFormat = "newer_format"
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(files, forKey: .files)
        try c.encode(skippedExamples, forKey: .skippedExamples)
        if !errorLogsLeftOut.isEmpty { try c.encode(errorLogsLeftOut, forKey: .errorLogsLeftOut) }
        if !entriesLeftOut.isEmpty { try c.encode(entriesLeftOut, forKey: .entriesLeftOut) }
        try c.encodeIfPresent(newerFormat, forKey: .newerFormat)
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        files = try c.decode([FileSummary].self, forKey: .files)
        skippedExamples = try c.decode([SkippedLine].self, forKey: .skippedExamples)
        // Absent in summaries of corslog before it left error logs out.
        errorLogsLeftOut = try c.decodeIfPresent([PlainText].self, forKey: .errorLogsLeftOut)?.map(\.text) ?? []
        entriesLeftOut = try c.decodeIfPresent([PlainText].self, forKey: .entriesLeftOut)?.map(\.text) ?? []
        newerFormat = try c.decodeIfPresent(NewerFormat.self, forKey: .newerFormat)
        guard skippedExamples.count <= Self.maxExamples else {
            throw DecodingError.dataCorruptedError(forKey: .skippedExamples, in: c, debugDescription: "too many skipped-line examples")
        }
    }
}

extension FileSummary: Codable {
    private enum CodingKeys: String, CodingKey {
        case path, lines, parsed, skipped, blank, overlong, compressed, error, format
        case richerFormat = "richer_format", richerFormatLines = "richer_format_lines", richerFormatFirstLine = "richer_format_first_line"
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(path, forKey: .path)
        try c.encode(lines, forKey: .lines)
        try c.encode(parsed, forKey: .parsed)
        try c.encode(skipped, forKey: .skipped)
        try c.encode(blank, forKey: .blank)
        try c.encode(overlong, forKey: .overlong)
        try c.encode(compressed, forKey: .compressed)
        try c.encode(error?.description, forKey: .error)
        try c.encodeIfPresent(format, forKey: .format)
        if let r = richerFormatLines {
            try c.encode(r.format, forKey: .richerFormat)
            try c.encode(r.lines, forKey: .richerFormatLines)
            try c.encode(r.firstLine, forKey: .richerFormatFirstLine)
        }
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(path: try c.decode(PlainText.self, forKey: .path).text)
        lines = try c.decode(Count.self, forKey: .lines).value
        parsed = try c.decode(Count.self, forKey: .parsed).value
        skipped = try c.decode(Count.self, forKey: .skipped).value
        blank = try c.decode(Count.self, forKey: .blank).value
        overlong = try c.decode(Count.self, forKey: .overlong).value
        compressed = try c.decode(Bool.self, forKey: .compressed)
        if let sentence = try c.decodeIfPresent(PlainText.self, forKey: .error) {
            error = InputError(path: path, kind: .recorded(sentence.text))
        }
        // Absent in summaries of corslog before it read files with formats of their own, and when one format read all.
        if let format = try c.decodeIfPresent(PlainText.self, forKey: .format)?.text {
            guard LogFormat.presetNames.contains(format) else {
                throw DecodingError.dataCorruptedError(forKey: .format, in: c, debugDescription: "a file's format must be a preset, not \(format)")
            }
            self.format = format
        }
        // Absent in summaries of corslog before it probed for a changed format, and when none was found.
        if let format = try c.decodeIfPresent(PlainText.self, forKey: .richerFormat)?.text {
            guard RicherFormatProbe.presets.contains(format) else {
                throw DecodingError.dataCorruptedError(forKey: .richerFormat, in: c, debugDescription: "\(format) is not a preset recording Origin")
            }
            let lines = try c.decode(Count.self, forKey: .richerFormatLines).value
            let first = try c.decode(Count.self, forKey: .richerFormatFirstLine).value
            guard lines >= 1, lines <= parsed, first >= 1 else {
                throw DecodingError.dataCorruptedError(forKey: .richerFormatLines, in: c, debugDescription: "lines of a changed format out of range")
            }
            richerFormatLines = RicherFormatLines(format: format, lines: lines, firstLine: first)
        }
    }
}

extension SkippedLine: Codable {
    private enum CodingKeys: String, CodingKey { case file, line, reason }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        try c.encode(line, forKey: .line)
        try c.encode(reason, forKey: .reason)
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(file: try c.decode(PlainText.self, forKey: .file).text,
                  line: try c.decode(Count.self, forKey: .line).value,
                  reason: try c.decode(PlainText.self, forKey: .reason).text)
    }
}

/// Text corslog wrote itself (a path from the command line, a sentence): any
/// Unicode but no control characters.
struct PlainText: Codable {
    var text: String

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let t = try c.decode(String.self)
        guard t.utf8.count <= 4_096, !t.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f || (0x80..<0xa0).contains($0.value) }) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "text with control characters")
        }
        text = t
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
}

/// Decoding errors as a sentence: where in the file, and what was expected.
enum SummaryDecoding {
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let p = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return p.isEmpty ? "the top level" : String(p.dropFirst(p.hasPrefix(".") ? 1 : 0))
        }
        switch error {
        case .dataCorrupted(let c): return "\(path(c)): \(c.debugDescription)"
        case .keyNotFound(let key, let c): return "\(path(c)): missing key \(key.stringValue)"
        case .typeMismatch(let type, let c): return "\(path(c)): expected \(type)"
        case .valueNotFound(let type, let c): return "\(path(c)): expected \(type), found null"
        @unknown default: return "\(error)"
        }
    }
}

extension NewerFormat: Codable {
    private enum CodingKeys: String, CodingKey {
        case file, format, otherFiles = "other_files", otherFormat = "other_format"
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        try c.encode(format, forKey: .format)
        try c.encode(otherFiles, forKey: .otherFiles)
        try c.encode(otherFormat, forKey: .otherFormat)
    }

    /// Paths and format names as corslog writes them: the names are presets.
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let format = try c.decode(PlainText.self, forKey: .format).text
        let other = try c.decode(PlainText.self, forKey: .otherFormat).text
        guard LogFormat.preset(format) != nil, LogFormat.preset(other) != nil else {
            throw DecodingError.dataCorruptedError(forKey: .format, in: c, debugDescription: "format names must be presets")
        }
        self.init(file: try c.decode(PlainText.self, forKey: .file).text, format: format,
                  otherFiles: try c.decode([PlainText].self, forKey: .otherFiles).map(\.text), otherFormat: other)
    }
}
