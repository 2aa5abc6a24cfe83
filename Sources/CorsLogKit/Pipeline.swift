import Foundation

/// Input options as the command line gives them.
package struct InputSpec: Sendable {
    package var paths: [String] = []
    package var format: String? = nil
    package var formatFile: String? = nil
    package var formatName: String? = nil
    /// `FIELD=KEY.PATH` overrides for JSON lines.
    package var jsonFields: [String] = []
    package var maxLineBytes = 1 << 20
    package var maxOrigins = 20_000
    /// `--inflate`: the gzip backend.
    package var inflate: InflateChoice = .auto
    /// `--threads`: cores to use (0: all).
    package var threads = 0
    /// Origins never dropped when the origin table is full (besides `--trust`): `check` protects the policy's.
    package var protectedOrigins: [Origin] = []
    /// `--state FILE` and `--window`: read only what is new, report on the last days.
    package var state: StateOptions? = nil
    /// Called as the input is read (a progress line on a terminal).
    package var progress: ProgressHandler? = nil
    package init() {}
}

/// Incremental runs: where the state lives and how many days it keeps.
package struct StateOptions: Sendable {
    package var path: String
    /// Days the report covers and the state keeps, ending on the last day with traffic.
    package var windowDays: Int
    /// The UTC day of this run (for lines without a time and file records); the clock's by default.
    package var today: Int32

    package init(path: String, windowDays: Int = 30, today: Int32? = nil) {
        self.path = path
        self.windowDays = windowDays
        self.today = today ?? OriginStats.day(of: Int64(Date().timeIntervalSince1970))
    }
}

/// Inference options as the command line gives them.
package struct InferenceSpec: Sendable {
    package var sites: [String] = []
    package var minClients = 3
    package var minDays = 2
    package var allowInsecure = false
    package var trust: [String] = []
    package var trustFiles: [String] = []
    package var ignore: [String] = []
    package var ignoreFiles: [String] = []
    package var credentials = false
    package var publicSuffixList: String? = nil
    package init() {}
}

/// The report formats of `analyze`.
package enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, markdown, html

    package func render(_ a: Analysis, _ i: Inference) -> String {
        switch self {
        case .text: TextReport.render(a, i)
        case .json: JSONReport(analysis: a, inference: i).encoded()
        case .markdown: MarkdownReport.render(a, i)
        case .html: HTMLReport.render(a, i)
        }
    }

    /// `render` handed to `sink` in pieces of about 64 KB: no report is built whole.
    package func write(_ a: Analysis, _ i: Inference, to sink: (String) -> Void) {
        switch self {
        case .json: JSONReport(analysis: a, inference: i).write(to: sink)
        case .text: TextReport.write(a, i, to: sink)
        case .markdown: MarkdownReport.write(a, i, to: sink)
        case .html: HTMLReport.write(a, i, to: sink)
        }
    }
}

/// The whole job, from command-line values to analysis and inference.
package enum Pipeline {
    package static func run(_ input: InputSpec, _ spec: InferenceSpec) throws(CorsLogError) -> (Analysis, Inference) {
        let options = try inferenceOptions(spec)
        let psl: PublicSuffixList
        do { psl = try PublicSuffixList.load(path: spec.publicSuffixList) } catch {
            throw CorsLogError(.dataError, "cannot load the Public Suffix List: \(error)")
        }
        var analysisOptions = AnalysisOptions(paths: input.paths.isEmpty ? ["-"] : input.paths)
        analysisOptions.format = try formatChoice(input)
        analysisOptions.sites = options.sites
        analysisOptions.protectedOrigins = options.trusted + input.protectedOrigins
        analysisOptions.maxLineBytes = input.maxLineBytes
        analysisOptions.maxOrigins = input.maxOrigins
        guard input.inflate.resolved != nil else {
            throw CorsLogError(.usage, "--inflate isal: ISA-L's libisal.so.2 cannot be loaded; install it "
                + "(Debian: apt-get install libisal2) or use --inflate auto or zlib")
        }
        analysisOptions.inflate = input.inflate
        analysisOptions.threads = input.threads
        let analysis: Analysis
        if let state = input.state {
            analysis = try runIncremental(analysisOptions, state: state, progress: input.progress)
        } else {
            let listing = InputSet.listing(analysisOptions.paths)
            analysis = try analyzed(analysisOptions, files: listing.files.map { FileToRead(path: $0) },
                                    leftOut: listing.leftOut, progress: input.progress).analysis
        }
        return (analysis, Inferrer.infer(analysis.evidence, options: options, psl: psl))
    }

    /// `Analyzer.run` with its errors as corslog's.
    static func analyzed(_ options: AnalysisOptions, files: [FileToRead], leftOut: InputSet.LeftOut,
                         progress: ProgressHandler?) throws(CorsLogError) -> AnalysisRun {
        do { return try Analyzer.run(options, files: files, leftOut: leftOut, progress: progress) } catch {
            switch error.kind {
            case .noInput: throw CorsLogError(.noInput, error.description)
            case .noLineParsed, .formatNotDetected: throw CorsLogError(.dataError, error.description)
            }
        }
    }

    /// Merges summary files (`analyze --summary-out`) and decides on the merged
    /// evidence as `run` does on logs. Without `--site`, the summaries' own sites are used.
    package static func merge(_ paths: [String], _ spec: InferenceSpec, maxOrigins: Int) throws(CorsLogError) -> (Analysis, Inference) {
        var options = try inferenceOptions(spec)
        let psl = try publicSuffixList(spec.publicSuffixList)
        // One summary at a time: read, merged, dropped.
        var fold = EvidenceSummary.Fold(capacity: maxOrigins)
        for path in paths {
            if let summary = EvidenceSummary.read(pieceByPiece: path) {
                try fold.add(summary, name: path)
                continue
            }
            // Not plainly ours: read whole, for the decoder's account of what is wrong.
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CorsLogError(.noInput, "\(path): cannot read the summary file")
            }
            try fold.add(try EvidenceSummary.decode(data, file: path), name: path)
        }
        let analysis = try fold.finish()
        if options.sites.isEmpty { options.sites = analysis.sites }
        return (analysis, Inferrer.infer(analysis.evidence, options: options, psl: psl))
    }

    /// What `propose` says on standard error beside the configuration it prints: the parts
    /// of the proposal the logs could not tell (a person reviews a policy file; nobody reviews
    /// `propose`'s output before it is pasted).
    package static func proposalWarnings(_ inference: Inference, _ analysis: Analysis? = nil) -> [String] {
        var out: [String] = []
        // The site decides same-origin, first-party and the Referer rule: without it the
        // proposal is made blind to them, and the configuration is pasted unread.
        if inference.siteSource == .unknown && inference.breakage.crossOriginRequests > 0 {
            out.append(ReportText.siteLine(inference) + ": the site's own pages count as one more origin, and no "
                + "origin can be told first-party")
        }
        if let analysis, let changed = ReportText.formatChangeLine(analysis) { out.append(changed) }
        if let analysis, let newer = ReportText.newerFormatLine(analysis.input) { out.append(newer) }
        if let analysis, let after = ReportText.originsAfterFormatLine(analysis) { out.append(after) }
        let b = inference.breakage
        if inference.proposal.origins.isEmpty && b.crossOriginRequests > 0 {
            let held = inference.verdicts.filter { $0.decision == .review }.count
            out.append("the proposal allows no origin: it refuses all \(ReportText.count(b.crossOriginRequests, "cross-origin request")) "
                + "of the logs" + (held > 0 ? ", and \(ReportText.count(held, "origin")) \(held == 1 ? "is" : "are") held for review" : "")
                + ". Read why in `corslog analyze`'s report; --trust the origins whose pages use the API")
        }
        if inference.proposal.origins.isEmpty && b.crossOriginRequests == 0 {
            let lines = analysis.map { " in \(ReportText.count($0.input.parsed, "line"))" + (ReportText.period($0.evidence).map { " (\($0))" } ?? "") } ?? ""
            out.append("the logs hold no cross-origin request\(lines), so the proposal allows no origin: a page on another site "
                + "that uses the API but was not seen in them would be refused. Analyse the logs of a longer period before replacing *")
        }
        if let proxied = ReportText.proxiedClientsLine(inference) { out.append(proxied) }
        if let tail = ReportText.longTailLine(inference) { out.append(tail) }
        if let short = ReportText.shortPeriodLine(inference) { out.append(short) }
        if inference.linesWithoutOriginField > 0 {
            out.append("\(ReportText.count(inference.linesWithoutOriginField, "line")) were read with a format that records neither "
                + "Origin nor Referer: their cross-origin requests are not counted")
        }
        if inference.requestHeadersNotLogged > 0 { out.append("headers " + ReportText.proposalHeaders(inference)) }
        if let other = ReportText.otherMethodsLine(inference) { out.append(other) }
        if inference.credentialsNotLogged > 0 { out.append("credentials " + ReportText.proposalCredentials(inference)) }
        return out
    }

    /// Stops what would act on a proposal — `propose`, `check`, `verify`, `--write-policy` —
    /// when no line could show an origin (`Evidence.originsNotLogged`): an empty allowlist
    /// made from such a log would refuse every page that uses the API.
    package static func requireOrigins(_ analysis: Analysis) throws(CorsLogError) {
        if analysis.evidence.originsNotLogged { throw CorsLogError(.dataError, ReportText.originsNotLoggedError(analysis)) }
    }

    /// The exit status once the report is written.
    package static func status(of analysis: Analysis) -> ExitStatus {
        analysis.input.errors.isEmpty ? .ok : .partialInput
    }

    package static func inferenceOptions(_ spec: InferenceSpec) throws(CorsLogError) -> InferenceOptions {
        var o = InferenceOptions()
        o.sites = try spec.sites.map { (s) throws(CorsLogError) in try OriginList.origin(s, flag: "--site") }
        o.minClients = spec.minClients
        o.minDays = spec.minDays
        o.allowInsecure = spec.allowInsecure
        o.credentials = spec.credentials
        o.trusted = try spec.trust.map { (s) throws(CorsLogError) in try OriginList.origin(s, flag: "--trust") }
        for file in spec.trustFiles { o.trusted += try OriginList.parse(text: try readText(file), file: file) }
        o.ignored = try spec.ignore.map { (s) throws(CorsLogError) in try OriginList.origin(s, flag: "--ignore") }
        for file in spec.ignoreFiles { o.ignored += try OriginList.parse(text: try readText(file), file: file) }
        if let both = o.trusted.first(where: o.ignored.contains) {
            throw CorsLogError(.usage, "\(both) is both trusted and ignored; keep it in one list")
        }
        return o
    }

    package static func formatChoice(_ input: InputSpec) throws(CorsLogError) -> FormatChoice {
        let keys = try jsonKeys(input.jsonFields)
        if let file = input.formatFile {
            if input.format != nil { throw CorsLogError(.usage, "give --format or --format-file, not both") }
            let text = try readText(file)
            do {
                if text.contains("log_format") || text.contains("LogFormat") {
                    return .given(try LogFormat.parse(configText: text, file: file, name: input.formatName))
                }
                return .given(try LogFormat.parse(definition: text.trimmingCharacters(in: .whitespacesAndNewlines)))
            } catch {
                throw CorsLogError(.dataError, "\(file): \(error.description)")
            }
        }
        guard let format = input.format else {
            return keys.isEmpty ? .detect : .given(LogFormat.json(keys: keys))
        }
        if format == "json" { return .given(LogFormat.json(keys: keys)) }
        if let preset = LogFormat.preset(format) { return .given(preset) }
        if !format.contains("$") && !format.contains("%") {
            throw CorsLogError(.usage, "--format \(format): not a preset (\(LogFormat.presetNames.joined(separator: ", "))) "
                + "and not a definition (an nginx log_format with $variables or an Apache LogFormat with %directives)")
        }
        do { return .given(try LogFormat.parse(definition: format)) } catch {
            throw CorsLogError(.dataError, "--format: \(error.description)")
        }
    }

    /// `--json-field FIELD=PATH`: FIELD is a field name (`http_origin`) or its short alias (`origin`).
    static func jsonKeys(_ specs: [String]) throws(CorsLogError) -> [LogField: [String]] {
        let aliases: [String: LogField] = [
            "client": .clientAddress, "origin": .origin, "referer": .referer, "method": .method, "uri": .uri,
            "path": .uri, "user_agent": .userAgent, "acrm": .requestMethodHeader, "acrh": .requestHeadersHeader,
            "acao": .allowOrigin, "acac": .allowCredentials,
        ]
        var keys: [LogField: [String]] = [:]
        for spec in specs {
            guard let eq = spec.firstIndex(of: "="), eq != spec.startIndex, spec.index(after: eq) != spec.endIndex else {
                throw CorsLogError(.usage, "--json-field \(spec): expected FIELD=KEY.PATH, e.g. origin=request.headers.Origin")
            }
            let name = String(spec[..<eq])
            guard let field = LogField(rawValue: name) ?? aliases[name] else {
                throw CorsLogError(.usage, "--json-field \(spec): unknown field \(name); fields: "
                    + (LogField.allCases.map(\.rawValue) + aliases.keys.sorted()).joined(separator: ", "))
            }
            keys[field, default: []].append(String(spec[spec.index(after: eq)...]))
        }
        return keys
    }

    static func readText(_ path: String) throws(CorsLogError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CorsLogError(.noInput, "\(path): cannot read the file")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

extension Pipeline {
    /// The rendering context of an analysis (numbers and dates only).
    package static func context(_ a: Analysis) -> RenderContext {
        RenderContext(lines: a.input.parsed, firstSeen: a.evidence.firstSeen, lastSeen: a.evidence.lastSeen)
    }

    /// Writes `text` to `path` atomically (a temporary file, then rename).
    package static func write(_ text: String, to path: String) throws(CorsLogError) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CorsLogError(.cannotCreate, "\(path): cannot write: \(error.localizedDescription)")
        }
    }

    /// The snippet, or with `standalone` the complete configuration, for `target`.
    package static func render(_ policy: Policy, target: String, context: RenderContext,
                               standalone: StandaloneOptions?) throws(CorsLogError) -> String {
        guard let renderer = RenderTargets.renderer(named: target) else {
            throw CorsLogError(.usage, "unknown target \(target); targets: \(RenderTargets.names.joined(separator: ", "))")
        }
        guard let standalone else { return renderer.render(policy, context: context) }
        guard let text = renderer.standalone(policy, context: context, options: standalone) else {
            throw CorsLogError(.usage, "--standalone: the \(target) target has no standalone form")
        }
        return text
    }

    /// Loads the Public Suffix List named by `path` (or the default one).
    package static func publicSuffixList(_ path: String?) throws(CorsLogError) -> PublicSuffixList {
        do { return try PublicSuffixList.load(path: path) } catch {
            throw CorsLogError(.dataError, "cannot load the Public Suffix List: \(error)")
        }
    }
}

extension Pipeline {
    /// `check`: loads the policy (errors name the line), analyses the logs with the
    /// policy's site when `--site` is absent, and compares them.
    package static func check(_ input: InputSpec, _ spec: InferenceSpec, policy path: String,
                              options: CheckOptions) throws(CorsLogError) -> (Analysis, Inference, Policy, CheckResult) {
        let psl = try publicSuffixList(spec.publicSuffixList)
        let (policy, _) = try PolicyFile.load(path: path, psl: psl)
        var spec = spec
        let sitesFromPolicy = spec.sites.isEmpty && !policy.site.isEmpty
        if sitesFromPolicy { spec.sites = policy.site.map(\.serialized) }
        var input = input
        input.protectedOrigins += policy.namedRules.flatMap(\.rule.origins)
        var (analysis, inference) = try run(input, spec)
        try requireOrigins(analysis)
        if sitesFromPolicy { inference.siteSource = .policy }
        var options = options
        options.minClients = spec.minClients
        return (analysis, inference, policy, check(analysis, inference, policy: policy, options: options))
    }

    /// The comparison of an analysis (read now, or merged from earlier runs) with a policy.
    package static func check(_ analysis: Analysis, _ inference: Inference, policy: Policy,
                              options: CheckOptions) -> CheckResult {
        DriftCheck.check(evidence: analysis.evidence, inference: inference, policy: policy, options: options)
    }

    /// `check`'s exit status: 1 when the policy should change (even if some input
    /// could not be read: the report says which), else 3 for partial input, else 0.
    package static func status(of analysis: Analysis, _ result: CheckResult) -> ExitStatus {
        result.policyShouldChange ? .policyShouldChange : status(of: analysis)
    }
}
