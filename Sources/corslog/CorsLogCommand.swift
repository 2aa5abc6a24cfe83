import ArgumentParser
import CorsLogKit

@main
struct CorsLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corslog",
        abstract: "Propose an explicit CORS allowlist from the access logs your servers already write.",
        discussion: """
            Exit codes: 0 ok; 1 check: the policy should change; 3 report written but some input could not be read whole; \
            64 usage error; 65 data error (no line matched the format, a bad definition or list); \
            66 no input could be opened; 73 an output file could not be written.
            """,
        version: CorsLogVersion.current,
        subcommands: [Analyze.self, Check.self, Propose.self, Render.self, Merge.self, LogFormatCommand.self]
    )
}

/// Runs a library call, turning its error into a message and corslog's exit code.
func runReporting<T>(_ body: () throws(CorsLogError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        FileOutput.standardError("corslog: error: \(error.message)\n")
        throw ExitCode(error.status.rawValue)
    }
}
