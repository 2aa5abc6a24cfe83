import ArgumentParser
import CorsLogKit

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare the logs with the adopted policy and say what should change.",
        discussion: """
            Findings: new callers the policy refuses, stale entries, refused and failing \
            preflights, suspicious origins.

            Exit codes: 0 nothing to do; 1 the policy should change (a finding of a --fail-on kind; \
            wins over 3, the report names the input errors); 3 some input could not be read whole; \
            64 usage error; 65 a bad policy file (the message names the line) or data error; 66 no input.
            """)

    @Option(help: ArgumentHelp("The adopted policy file (from analyze --write-policy, reviewed).", valueName: "file"))
    var policy: String

    @OptionGroup var input: InputOptions
    @OptionGroup var inference: InferenceOptionGroup

    @Option(help: ArgumentHelp("The report's format.", valueName: "format"))
    var output: ReportFormat = .text

    @Option(help: ArgumentHelp("A policy origin, pattern, method or header unused for this many days is stale.", valueName: "days"))
    var staleAfter = 30

    @Option(help: ArgumentHelp("The day staleness is measured from (default: the last day in the logs).", valueName: "YYYY-MM-DD"))
    var asOf: String?

    @Option(help: ArgumentHelp(
        "Finding kinds that mean the policy should change (exit 1): a comma list of new-origin, stale, refused-preflight, preflight-errors, suspicious; or none.",
        valueName: "kinds"))
    var failOn = "new-origin,stale,refused-preflight,preflight-errors"

    @Flag(help: "Print nothing when there is nothing to do (exit 0), for cron.")
    var quiet = false

    func validate() throws {
        guard staleAfter >= 1 else { throw ValidationError("--stale-after must be at least 1 day") }
        if let asOf, CheckOptions.day(asOf) == nil { throw ValidationError("--as-of \(asOf): expected a date YYYY-MM-DD") }
        if case .failure(let e) = CheckOptions.failOn(failOn) { throw ValidationError(e.message) }
    }

    func run() throws {
        var options = CheckOptions()
        options.staleAfter = staleAfter
        options.asOf = asOf.flatMap(CheckOptions.day)
        if case .success(let kinds) = CheckOptions.failOn(failOn) { options.failOn = kinds }
        let report = try runReporting { () throws(CorsLogError) in
            let (analysis, inference, loaded, result) = try Pipeline.check(input.spec, inference.spec, policy: policy, options: options)
            return CheckReport(analysis: analysis, inference: inference, policyPath: policy, policy: loaded, result: result)
        }
        let status = report.status
        if !(quiet && status == .ok) { FileOutput.standardOutput(report.render(output)) }
        if status != .ok { throw ExitCode(status.rawValue) }
    }
}
