/// `verify` as the command line gives it.
package struct VerifySpec: Sendable {
    package var policyPath: String
    package var sites: [String] = []
    package var publicSuffixList: String? = nil
    package var options = VerifyOptions()

    package init(policyPath: String) { self.policyPath = policyPath }
}

/// What `verify` read and found.
package struct VerifyRun: Sendable {
    package var policyPath: String
    package var policy: Policy
    package var analysis: Analysis
    package var result: VerifyResult
    /// The site's origins (same-origin requests are not replayed) and where they came
    /// from: `flag`, `policy` or `host-field` (none: the logged Host decides).
    package var sites: [Origin]
    package var siteSource: String

    /// 1 when some request would fail (wins over 3, as `check`'s), 3 for partial input, else 0.
    package var status: ExitStatus {
        result.wouldFail > 0 ? .policyShouldChange : Pipeline.status(of: analysis)
    }
}

extension Pipeline {
    /// The origins `verify`'s analysis tracks (the collector's least): see `verify`.
    static let verifyTrackedOrigins = 16

    /// `verify`: loads the policy (errors name the line), reads the logs once, and replays
    /// every cross-origin request through the Fetch CORS check against what a server with
    /// the policy answers. Without `--site`, the policy's `site:` is the site.
    package static func verify(_ input: InputSpec, _ spec: VerifySpec) throws(CorsLogError) -> VerifyRun {
        let psl = try publicSuffixList(spec.publicSuffixList)
        let (policy, _) = try PolicyFile.load(path: spec.policyPath, psl: psl)
        var options = spec.options
        var siteSource = "flag"
        if spec.sites.isEmpty {
            options.sites = policy.site
            siteSource = policy.site.isEmpty ? "host-field" : "policy"
        } else {
            options.sites = try spec.sites.map { (s) throws(CorsLogError) in try OriginList.origin(s, flag: "--site") }
        }
        if input.state != nil {
            throw CorsLogError(.usage, "verify replays every line and keeps no state: --state is for analyze and check")
        }
        var analysisOptions = AnalysisOptions(paths: input.paths.isEmpty ? ["-"] : input.paths)
        analysisOptions.format = try formatChoice(input)
        analysisOptions.sites = options.sites
        analysisOptions.protectedOrigins = policy.namedRules.flatMap(\.rule.origins)
        analysisOptions.maxLineBytes = input.maxLineBytes
        // The report shows no origin of the analysis, only its period and input account (the
        // Verifier keeps its own rows): the fewest origins are tracked, so logs at the origin
        // cap cost the replay no memory (`--max-origins` does not apply).
        analysisOptions.maxOrigins = Self.verifyTrackedOrigins
        analysisOptions.threads = input.threads
        let verifier = Verifier(policy: policy, options: options)
        let listing = InputSet.listing(analysisOptions.paths)
        let files = listing.files.map { FileToRead(path: $0) }
        let run: AnalysisRun
        do {
            run = try Analyzer.run(analysisOptions, files: files, leftOut: listing.leftOut,
                                   onLine: { verifier.add($0) }, progress: input.progress)
        } catch {
            switch error.kind {
            case .noInput: throw CorsLogError(.noInput, error.description)
            case .noLineParsed, .formatNotDetected: throw CorsLogError(.dataError, error.description)
            }
        }
        if run.analysis.evidence.source == .referer {
            throw CorsLogError(.dataError, "verify needs the Origin header in the log, and the format \(run.analysis.format.name) "
                + "has none (origins from Referer cannot say which requests were CORS requests): log with corslog log-format nginx|apache")
        }
        return VerifyRun(policyPath: spec.policyPath, policy: policy, analysis: run.analysis, result: verifier.finish(),
                         sites: options.sites, siteSource: siteSource)
    }
}
