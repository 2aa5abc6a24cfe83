import ArgumentParser
import CorsLogKit

/// How evidence becomes decisions.
struct InferenceOptionGroup: ParsableArguments {
    @Option(help: ArgumentHelp("The site's own origin (repeatable), e.g. https://api.example.com. Without it, the most frequent logged Host is assumed.", valueName: "origin"))
    var site: [String] = []

    @Option(help: ArgumentHelp("Distinct clients an origin needs before it is allowed.", valueName: "n"))
    var minClients = 3

    @Option(help: ArgumentHelp("Distinct days an origin needs before it is allowed.", valueName: "n"))
    var minDays = 2

    @Flag(help: "Do not deny plain-http origins on an https site.")
    var allowInsecure = false

    @Option(help: ArgumentHelp("Always allow this origin (repeatable).", valueName: "origin"))
    var trust: [String] = []

    @Option(help: ArgumentHelp("Always allow the origins in this file (one a line, # comments; repeatable).", valueName: "file"),
            completion: .file())
    var trustFile: [String] = []

    @Option(help: ArgumentHelp("Never allow this origin (repeatable).", valueName: "origin"))
    var ignore: [String] = []

    @Option(help: ArgumentHelp("Never allow the origins in this file (one a line, # comments; repeatable).", valueName: "file"),
            completion: .file())
    var ignoreFile: [String] = []

    @Flag(help: "Propose Access-Control-Allow-Credentials: true.")
    var credentials = false

    @Option(help: ArgumentHelp("The Public Suffix List to use (default: Debian's publicsuffix, else the bundled copy).", valueName: "file"),
            completion: .file())
    var publicSuffixList: String?

    var spec: InferenceSpec {
        var s = InferenceSpec()
        s.sites = site
        s.minClients = minClients
        s.minDays = minDays
        s.allowInsecure = allowInsecure
        s.trust = trust
        s.trustFiles = trustFile
        s.ignore = ignore
        s.ignoreFiles = ignoreFile
        s.credentials = credentials
        s.publicSuffixList = publicSuffixList
        return s
    }

    func validate() throws {
        guard minClients >= 1 else { throw ValidationError("--min-clients must be at least 1") }
        guard minDays >= 1 else { throw ValidationError("--min-days must be at least 1") }
    }
}
