import ArgumentParser
import CorsLogKit

struct LogFormatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log-format",
        abstract: "Print the directive that makes a server log what corslog needs, and where to put it.")

    @Argument(help: "nginx or apache")
    var server: String

    func run() throws {
        guard let text = LogFormatAdvice.directive(for: server) else {
            throw ValidationError("unknown server \(server); expected nginx or apache")
        }
        FileOutput.standardOutput(text)
    }
}
