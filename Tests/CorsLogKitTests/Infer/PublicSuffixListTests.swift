import Foundation
import Testing
@testable import CorsLogKit

@Suite struct PublicSuffixListTests {
    let psl = PublicSuffixList.bundled

    @Test func bundledCopyIsReadableThroughBundleModule() throws {
        let path = try #require(PublicSuffixList.bundledPath)
        #expect(path.hasSuffix("Resources/public_suffix_list.dat"))
        #expect(FileManager.default.isReadableFile(atPath: path))
        #expect(psl.source == path)
    }

    @Test func loadPrefersTheSystemCopyThenTheBundledOne() throws {
        let loaded = try PublicSuffixList.load()
        if FileManager.default.isReadableFile(atPath: PublicSuffixList.systemPath) {
            #expect(loaded.source == PublicSuffixList.systemPath)
        } else {
            #expect(loaded.source == PublicSuffixList.bundledPath)
        }
        #expect(loaded.registrableDomain(of: "www.example.co.uk") == "example.co.uk")
    }

    @Test(arguments: [
        // ICANN section, plain rules.
        ("www.example.co.uk", "co.uk", "example.co.uk"),
        ("WWW.Example.CO.UK", "co.uk", "example.co.uk"),
        ("example.com", "com", "example.com"),
        ("a.b.example.com", "com", "example.com"),
        // *.ck with the exception !www.ck.
        ("a.b.ck", "b.ck", "a.b.ck"),
        ("x.y.b.ck", "b.ck", "y.b.ck"),
        ("www.ck", "ck", "www.ck"),
        ("a.www.ck", "ck", "www.ck"),
        // *.kawasaki.jp with !city.kawasaki.jp.
        ("x.y.kawasaki.jp", "y.kawasaki.jp", "x.y.kawasaki.jp"),
        ("city.kawasaki.jp", "kawasaki.jp", "city.kawasaki.jp"),
        // PRIVATE section.
        ("myapp.github.io", "github.io", "myapp.github.io"),
        ("a.myapp.github.io", "github.io", "myapp.github.io"),
        ("bucket.s3.amazonaws.com", "s3.amazonaws.com", "bucket.s3.amazonaws.com"),
        // IDN rules are matched in punycode, as browsers send host names: 公司.cn, 中国.
        ("example.xn--55qx5d.cn", "xn--55qx5d.cn", "example.xn--55qx5d.cn"),
        ("www.example.xn--fiqs8s", "xn--fiqs8s", "example.xn--fiqs8s"),
        // Default rule "*".
        ("foo.unlistedtld", "unlistedtld", "foo.unlistedtld"),
    ])
    func registrableDomains(host: String, suffix: String, registrable: String) {
        #expect(psl.publicSuffix(of: host) == suffix)
        #expect(psl.registrableDomain(of: host) == registrable)
    }

    @Test(arguments: ["co.uk", "com", "github.io", "b.ck", "ck", "s3.amazonaws.com", "xn--55qx5d.cn", "localhost", "unlistedtld"])
    func publicSuffixesHaveNoRegistrableDomain(host: String) {
        #expect(psl.publicSuffix(of: host) == host)
        #expect(psl.registrableDomain(of: host) == nil)
    }

    @Test func onlyListedSuffixesCountAsListed() {
        #expect(psl.isListedPublicSuffix("github.io"))
        #expect(psl.isListedPublicSuffix("co.uk"))
        #expect(psl.isListedPublicSuffix("b.ck"))
        #expect(!psl.isListedPublicSuffix("localhost"))
        #expect(!psl.isListedPublicSuffix("example.com"))
        #expect(!psl.isListedPublicSuffix("www.ck"))
    }

    @Test(arguments: ["1.2.3.4", "127.0.0.1", "[::1]", "[2001:db8::1]", "", "a..b", ".com"])
    func ipLiteralsAndMalformedNamesHaveNoSuffix(host: String) {
        #expect(psl.publicSuffix(of: host) == nil)
        #expect(psl.registrableDomain(of: host) == nil)
    }

    @Test(arguments: [
        ("bücher", "bcher-kva"),
        ("公司", "55qx5d"),
        ("中国", "fiqs8s"),
        ("香港", "j6w193g"),
        ("онлайн", "80asehdb"),
    ])
    func punycode(label: String, encoded: String) {
        #expect(PublicSuffixList.punycode(label.unicodeScalars.map(\.value)) == encoded)
    }

    // MARK: Loading other files

    @discardableResult
    private func withTemporaryFile<R>(_ text: String, _ body: (String) throws -> R) throws -> R {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("psl-\(UUID().uuidString).dat").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }

    @Test func loadsAGivenFile() throws {
        let text = """
            // ===BEGIN ICANN DOMAINS===
            example
            *.wild.example   trailing text is ignored
            !keep.wild.example

            // ===BEGIN PRIVATE DOMAINS===
            hosting.example\r
            """
        try withTemporaryFile(text) { path in
            let list = try PublicSuffixList.load(path: path)
            #expect(list.source == path)
            #expect(list.registrableDomain(of: "a.example") == "a.example")
            #expect(list.registrableDomain(of: "a.b.wild.example") == "a.b.wild.example")
            #expect(list.publicSuffix(of: "a.b.wild.example") == "b.wild.example")
            #expect(list.registrableDomain(of: "keep.wild.example") == "keep.wild.example")
            #expect(list.registrableDomain(of: "me.hosting.example") == "me.hosting.example")
            #expect(list.registrableDomain(of: "hosting.example") == nil)
            // Not in this list: the default rule applies.
            #expect(list.registrableDomain(of: "www.example.co.uk") == "co.uk")
        }
    }

    @Test(arguments: [
        ("com\nexample\na..b\n", 3, "a..b"),
        ("com\nfoo.*.bar\n", 2, "foo.*.bar"),
        ("// c\n\nex_ample.com\n", 3, "ex_ample.com"),
        ("com\n!ck\n", 2, "!ck"),
        ("com\n.com\n", 2, ".com"),
    ])
    func malformedRuleNamesFileAndLine(text: String, line: Int, rule: String) throws {
        try withTemporaryFile(text) { path in
            do {
                _ = try PublicSuffixList.load(path: path)
                Issue.record("loaded a malformed list")
            } catch let error as PublicSuffixList.LoadError {
                guard case .malformedRule(let p, let l, let r, _) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(p == path)
                #expect(l == line)
                #expect(r == rule)
                #expect(error.description.hasPrefix("\(path):\(line): malformed public suffix rule"))
            }
        }
    }

    @Test func emptyAndMissingFilesAreErrors() throws {
        try withTemporaryFile("// only a comment\n") { path in
            #expect(throws: PublicSuffixList.LoadError.noRules(path: path)) { try PublicSuffixList.load(path: path) }
        }
        let missing = "/nonexistent/public_suffix_list.dat"
        #expect(throws: PublicSuffixList.LoadError.unreadable(path: missing)) { try PublicSuffixList.load(path: missing) }
    }
}
