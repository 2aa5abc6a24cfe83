import Foundation
import Testing
@testable import CorsLogKit

/// Behind a load balancer or reverse proxy, `$remote_addr` (`%h`) is the proxy: every request
/// comes from one or two addresses, every origin is held for few-clients, and the proposal
/// allows nothing. The report says why and how to log the browsers' addresses.
@Suite struct ProxiedClientsTests {
    static func line(_ i: Int, client: String, origin: String = "https://app.example.com") -> String {
        "\(client) - - [05/Nov/2025:10:\(String(format: "%02d", i % 60)):00 +0000] \"GET /v1/orders HTTP/1.1\" 200 10 \"-\" \"Mozilla/5.0\" "
            + "\"api.example.com\" \"\(origin)\" \"-\" \"-\" \"*\" \"-\""
    }

    static func infer(_ lines: [String], minClients: Int = 3) throws -> Inference {
        var collector = FileWork.makeCollector(format: LogFormat.preset("nginx-cors")!, options: AnalysisOptions(paths: []))
        var parser = LogFormat.preset("nginx-cors")!.makeParser()
        for l in lines {
            let bytes = Array(l.utf8)
            let failure = bytes.withUnsafeBufferPointer { parser.parse(ByteSlice($0)) { collector.add($0) } }
            #expect(failure == nil)
        }
        var options = InferenceOptions()
        options.sites = [origin("https://api.example.com")]
        options.minClients = minClients
        options.minDays = 1
        return Inferrer.infer(collector.finish(), options: options, psl: PublicSuffixList.bundled)
    }

    @Test func oneAddressForManyRequestsLooksLikeAProxy() throws {
        let origins = ["https://app.example.com", "https://shop.partner.example"]
        let proxied = try Self.infer((0..<120).map { Self.line($0, client: "10.0.0.1", origin: origins[$0 % 2]) })
        #expect(proxied.clientAddresses == 1)
        #expect(proxied.clientsLookProxied)
        #expect(proxied.proposal.origins.isEmpty)
        let text = try #require(ReportText.proxiedClientsLine(proxied))
        #expect(text.hasPrefix("Clients: the 120 cross-origin requests came from 1 client address in all, fewer than --min-clients 3"))
        #expect(text.contains("real_ip_header X-Forwarded-For") && text.contains("RemoteIPHeader X-Forwarded-For"))
        #expect(Pipeline.proposalWarnings(proxied).contains(text))

        // Not a proxy: a small log (a developer's test), enough addresses, or --min-clients 1.
        let small = try Self.infer((0..<99).map { Self.line($0, client: "10.0.0.1") })
        #expect(!small.clientsLookProxied && ReportText.proxiedClientsLine(small) == nil)
        let browsers = try Self.infer((0..<120).map { Self.line($0, client: "198.51.100.\($0 % 3)") })
        #expect(browsers.clientAddresses == 3 && !browsers.clientsLookProxied)
        let one = try Self.infer((0..<120).map { Self.line($0, client: "10.0.0.1") }, minClients: 1)
        #expect(!one.clientsLookProxied && one.proposal.origins == [origin("https://app.example.com")])
    }

    @Test func theReportsSayIt() throws {
        let dir = try ReadFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("access.log")
        try Data(((0..<150).map { Self.line($0, client: "10.0.0.2") }.joined(separator: "\n") + "\n").utf8).write(to: log)
        let bin = PackagePaths.executable.path
        let site = ["--site", "https://api.example.com"]
        let text = try runProcess(bin, ["analyze"] + site + [log.path])
        #expect(text.out.contains("\nClients: the 150 cross-origin requests came from 1 client address in all"), "\(text.out)")
        for output in ["markdown", "html"] {
            let r = try runProcess(bin, ["analyze", "--output", output] + site + [log.path])
            #expect(r.out.contains("came from 1 client address in all"), "\(output)")
        }
        let json = try runProcess(bin, ["analyze", "--output", "json"] + site + [log.path])
        let traffic = (try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as! [String: Any])["traffic"] as! [String: Any]
        #expect(traffic["client_addresses"] as? Int == 1)
        #expect(traffic["clients_look_proxied"] as? Bool == true)
        let propose = try runProcess(bin, ["propose", "--target", "nginx"] + site + [log.path])
        #expect(propose.status == 0)
        #expect(propose.err.contains("corslog: warning: Clients: the 150 cross-origin requests came from 1 client address"))

        // check (cron): its "one client hammering" findings are the proxy's.
        let policy = dir.appendingPathComponent("policy.yaml").path
        #expect(try runProcess(bin, ["analyze", "--write-policy", policy, "--trust", "https://app.example.com"] + site + [log.path]).status == 0)
        let check = try runProcess(bin, ["check", "--policy", policy] + site + [log.path])
        #expect(check.out.contains("from 1 client: a script or scanner"), "\(check.out)")
        #expect(check.out.contains("\nClients: the 150 cross-origin requests came from 1 client address in all: the log's client field "
            + "likely holds a proxy's or load balancer's address"), "\(check.out)")
        let checkJSON = try runProcess(bin, ["check", "--policy", policy, "--output", "json"] + site + [log.path])
        let c = try JSONSerialization.jsonObject(with: Data(checkJSON.out.utf8)) as! [String: Any]
        #expect(c["clients_look_proxied"] as? Bool == true)
        let samples = try runProcess(bin, ["check", "--policy", policy, "--output", "json"] + site + ["\(PackagePaths.samples.path)/nginx/"])
        #expect((try JSONSerialization.jsonObject(with: Data(samples.out.utf8)) as! [String: Any])["clients_look_proxied"] as? Bool == false)
    }

    /// The advice, in a real nginx: without realip the log's client is the proxy (here curl on
    /// 127.0.0.1) and the report says so; with `set_real_ip_from 127.0.0.1` and `real_ip_header
    /// X-Forwarded-For` it is the address the proxy forwards, and the origin is allowed.
    @Test(.enabled(if: serverAvailable(RealNginx.binary), "nginx is not installed (apt-get install nginx): real-server test skipped"))
    func nginxRealIPGivesTheBrowsersAddresses() throws {
        var logs: (direct: URL, viaProxy: URL)? = nil
        try RealServer.with("nginx-realip", configure: { dir, port in
            let direct = dir.appendingPathComponent("direct.log"), viaProxy = dir.appendingPathComponent("proxied.log")
            logs = (direct, viaProxy)
            let format = LogFormat.preset("nginx-cors")!.definition
            let config = """
            daemon off;
            pid \(dir.appendingPathComponent("nginx.pid").path);
            events {}
            http {
                log_format cors '\(format)';
                server {
                    listen 127.0.0.1:\(port);
                    location / { access_log \(direct.path) cors; return 200 "ok"; }
                    location /proxied/ {
                        set_real_ip_from 127.0.0.1;
                        real_ip_header X-Forwarded-For;
                        access_log \(viaProxy.path) cors;
                        root \(dir.appendingPathComponent("www").path);
                    }
                }
            }
            """
            let file = dir.appendingPathComponent("nginx.conf")
            try config.write(to: file, atomically: true, encoding: .utf8)
            // A file to serve: realip applies in a location from the phase after `return` answers.
            let orders = dir.appendingPathComponent("www/proxied/v1")
            try FileManager.default.createDirectory(at: orders, withIntermediateDirectories: true)
            try Data("ok".utf8).write(to: orders.appendingPathComponent("orders"))
            return RealServer.Launch(executable: RealNginx.binary,
                                     arguments: ["-p", dir.path, "-c", file.path, "-e", dir.appendingPathComponent("error.log").path],
                                     stopSignal: SIGQUIT)
        }) { server in
            for i in 0..<110 {
                let headers = ["Origin: https://app.example.com", "X-Forwarded-For: 203.0.113.\(i % 5)"]
                _ = try server.request("/v1/orders", headers: headers)
                #expect(try server.request("/proxied/v1/orders", headers: headers).status == 200)
            }
            server.stop(SIGQUIT)
            let (direct, viaProxy) = try #require(logs)
            func infer(_ log: URL) throws -> Inference {
                var options = AnalysisOptions(paths: [log.path])
                options.format = .given(LogFormat.preset("nginx-cors")!)
                var inference = InferenceOptions()
                inference.sites = [origin("https://api.example.com")]
                inference.minDays = 1
                return Inferrer.infer(try Analyzer.analyze(options).evidence, options: inference, psl: PublicSuffixList.bundled)
            }
            let before = try infer(direct)
            #expect(before.clientAddresses == 1 && before.clientsLookProxied)
            let after = try infer(viaProxy)
            #expect(after.clientAddresses == 5 && !after.clientsLookProxied)
            #expect(after.proposal.origins == [origin("https://app.example.com")])
        }
    }
}
