import ArgumentParser
import CorsLogKit

/// What to write once the evidence is in: the report, and optionally the
/// policy file and the summary.
struct ReportOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The report's format.", valueName: "format"))
    var output: ReportFormat = .text

    @Option(help: ArgumentHelp("Also write the proposal as a policy file (YAML) to review, edit and render.", valueName: "file"),
            completion: .file())
    var writePolicy: String?

    @Option(help: ArgumentHelp("Also write the aggregated evidence (not the report), for corslog merge.", valueName: "file"),
            completion: .file())
    var summaryOut: String?

    /// Runs `analysis`, writes the files asked for, prints the report and exits
    /// with the analysis' status.
    func run(_ analysis: () throws(CorsLogError) -> (Analysis, Inference)) throws {
        let (a, result) = try runReporting { () throws(CorsLogError) in
            let (a, result) = try analysis()
            if let writePolicy {
                try Pipeline.requireOrigins(a)
                try Pipeline.write(PolicyFile.write(result, context: Pipeline.context(a)), to: writePolicy)
            }
            if let summaryOut { try AtomicFile.write(summaryOut) { try EvidenceSummary(a).encodedPieces($0) } }
            return (a, result)
        }
        output.write(a, result, to: FileOutput.standardOutput)
        let status = Pipeline.status(of: a)
        if status != .ok { throw ExitCode(status.rawValue) }
    }
}

extension ReportFormat: ExpressibleByArgument {}
