import Foundation
import Testing
@testable import CorsLogKit

/// `corslog analyze` on Fixtures/audit-fixture.log (made by Fixtures/make_audit_fixture.py):
/// a server answering `*`, except one day when a legacy location reflected every Origin
/// with credentials. The reports' "Policy in force" must say so.
@Suite struct PolicyAuditFixtureTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    let bin = PackagePaths.executable.path
    let log = folder.appendingPathComponent("audit-fixture.log").path

    @Test func theReportsOnALegacyReflectingLocationMatchTheRecordedOnes() throws {
        for (output, name) in [("text", "audit-fixture.txt"), ("markdown", "audit-fixture.md"), ("json", "audit-fixture.json")] {
            let r = try runProcess(bin, ["analyze", "--site", "https://api.example.com", "--output", output, log])
            #expect(r.status == 0, "\(r.err)")
            Expected.check(r.out.replacingOccurrences(of: Self.folder.path, with: "Fixtures"), named: name)
        }
    }

    @Test func theAuditFindsTheReflectionWithCredentials() throws {
        let r = try runProcess(bin, ["analyze", "--site", "https://api.example.com", "--output", "json", log])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let audit = try #require(report["audit"] as? [String: Any])
        #expect(audit["available"] as? Bool == true)
        let findings = try #require(audit["findings"] as? [[String: Any]])
        #expect(findings.map { $0["code"] as? String } == ["credentials-with-reflection", "null-allowed", "reflects-any-origin", "wildcard"])
        let cred = findings[0]
        #expect(cred["severity"] as? String == "critical")
        // The legacy day's lookalike (4), random origin (3), http downgrade (2), null (2) and invalid value (1).
        #expect(cred["requests"] as? Int == 12)
        #expect(cred["example"] as? String == "https://evil.test\"x")
        let wildcard = findings[3]
        #expect(wildcard["requests"] as? Int == 230)
    }
}
