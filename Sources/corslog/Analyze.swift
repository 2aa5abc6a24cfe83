import ArgumentParser
import CorsLogKit

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report every origin the logs show, with a decision, and propose an allowlist.",
        discussion: """
            Every origin is decided allow, review or deny, with its reasons and evidence \
            (requests, preflights, distinct clients and days). The proposal is the explicit \
            allowlist that can replace Access-Control-Allow-Origin: *, and the report says \
            which of today's requests it would refuse. --output json is stable and diffs cleanly; \
            --write-policy also writes the proposal as a policy file for a person to review \
            and for render to turn into configuration.
            """)

    @OptionGroup var input: InputOptions
    @OptionGroup var inference: InferenceOptionGroup

    @Option(help: ArgumentHelp("The report's format.", valueName: "format"))
    var output: ReportFormat = .text

    @Option(help: ArgumentHelp("Also write the proposal as a policy file (YAML) to review, edit and render.", valueName: "file"),
            completion: .file())
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
