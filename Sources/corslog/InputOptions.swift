import ArgumentParser
import CorsLogKit
import Foundation

/// Which logs to read and how to parse them.
struct InputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp(
        "Log files or directories; '-' reads standard input (also when none is named and standard input is not a terminal). A directory stands for its files, a logrotate set is read oldest first, gzip is recognised by its content.",
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

    @Option(help: ArgumentHelp("Track at most this many distinct origins; beyond, the least-requested half is dropped and the report says so (verify reports no origins and tracks the fewest).", valueName: "count"))
    var maxOrigins = 20_000

    @Option(help: ArgumentHelp(
        "gzip decoder: zlib, isal (Intel ISA-L's libisal.so.2, several times faster; Debian package libisal2) or auto (ISA-L when it loads). Results are the same.",
        valueName: "zlib|isal|auto"))
    var inflate: InflateChoice = .auto

    @Option(help: ArgumentHelp(
        "Use at most this many cores (default: all): 1 reads, parses and aggregates on one thread, e.g. beside a busy server. Results are the same.",
        valueName: "count"))
    var threads: Int?

    @Option(help: ArgumentHelp(
        "Incremental runs: remember in this file what was read (a renamed or compressed log is recognised) and the evidence by day; read only what is new.",
        valueName: "file"),
        completion: .file())
    var state: String?

    @Option(help: ArgumentHelp("With --state: report on (and keep) this many days, up to the last day with traffic, e.g. 30d.", valueName: "days"))
    var window: String = "30d"

    /// Days from `--window` (`30d` or `30`).
    var windowDays: Int? {
        let digits = window.hasSuffix("d") ? String(window.dropLast()) : window
        guard let n = Int(digits), (1...3660).contains(n) else { return nil }
        return n
    }

    /// A progress line on standard error while reading, when it is a terminal (never under cron).
    var showsProgress: Bool { isatty(2) == 1 }

    var spec: InputSpec {
        var s = InputSpec()
        s.paths = files
        s.format = format
        s.formatFile = formatFile
        s.formatName = formatName
        s.jsonFields = jsonField
        s.maxLineBytes = maxLineBytes
        s.inflate = inflate
        s.maxOrigins = maxOrigins
        s.threads = threads ?? 0
        if let state { s.state = StateOptions(path: state, windowDays: windowDays ?? 30) }
        if showsProgress { s.progress = ProgressLine.show }
        return s
    }

    func validate() throws {
        guard maxLineBytes >= 256 else { throw ValidationError("--max-line-bytes must be at least 256") }
        guard maxOrigins >= 16 else { throw ValidationError("--max-origins must be at least 16") }
        if let threads, threads < 1 { throw ValidationError("--threads \(threads): expected 1 or more") }
        guard windowDays != nil else { throw ValidationError("--window \(window): expected a number of days from 1 to 3660, e.g. 30d") }
        // No file named: standard input, which `--state` cannot resume (it would count the
        // same lines again each run) and which, on a terminal, would wait for typed lines.
        if state != nil && (files.isEmpty || files.contains("-")) {
            throw ValidationError("--state cannot resume standard input: name the log files")
        }
        if files.isEmpty && isatty(STDIN_FILENO) == 1 {
            throw ValidationError("no log named: give the log files or directories (e.g. /var/log/nginx/), or pipe a log in")
        }
    }
}

/// `corslog: reading access.log — 1.2 GB, 4,100,000 lines` on standard error, rewritten in place.
enum ProgressLine {
    // Written and read on the main thread only (the reader calls back synchronously).
    nonisolated(unsafe) private static var shown = false

    @Sendable static func show(path: String, bytes: UInt64, lines: Int) {
        shown = true
        let mb = Double(bytes) / 1_000_000
        let size = mb >= 1000 ? String(format: "%.1f GB", mb / 1000) : String(format: "%.0f MB", mb)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        FileOutput.standardError("\rcorslog: reading \(name) — \(size), \(lines) lines\u{1B}[K")
    }

    /// Clears the line, if one was shown, before the report or an error.
    static func clear() {
        if shown { FileOutput.standardError("\r\u{1B}[K") }
        shown = false
    }
}

extension InflateChoice: ExpressibleByArgument {}
