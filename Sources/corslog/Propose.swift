import ArgumentParser
import CorsLogKit

struct Propose: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Analyze the logs and print the proposal as server configuration.",
        discussion: """
            The same analysis as analyze, without the report: standard output is the \
            configuration for --target, ready to paste, or with --standalone a complete \
            configuration to try first. Input that could not be read whole is reported on \
            standard error.
            """)

    @OptionGroup var render: RenderOptions
    @OptionGroup var input: InputOptions
    @OptionGroup var inference: InferenceOptionGroup

    func run() throws {
        let (analysis, inferred, text) = try runReporting { () throws(CorsLogError) in
            let (analysis, result) = try Pipeline.run(input.spec, inference.spec)
            try Pipeline.requireOrigins(analysis)
            let policy = Policy(proposal: result.proposal, site: result.sites)
            return (analysis, result, try Pipeline.render(policy, target: render.target, context: Pipeline.context(analysis),
                                                          standalone: try render.standaloneOptions()))
        }
        FileOutput.standardOutput(text)
        for error in analysis.input.errors { FileOutput.standardError("corslog: warning: \(error.description)\n") }
        for warning in Pipeline.proposalWarnings(inferred, analysis) { FileOutput.standardError("corslog: warning: \(warning)\n") }
        let status = Pipeline.status(of: analysis)
        if status != .ok { throw ExitCode(status.rawValue) }
    }
}
