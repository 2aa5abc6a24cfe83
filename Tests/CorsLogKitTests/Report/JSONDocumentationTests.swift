import Foundation
import Testing
@testable import CorsLogKit

/// Output for programs is documented: every key of the recorded JSON reports (analyze, check,
/// verify, and analyze with a policy audit) is named in the README's field tables, as `key` or
/// `key[]`. Keys that are values (a header name, a status, a method, a reason) are not keys of
/// the format, so the objects that hold them are looked into, not listed.
@Suite struct JSONDocumentationTests {
    /// Objects whose keys are data, not field names.
    static let valueKeyed: Set<String> = ["headers", "preflight_statuses", "status_classes", "by_reason", "by_kind", "methods",
                                          "requested_methods", "allow_origin_answers", "statuses", "invalid_headers"]

    static func keys(_ value: Any, parent: String? = nil, into out: inout Set<String>) {
        if let object = value as? [String: Any] {
            for (key, child) in object {
                if let parent, valueKeyed.contains(parent) {
                    keys(child, into: &out)
                } else {
                    out.insert(key)
                    keys(child, parent: key, into: &out)
                }
            }
        } else if let array = value as? [Any] {
            for child in array { keys(child, parent: parent, into: &out) }
        }
    }

    @Test(arguments: ["samples-nginx.json", "audit-fixture.json", "check-samples.json", "verify-samples.json"])
    func everyKeyIsInTheReadme(file: String) throws {
        let readme = try String(contentsOf: PackagePaths.root.appendingPathComponent("README.md"), encoding: .utf8)
        let data = try Data(contentsOf: Expected.directory.appendingPathComponent(file))
        var found: Set<String> = []
        Self.keys(try JSONSerialization.jsonObject(with: data), into: &found)
        #expect(found.count > 20, "\(file): \(found.count) keys")
        let undocumented = found.filter { !readme.contains("`\($0)`") && !readme.contains("`\($0)[]`") }.sorted()
        #expect(undocumented.isEmpty, "\(file): not in the README: \(undocumented)")
    }
}
