import Foundation
import Testing
@testable import CorsLogKit

/// Real access logs written by real servers (../shared/corpus/real, see its SOURCES.md).
@Suite(.enabled(if: PackagePaths.hasRealCorpus,
                "../shared/corpus/real is absent (a fresh clone has no shared/): real-corpus test skipped"))
struct RealCorpusTests {
    struct Expectation: Sendable, CustomStringConvertible {
        var file: String
        var format: String
        var nonBlank: Int
        var atLeast: Int
        var description: String { file }
    }

    static var expectations: [Expectation] {
        guard let text = try? String(contentsOf: PackagePaths.realCorpus.appendingPathComponent("expectations.tsv"), encoding: .utf8)
        else { return [] }
        return text.split(separator: "\n").compactMap { line in
            if line.hasPrefix("#") { return nil }
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 4, let n = Int(f[2]), let min = Int(f[3]) else { return nil }
            return Expectation(file: f[0], format: f[1], nonBlank: n, atLeast: min)
        }
    }

    @Test(arguments: expectations)
    func listedFilesParseWithTheirFormat(_ e: Expectation) throws {
        let format = try LogFormat.preset(e.format) ?? LogFormat.parse(definition: e.format)
        var options = AnalysisOptions(paths: [PackagePaths.realCorpus.appendingPathComponent(e.file).path])
        options.format = .given(format)
        let a = try Analyzer.analyze(options)
        #expect(a.input.parsed + a.input.skipped == e.nonBlank, "every non-blank line is accounted for")
        #expect(a.input.parsed >= e.atLeast)
        #expect(a.input.errors.isEmpty)
    }

    @Test func everyOtherFileIsReadWithoutACrashAndEveryLineAccountedFor() throws {
        let listed = Set(Self.expectations.map(\.file))
        let files = try FileManager.default.contentsOfDirectory(atPath: PackagePaths.realCorpus.path)
            .filter { !listed.contains($0) && $0.hasSuffix(".log") }.sorted()
        #expect(!files.isEmpty)
        for file in files {
            let path = PackagePaths.realCorpus.appendingPathComponent(file).path
            for format in ["combined", "json"] {
                var options = AnalysisOptions(paths: [path])
                options.format = .given(LogFormat.preset(format)!)
                do {
                    let a = try Analyzer.analyze(options)
                    #expect(a.input.parsed + a.input.skipped + a.input.blank == a.input.lines, "\(file)")
                    if a.input.skipped > 0 { #expect(!a.input.skippedExamples.isEmpty, "\(file): skipped lines have reasons") }
                } catch {
                    // A file none of whose lines fits is an error that names the first line and why.
                    #expect(error.kind == .noLineParsed, "\(file)")
                    #expect(error.description.contains(file), "\(file): \(error.description)")
                }
            }
            // And with detection: either a preset fits, or a clear error.
            do { _ = try Analyzer.analyze(AnalysisOptions(paths: [path])) } catch {
                #expect(error.kind == .formatNotDetected || error.kind == .noLineParsed, "\(file)")
            }
        }
    }

    /// semicomplete.com's real Apache log (no Origin): 182 origins in Referer, most of them
    /// search engines sending readers to its pages. None may be proposed: nothing in the log
    /// shows a CORS request from them (no preflight, only GET/HEAD/POST).
    @Test func searchEnginesInARealRefererLogAreNotProposed() throws {
        var options = AnalysisOptions(paths: [PackagePaths.realCorpus.appendingPathComponent("elastic-apache_logs.log.gz").path])
        options.format = .given(LogFormat.preset("combined")!)
        options.sites = [origin("https://semicomplete.com")]
        let a = try Analyzer.analyze(options)
        var inference = InferenceOptions()
        inference.sites = options.sites
        let i = Inferrer.infer(a.evidence, options: inference, psl: PublicSuffixList.bundled)
        let google = try #require(i.verdicts.first { $0.label == "https://www.google.com" })
        #expect(google.stats.requests > 50)
        #expect(google.decision == .review)
        #expect(google.reasons.contains { $0.code == .noCORSEvidence })
        #expect(i.proposal.origins.isEmpty, "\(i.proposal.origins)")
    }

    /// The whole folder as one directory: Traefik's JSON log (no Origin key: Traefik keeps no
    /// request header unless told) beside text logs chose `json` for the run, and every text
    /// line was skipped; and without a site, the search engines in Referer were proposed.
    @Test func theWholeFolderIsReadAsTextAndProposesNoSearchEngine() throws {
        let a = try Analyzer.analyze(AnalysisOptions(paths: [PackagePaths.realCorpus.path]))
        #expect(a.input.newerFormat == nil)
        #expect(a.format.name.hasPrefix("combined"), "\(a.format.name)")
        #expect(a.input.parsed > a.input.lines * 9 / 10, "\(a.input.parsed) of \(a.input.lines)")
        let i = Inferrer.infer(a.evidence, options: InferenceOptions(), psl: PublicSuffixList.bundled)
        #expect(i.sites.isEmpty)
        let google = try #require(i.verdicts.first { $0.label == "https://www.google.com" })
        #expect(google.decision == .review && google.reasons.map(\.code).contains(.noCORSEvidence))
        #expect(i.proposal.origins.isEmpty, "\(i.proposal.origins)")
    }
}
