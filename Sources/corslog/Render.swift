import ArgumentParser
import CorsLogKit

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render a reviewed policy file (from analyze --write-policy) as configuration for a target.")

    @Option(help: ArgumentHelp("The policy file.", valueName: "file"))
    var policy: String

    @OptionGroup var render: RenderOptions

    @Option(help: ArgumentHelp("The Public Suffix List to check patterns with.", valueName: "file"))
    var publicSuffixList: String?

    func run() throws {
        let text = try runReporting { () throws(CorsLogError) in
            let psl = try Pipeline.publicSuffixList(publicSuffixList)
            let (loaded, context) = try PolicyFile.load(path: policy, psl: psl)
            return try Pipeline.render(loaded, target: render.target, context: context,
                                       standalone: try render.standaloneOptions())
        }
        FileOutput.standardOutput(text)
    }
}
