import ArgumentParser
import CorsLogKit

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay the logged cross-origin requests through a browser's CORS check.",
        discussion: """
            Every logged request with an Origin is replayed through the Fetch standard's CORS \
            check (safelisted methods and headers, preflights, Access-Control-Allow-Origin, \
            -Methods, -Headers, -Credentials) against what a server configured with the policy \
            answers; the report lists, per origin, method and path, what a browser would refuse \
            and why. The log does not say whether a request carried credentials: see \
            --assume-credentials.

            Exit codes: 0 nothing would fail; 1 some requests would fail (wins over 3, the report \
            names the input errors); 3 some input could not be read whole; 64 usage error; 65 a bad \
            policy file (the message names the line), a log without Origin, or a data error; 66 no input.
            """)

    @Option(help: ArgumentHelp("The policy file to verify (from analyze --write-policy, reviewed).", valueName: "file"),
            completion: .file(extensions: ["yaml", "yml"]))
    var policy: String

    @OptionGroup var input: InputOptions

    @Option(help: ArgumentHelp("The site's own origin (repeatable): its requests are same-origin. Default: the policy's site, else the logged Host.", valueName: "origin"))
    var site: [String] = []

    @Option(help: ArgumentHelp(
        "Which requests carried credentials: logged (those answered Access-Control-Allow-Credentials: true with an echoed origin), always or never.",
        valueName: "logged|always|never"))
    var assumeCredentials: CredentialsAssumption = .logged

    @Option(help: ArgumentHelp("Keep at most this many rows (origin, kind, method, path); beyond, requests count only in the totals.", valueName: "count"))
    var maxEntries = 10_000

    @Option(help: ArgumentHelp("The Public Suffix List that patterns are checked against (default: Debian's publicsuffix, else the bundled copy).", valueName: "file"),
            completion: .file())
    var publicSuffixList: String?

    @Option(help: ArgumentHelp("The report's format.", valueName: "format"))
    var output: ReportFormat = .text

    func validate() throws {
        guard maxEntries >= 1 else { throw ValidationError("--max-entries must be at least 1") }
        if input.state != nil { throw ValidationError("verify replays every line and keeps no state: --state is for analyze and check") }
    }

    func run() throws {
        var spec = VerifySpec(policyPath: policy)
        spec.sites = site
        spec.publicSuffixList = publicSuffixList
        spec.options.credentials = assumeCredentials
        spec.options.maxEntries = maxEntries
        let report = try runReporting { () throws(CorsLogError) in VerifyReport(try Pipeline.verify(input.spec, spec)) }
        FileOutput.standardOutput(report.render(output))
        if report.status != .ok { throw ExitCode(report.status.rawValue) }
    }
}

extension CredentialsAssumption: ExpressibleByArgument {}
