import CorsLogKit

/// The policy-file loader on arbitrary text; a policy that loads is rendered
/// for every target, and written text must load again.
enum PolicyFileFuzz {
    static let psl = PublicSuffixList.bundled

    static func run(_ data: UnsafeRawBufferPointer) {
        let text = String(decoding: data, as: UTF8.self)
        let loaded: (Policy, RenderContext)
        do {
            loaded = try PolicyFile.parseWithContext(text, file: "fuzz.yaml", psl: psl)
        } catch {
            _ = error.description
            return
        }
        for renderer in RenderTargets.all {
            _ = renderer.render(loaded.0, context: loaded.1)
        }
    }
}
