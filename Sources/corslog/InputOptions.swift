import ArgumentParser
import CorsLogKit

/// Which logs to read and how to parse them.
struct InputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp(
        "Log files or directories; '-' reads standard input. A directory stands for its files, a logrotate set is read oldest first, gzip is recognised by its content.",
        valueName: "file"),
        completion: .file())
    var files: [String] = []

    @Option(help: ArgumentHelp(
        "A preset (combined, common, vhost_combined, nginx-cors, apache-cors, json) or the server's own definition: an nginx log_format or Apache LogFormat string. Detected from the first lines when absent.",
        valueName: "preset|definition"))
    var format: String?

    @Option(help: ArgumentHelp("Read the definition from a file: an nginx.conf (log_format) or Apache config (LogFormat), or a file holding just the definition.", valueName: "file"),
            completion: .file())
    var formatFile: String?

    @Option(help: ArgumentHelp("With --format-file: which log_format / LogFormat to use when the file has several.", valueName: "name"))
    var formatName: String?

    @Option(help: ArgumentHelp("JSON lines: take the field from this key path, e.g. origin=request.headers.Origin (repeatable).", valueName: "field=path"))
    var jsonField: [String] = []

    @Option(help: ArgumentHelp("Skip (and count) lines longer than this.", valueName: "bytes"))
    var maxLineBytes = 1 << 20

    @Option(help: ArgumentHelp("Track at most this many distinct origins; beyond, the least-requested half is dropped and the report says so.", valueName: "count"))
    var maxOrigins = 20_000

    var spec: InputSpec {
        var s = InputSpec()
        s.paths = files
        s.format = format
        s.formatFile = formatFile
        s.formatName = formatName
        s.jsonFields = jsonField
        s.maxLineBytes = maxLineBytes
        s.maxOrigins = maxOrigins
        return s
    }

    func validate() throws {
        guard maxLineBytes >= 256 else { throw ValidationError("--max-line-bytes must be at least 256") }
        guard maxOrigins >= 16 else { throw ValidationError("--max-origins must be at least 16") }
    }
}
