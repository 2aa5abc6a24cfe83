import ArgumentParser
import CorsLogKit

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read the logs, decide for every origin (allow, review, deny) and explain why, and propose the allowlist.")

    @OptionGroup var input: InputOptions
    @OptionGroup var inference: InferenceOptionGroup
    @OptionGroup var report: ReportOptions

    func run() throws {
        try report.run { () throws(CorsLogError) in try Pipeline.run(input.spec, inference.spec) }
    }
}
