import CorsLogKit

/// `verify`'s replay of hostile lines: every line of the input parsed as nginx-cors and
/// replayed against a policy with path rules by three `Verifier`s — no verdict cache, a
/// two-entry one (emptied all the time) and the default one — which must agree entirely
/// (`VerdictCache` keys on raw bytes and must never mix two combinations up).
enum VerifyFuzz {
    static let format = LogFormat.preset("nginx-cors")!
    static let policy: Policy = {
        let app = Origin.parse("https://app.example.com").origin!
        let admin = Origin.parse("https://admin.example.com").origin!
        return Policy(
            site: [Origin.parse("https://api.example.com").origin!],
            defaults: CORSRule(origins: [app], methods: [.put, .delete], headers: [HeaderName("authorization")!], maxAge: 600),
            paths: [PathRule(prefix: PathPrefix("/admin/")!, rule: CORSRule(origins: [admin], methods: [.delete], credentials: true, maxAge: 60)),
                    PathRule(prefix: PathPrefix("/v1/o")!, rule: CORSRule(origins: [app, admin], credentials: true, maxAge: 60))])
    }()

    static func run(_ data: UnsafeRawBufferPointer) {
        let lines = FuzzTargets.lines(data)
        func replay(cache: Int, sites: Bool) -> VerifyResult {
            var options = VerifyOptions()
            options.sites = sites ? policy.site : []
            options.cachedVerdicts = cache
            options.maxEntries = 32
            let verifier = Verifier(policy: policy, options: options)
            var parser = format.makeParser()
            for line in lines {
                let failure = parser.parse(ByteSlice(line.assumingMemoryBound(to: UInt8.self))) { verifier.add($0) }
                if let failure { _ = failure.description }
            }
            return verifier.finish()
        }
        for sites in [true, false] {
            let reference = replay(cache: 0, sites: sites)
            FuzzTargets.check(replay(cache: 2, sites: sites) == reference, "a two-entry verdict cache changed the replay")
            FuzzTargets.check(replay(cache: VerifyOptions().cachedVerdicts, sites: sites) == reference, "the verdict cache changed the replay")
        }
    }
}
