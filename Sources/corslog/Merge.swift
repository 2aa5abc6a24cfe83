import ArgumentParser
import CorsLogKit

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Combine many hosts' summaries (--summary-out) into one report.",
        discussion: """
            The result is the report analyze would print had one process read every host's logs. \
            The summaries must come from logs that carry the same origin field (Origin, or Referer) \
            and from runs with the same --site.
            """)

    @Argument(help: ArgumentHelp("Summary files written by analyze --summary-out.", valueName: "summary"), completion: .file())
    var summaries: [String]

    @OptionGroup var inference: InferenceOptionGroup
    @OptionGroup var report: ReportOptions

    @Option(help: ArgumentHelp("Track at most this many distinct origins in the merged evidence.", valueName: "count"))
    var maxOrigins = 20_000

    func validate() throws {
        guard !summaries.isEmpty else { throw ValidationError("name at least one summary file") }
        guard maxOrigins >= 16 else { throw ValidationError("--max-origins must be at least 16") }
    }

    func run() throws {
        try report.run { () throws(CorsLogError) in try Pipeline.merge(summaries, inference.spec, maxOrigins: maxOrigins) }
    }
}
