import ArgumentParser
import CorsLogKit

struct Propose: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Analyze the logs and print the proposed allowlist as configuration for a target.")

    @OptionGroup var render: RenderOptions
    @OptionGroup var input: InputOptions
    @OptionGroup var inference: InferenceOptionGroup

    func run() throws {
        let (analysis, text) = try runReporting { () throws(CorsLogError) in
            let (analysis, result) = try Pipeline.run(input.spec, inference.spec)
            let policy = Policy(proposal: result.proposal, site: result.sites)
            return (analysis, try Pipeline.render(policy, target: render.target, context: Pipeline.context(analysis),
                                                  standalone: try render.standaloneOptions()))
        }
        FileOutput.standardOutput(text)
        for error in analysis.input.errors { FileOutput.standardError("corslog: warning: \(error.description)\n") }
        let status = Pipeline.status(of: analysis)
        if status != .ok { throw ExitCode(status.rawValue) }
    }
}
