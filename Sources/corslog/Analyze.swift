import ArgumentParser
import CorsLogKit

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read the logs, decide for every origin (allow, review, deny) and explain why, and propose the allowlist.")

    @OptionGroup var input: InputOptions
    @OptionGroup var inference: InferenceOptionGroup

    @Option(help: "Report format: text, json or markdown.")
    var output: ReportFormat = .text

    func run() throws {
        let (analysis, result) = try runReporting { () throws(CorsLogError) in try Pipeline.run(input.spec, inference.spec) }
        FileOutput.standardOutput(output.render(analysis, result))
        let status = Pipeline.status(of: analysis)
        if status != .ok { throw ExitCode(status.rawValue) }
    }
}

extension ReportFormat: ExpressibleByArgument {}
