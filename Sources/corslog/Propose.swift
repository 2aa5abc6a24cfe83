import ArgumentParser
import CorsLogKit

struct Propose: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Analyze the logs and print the proposed allowlist as configuration for a target.")

    @Option(help: ArgumentHelp("Where CORS lives: \(RenderTargets.names.joined(separator: ", ")).", valueName: "target"))
    var target: String

    @OptionGroup var input: InputOptions
    @OptionGroup var inference: InferenceOptionGroup

    func validate() throws {
        guard RenderTargets.renderer(named: target) != nil else {
            throw ValidationError("unknown --target \(target); targets: \(RenderTargets.names.joined(separator: ", "))")
        }
    }

    func run() throws {
        let renderer = RenderTargets.renderer(named: target)!
        let (analysis, result) = try runReporting { () throws(CorsLogError) in try Pipeline.run(input.spec, inference.spec) }
        let context = RenderContext(lines: analysis.input.parsed, firstSeen: analysis.evidence.firstSeen,
                                    lastSeen: analysis.evidence.lastSeen)
        FileOutput.standardOutput(renderer.render(Policy(proposal: result.proposal, site: result.sites), context: context))
        for error in analysis.input.errors { FileOutput.standardError("corslog: warning: \(error.description)\n") }
        let status = Pipeline.status(of: analysis)
        if status != .ok { throw ExitCode(status.rawValue) }
    }
}
