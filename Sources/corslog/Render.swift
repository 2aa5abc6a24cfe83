import ArgumentParser
import CorsLogKit

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a reviewed policy file as server configuration.",
        discussion: """
            The policy file comes from analyze --write-policy and is edited by a person. \
            Every value is checked when it is read; a mistake is reported with its line.
            """)

    @Option(help: ArgumentHelp("The policy file to render (written by analyze --write-policy).", valueName: "file"),
            completion: .file(extensions: ["yaml", "yml"]))
    var policy: String

    @OptionGroup var render: RenderOptions

    @Option(help: ArgumentHelp("The Public Suffix List that patterns are checked against (default: Debian's publicsuffix, else the bundled copy).", valueName: "file"),
            completion: .file())
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
