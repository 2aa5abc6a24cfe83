import ArgumentParser
import CorsLogKit

@main
struct CorsLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corslog",
        abstract: "Propose an explicit CORS allowlist from the access logs your servers already write."
    )
}
