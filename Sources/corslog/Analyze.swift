import ArgumentParser
import CorsLogKit

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report every origin the logs show, with a decision, and propose an allowlist.",
        discussion: """
            Every origin is decided allow, review or deny, with its reasons and evidence \
            (requests, preflights, distinct clients and days). The proposal is the explicit \
            allowlist that can replace Access-Control-Allow-Origin: *, and the report says \
            which of today's requests it would refuse. --output json is stable and diffs cleanly; \
            --write-policy also writes the proposal as a policy file for a person to review \
            and for render to turn into configuration.
            """)

    @OptionGroup var input: InputOptions
    @OptionGroup var inference: InferenceOptionGroup
    @OptionGroup var report: ReportOptions

    func run() throws {
        try report.run { () throws(CorsLogError) in try Pipeline.run(input.spec, inference.spec) }
    }
}
