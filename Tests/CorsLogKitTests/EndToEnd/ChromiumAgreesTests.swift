import Foundation
import Testing
@testable import CorsLogKit

/// A real browser agrees with `verify`: headless Chromium runs fetch() calls from a page on
/// one loopback origin against the API on another, served by nginx with the standalone
/// configuration `corslog render --target nginx --standalone` prints; the page writes each
/// outcome into the DOM (`--dump-dom`). nginx's access log, replayed by `Verifier` against
/// the same policy, must give the same verdict for every call. The page is served from an
/// allowed origin (port A, in the policy) and from a refused one (port A+1, not in it).
@Suite(.serialized, .enabled(if: serverAvailable(ChromiumPage.binary) && serverAvailable(RealNginx.binary),
                             "chromium or nginx is not installed (apt-get install chromium nginx): browser test skipped"))
struct ChromiumAgreesTests {
    /// (name, the fetch() init as JavaScript, the path, whether it passes from the allowed origin).
    static let calls: [(name: String, options: String, allowed: Bool)] = [
        ("get", "{}", true),                                                                    // simple GET: no preflight
        ("post-json", "{method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{}'}", true),
        ("put-auth", "{method: 'PUT', headers: {'Authorization': 'Bearer t0ken', 'Content-Type': 'application/json'}, body: '{}'}", true),
        ("delete", "{method: 'DELETE'}", true),
        ("patch", "{method: 'PATCH'}", true),
        ("patch-lower", "{method: 'patch'}", false),        // fetch() sends `patch`; the policy lists `PATCH`
        ("propfind", "{method: 'PROPFIND'}", false),        // a method the policy does not list
        ("custom-header", "{headers: {'X-Custom': '1'}}", false),  // a header the policy does not list
        ("form-post", "{method: 'POST', headers: {'Content-Type': 'text/plain;charset=UTF-8'}, body: 'x'}", true),  // safelisted: no preflight
        ("long-accept", "{headers: {'Accept': '" + String(repeating: "a", count: 129) + "'}}", false),  // over 128 bytes: unsafe
    ]

    @Test func chromiumsOutcomeOfEachFetchIsVerifysVerdict() throws {
        try ChromiumPage.withPages { pages in
            let allowedPage = "http://127.0.0.1:\(pages.port)"
            let refusedPage = "http://127.0.0.1:\(pages.port + 1)"
            let policy = Policy(defaults: CORSRule(
                origins: [origin(allowedPage)], methods: [.delete, .patch, .put],
                headers: [HeaderName("authorization")!, HeaderName("content-type")!], maxAge: 600))
            try RealNginx.with(policy) { api in
                try ChromiumPage.writePage(into: pages.dir, api: "http://127.0.0.1:\(api.port)", calls: Self.calls.map { ($0.name, $0.options) })
                var seen: [String: [String: String]] = [:]
                for page in [allowedPage, refusedPage] {
                    seen[page] = try ChromiumPage.run("\(page)/page.html", in: pages.dir)
                }
                api.stop(SIGQUIT)

                // The same requests, as nginx logged them, through the replay.
                var options = AnalysisOptions(paths: [api.dir.appendingPathComponent("access.log").path])
                options.format = .given(LogFormat.preset("nginx-cors")!)
                let verifier = Verifier(policy: policy)
                _ = try Analyzer.run(options, files: options.paths.map { FileToRead(path: $0) }, onLine: { verifier.add($0) })
                let result = verifier.finish()

                for page in [allowedPage, refusedPage] {
                    for call in Self.calls {
                        let browser = try #require(seen[page]?[call.name], "Chromium wrote no outcome for \(call.name) from \(page)")
                        let chromiumOK = browser.hasPrefix("ok")
                        #expect(chromiumOK == (call.allowed && page == allowedPage),
                                "Chromium, \(call.name) from \(page): \(browser)")
                        let rows = result.entries.filter { $0.origin.serialized == page && $0.path == "/v1/calls/\(call.name)" }
                        #expect(!rows.isEmpty, "\(call.name) from \(page) is not in nginx's log (blocked before it was sent?)")
                        let verifyOK = !rows.isEmpty && rows.allSatisfy { $0.failing == 0 }
                        #expect(verifyOK == chromiumOK, """
                            \(call.name) from \(page): Chromium \(browser), verify \
                            \(rows.map { "\($0.kind.rawValue) \($0.method): \($0.failing == 0 ? "ok" : VerifyReport.reasons($0))" })
                            """)
                    }
                }

                // The same log, analysed: Chromium's preflight for the lower-case `patch` is named
                // as a method no proposal can allow (the loopback page is trusted, so allowed).
                let analysis = try Analyzer.analyze(options)
                var inferenceOptions = InferenceOptions()
                inferenceOptions.trusted = [origin(allowedPage)]
                let inference = Inferrer.infer(analysis.evidence, options: inferenceOptions, psl: PublicSuffixList.bundled)
                #expect(inference.otherMethodRequests >= 1)
                #expect(inference.otherMethodExamples == ["patch"])
                #expect(!inference.proposal.methods.isEmpty && inference.proposal.methods.allSatisfy { $0.rawValue.uppercased() == $0.rawValue })
            }
        }
    }
}

/// Pages served by a second nginx on ports A and A+1, and headless Chromium loading them.
enum ChromiumPage {
    static let binary = "/usr/bin/chromium"

    /// A static nginx serving `dir/www` on 127.0.0.1:A and 127.0.0.1:A+1.
    static func withPages(_ body: (RealServer) throws -> Void) throws {
        try RealServer.with("pages", configure: { dir, port in
            let www = dir.appendingPathComponent("www")
            try FileManager.default.createDirectory(at: www, withIntermediateDirectories: true)
            let temps = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map { "    \($0)_temp_path \(dir.path)/\($0)_temp;" }
            let config = """
                worker_processes 1;
                daemon off;
                pid \(dir.path)/pages.pid;
                error_log stderr;
                events { worker_connections 64; }
                http {
                \(temps.joined(separator: "\n"))
                    access_log off;
                    types { text/html html; }
                    server {
                        listen 127.0.0.1:\(port);
                        listen 127.0.0.1:\(port + 1);
                        root \(www.path);
                    }
                }
                """
            let file = dir.appendingPathComponent("pages.conf")
            try config.write(to: file, atomically: true, encoding: .utf8)
            return RealServer.Launch(executable: RealNginx.binary,
                                     arguments: ["-p", dir.path, "-c", file.path, "-e", dir.appendingPathComponent("error.log").path],
                                     stopSignal: SIGQUIT)
        }, body)
    }

    /// `page.html`: runs each call in turn and writes `<li id="r-NAME">ok STATUS</li>` or
    /// `<li id="r-NAME">fail ERROR</li>`, then sets the title to `done`.
    static func writePage(into dir: URL, api: String, calls: [(String, String)]) throws {
        let list = calls.map { "['\($0.0)', \($0.1)]" }.joined(separator: ",\n    ")
        let html = """
            <!doctype html>
            <html><head><title>running</title></head><body><ul id="out"></ul>
            <script>
            const api = '\(api)';
            const calls = [
                \(list)
            ];
            function put(name, text) {
              const li = document.createElement('li');
              li.id = 'r-' + name;
              li.textContent = text;
              document.getElementById('out').appendChild(li);
            }
            (async () => {
              for (const [name, init] of calls) {
                try {
                  const r = await fetch(api + '/v1/calls/' + name, init);
                  put(name, 'ok ' + r.status);
                } catch (e) {
                  put(name, 'fail ' + e.name);
                }
              }
              document.title = 'done';
            })();
            </script></body></html>
            """
        try html.write(to: dir.appendingPathComponent("www/page.html"), atomically: true, encoding: .utf8)
    }

    /// Loads `url` in headless Chromium (a new profile in `dir`) and returns each call's outcome.
    static func run(_ url: String, in dir: URL) throws -> [String: String] {
        let profile = dir.appendingPathComponent("profile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let r = try runProcess(binary, ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                        "--user-data-dir=\(profile.path)", "--dump-dom", "--virtual-time-budget=5000", url])
        #expect(r.status == 0, "chromium: \(r.err.suffix(2000))")
        #expect(r.out.contains("<title>done</title>"), "the page did not finish: \(r.out.prefix(2000))")
        var outcomes: [String: String] = [:]
        let pattern = try NSRegularExpression(pattern: #"<li id="r-([a-z-]+)">([^<]*)</li>"#)
        let text = r.out as NSString
        for m in pattern.matches(in: r.out, range: NSRange(location: 0, length: text.length)) {
            outcomes[text.substring(with: m.range(at: 1))] = text.substring(with: m.range(at: 2))
        }
        return outcomes
    }
}
