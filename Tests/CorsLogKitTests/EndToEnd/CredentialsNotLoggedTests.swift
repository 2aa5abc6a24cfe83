import Foundation
import Testing
@testable import CorsLogKit

/// A server that echoes the Origin, logged by a format with Access-Control-Allow-Origin but
/// without -Credentials: whether it allows credentials today is unknown, so "credentials: no"
/// must say so (a reflecting server very often answers `true`, and pages that send cookies
/// break without it).
@Suite struct CredentialsNotLoggedTests {
    let bin = PackagePaths.executable.path
    let format = #"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$host" "$http_origin" "$http_access_control_request_method" "$http_access_control_request_headers" "$sent_http_access_control_allow_origin""#

    private func log(in dir: URL, acao: String) throws -> String {
        var lines: [String] = []
        for client in 1...4 {
            for day in ["05", "06"] {
                lines.append(#"192.0.2.\#(client) - - [\#(day)/Nov/2025:10:00:00 +0000] "GET /v1/me HTTP/1.1" 200 10 "-" "Mozilla/5.0" "api.example.com" "https://app.example.com" "-" "-" "\#(acao)""#)
            }
        }
        let file = dir.appendingPathComponent("access-\(acao == "*" ? "wildcard" : "echo").log")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
        return file.path
    }

    @Test func credentialsAreUnknownWhenTheServerEchoesAndTheFormatLacksThem() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-cred-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let args = ["analyze", "--format", format, "--site", "https://api.example.com"]
        let echo = try log(in: dir, acao: "https://app.example.com")
        let r = try runProcess(bin, args + ["--output", "json", echo])
        let proposal = (try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any])["proposal"] as! [String: Any]
        #expect(proposal["credentials"] as? Bool == false)
        #expect(proposal["credentials_not_logged"] as? Int == 8)
        let text = try runProcess(bin, args + [echo])
        #expect(text.out.contains("credentials:  no, but UNKNOWN: the server echoed the Origin to 8 requests"))
        let policy = dir.appendingPathComponent("policy.yaml").path
        #expect(try runProcess(bin, args + ["--write-policy", policy, echo]).status == 0)
        #expect(try String(contentsOfFile: policy, encoding: .utf8).contains("not record Access-Control-Allow-Credentials"))
        let propose = try runProcess(bin, ["propose", "--target", "nginx", "--format", format, "--site", "https://api.example.com", echo])
        #expect(propose.err.contains("corslog: warning: credentials no, but UNKNOWN"))
        // `--credentials` settles it; `*` today means no page sends credentials (browsers refuse `*` with them).
        let settled = try runProcess(bin, args + ["--credentials", "--output", "json", echo])
        let sp = (try JSONSerialization.jsonObject(with: Data(settled.out.utf8)) as! [String: Any])["proposal"] as! [String: Any]
        #expect(sp["credentials"] as? Bool == true && sp["credentials_not_logged"] as? Int == 0)
        let wildcard = try runProcess(bin, args + ["--output", "json", try log(in: dir, acao: "*")])
        let wp = (try JSONSerialization.jsonObject(with: Data(wildcard.out.utf8)) as! [String: Any])["proposal"] as! [String: Any]
        #expect(wp["credentials_not_logged"] as? Int == 0)
    }
}
