import ArgumentParser
import CorsLogKit

@main
struct CorsLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corslog",
        abstract: "Propose an explicit CORS allowlist from the access logs your servers already write.",
        discussion: """
            corslog reads nginx, Apache and JSON access logs (plain or gzip, whole logrotate \
            sets) and decides for every origin the browsers sent: allow, review or deny, and why.

            A typical round:
              corslog analyze --site https://api.example.com /var/log/nginx/
              corslog analyze --site https://api.example.com \\
                  --write-policy corslog-policy.yaml /var/log/nginx/
              corslog render --policy corslog-policy.yaml --target nginx > cors.conf

            Exit codes:
              0   everything was read; the report is written (check: nothing to do)
              1   check: the policy should change; verify: some requests would fail
              3   the report is written, but some input could not be read whole
              64  usage error: a bad option or origin, an unknown target
              65  data error: no line matched the format, a bad definition or list,
                  or (propose, check) a log format that records no origin
              66  no input could be opened
              73  an output file could not be written
              75  another run holds the --state file's lock: try again later
            """,
        version: CorsLogVersion.current,
        subcommands: [Analyze.self, Check.self, Verify.self, Propose.self, Render.self, Merge.self, LogFormatCommand.self]
    )

    /// glibc malloc settings for the whole run (see `MallocTuning`), then the usual entry.
    static func main() {
        MallocTuning.apply()
        main(nil)
    }
}

/// Runs a library call, turning its error into a message and corslog's exit code.
func runReporting<T>(_ body: () throws(CorsLogError) -> T) throws -> T {
    defer { ProgressLine.clear() }
    do {
        return try body()
    } catch {
        ProgressLine.clear()
        FileOutput.standardError("corslog: error: \(error.message)\n")
        throw ExitCode(error.status.rawValue)
    }
}
