import ArgumentParser
import CorsLogKit

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read the logs, decide for every origin (allow, review, deny) and explain why, and propose the allowlist.")

    @OptionGroup var input: InputOptions
    @OptionGroup var inference: InferenceOptionGroup

    @Option(help: "Report format: text, json or markdown.")
    var output: ReportFormat = .text

    @Option(help: ArgumentHelp("Also write the proposal as a policy file to review, edit and render.", valueName: "file"))
    var writePolicy: String?

    func run() throws {
        let (analysis, result) = try runReporting { () throws(CorsLogError) in
            let (analysis, result) = try Pipeline.run(input.spec, inference.spec)
            if let writePolicy {
                try Pipeline.write(PolicyFile.write(result, context: Pipeline.context(analysis)), to: writePolicy)
            }
            return (analysis, result)
        }
        FileOutput.standardOutput(output.render(analysis, result))
        let status = Pipeline.status(of: analysis)
        if status != .ok { throw ExitCode(status.rawValue) }
    }
}

extension ReportFormat: ExpressibleByArgument {}
