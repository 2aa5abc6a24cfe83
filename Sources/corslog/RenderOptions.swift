import ArgumentParser
import CorsLogKit

/// Which configuration to print.
struct RenderOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The server to write configuration for: \(RenderTargets.names.joined(separator: ", ")).", valueName: "target"),
            completion: .list(RenderTargets.names))
    var target: String

    @Flag(help: "Print a complete minimal configuration (the policy in front of a stub answering 200) to try with curl.")
    var standalone = false

    @Option(help: ArgumentHelp("With --standalone: the address the stub listens on.", valueName: "ipv4:port"))
    var listen = "127.0.0.1:8080"

    @Option(help: ArgumentHelp("With --standalone: where the stub writes its access log, in the format corslog reads.", valueName: "path"),
            completion: .file())
    var accessLog = "./corslog-try-access.log"

    func validate() throws {
        guard RenderTargets.renderer(named: target) != nil else {
            throw ValidationError("unknown --target \(target); targets: \(RenderTargets.names.joined(separator: ", "))")
        }
    }

    func standaloneOptions() throws(CorsLogError) -> StandaloneOptions? {
        guard standalone else { return nil }
        var path = accessLog
        if !path.hasPrefix("/") {
            path = FileSystemPath.current + "/" + (path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
        }
        switch StandaloneOptions.make(listen: listen, accessLog: path) {
        case .success(let o): return o
        case .failure(let e): throw e
        }
    }
}
