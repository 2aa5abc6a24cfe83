import Foundation
import Testing
@testable import CorsLogKit

/// The state file is written a day at a time (the whole document's encoder tree took more
/// memory than the rest of a run at the origin cap): the text is the one the whole-document
/// encoding gives, byte for byte, and reads back to the same state.
@Suite struct StateFileTests {
    private func state() throws -> StateFile {
        let paths = ["access.log.2.gz", "access.log.1", "access.log"].map { "\(PackagePaths.samples.path)/nginx/\($0)" }
        var options = AnalysisOptions(paths: paths)
        options.format = .given(LogFormat.preset("nginx-cors")!)
        options.sites = [origin("https://api.example.com")]
        options.byDay = true
        let run = try Analyzer.run(options, files: paths.map { FileToRead(path: $0) })
        var s = StateFile(sites: options.sites)
        s.days = run.days
        s.source = run.analysis.evidence.source
        s.format = run.analysis.format
        for path in paths {
            let id = try #require(FileIdentity.of(path: path))
            s.files.append(StateFile.FileRecord(path: path, identity: id, offset: 100, lines: 3, day: 20_400))
        }
        return s
    }

    @Test func writtenADayAtATimeItIsTheWholeDocumentsText() throws {
        let s = try state()
        #expect(s.days.count == 7)
        let text = s.encoded()
        #expect(text == s.encodedWhole())
        // Without files, format or source (a state before its first log) too.
        var empty = StateFile(sites: [])
        #expect(empty.encoded() == empty.encodedWhole())
        empty.days = [s.days.keys.min()!: s.days.values.first!]
        #expect(empty.encoded() == empty.encodedWhole())
    }

    @Test func itReadsBackToTheSameState() throws {
        let text = try state().encoded()
        let again = try StateFile.decode(Data(text.utf8), path: "state.json")
        #expect(again.encoded() == text)
    }
}
