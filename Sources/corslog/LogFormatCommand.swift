import ArgumentParser
import CorsLogKit

struct LogFormatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log-format",
        abstract: "Print the log format directive that records what corslog needs.",
        discussion: """
            nginx: a log_format for the http block and the access_log line for each \
            server block. apache: the LogFormat and CustomLog lines. Both start like the \
            combined format, so other log tools still read the log.
            """)

    @Argument(help: ArgumentHelp("The server: nginx or apache.", valueName: "server"),
              completion: .list(["nginx", "apache"]))
    var server: String

    func run() throws {
        guard let text = LogFormatAdvice.directive(for: server) else {
            throw ValidationError("unknown server \(server); expected nginx or apache")
        }
        FileOutput.standardOutput(text)
    }
}
