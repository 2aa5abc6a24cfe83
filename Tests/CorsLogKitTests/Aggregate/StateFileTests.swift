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

    /// Read a day at a time too: the same state as the whole-document decoder gives.
    @Test func itReadsBackToTheSameStateADayAtATime() throws {
        let text = try state().encoded()
        let byDay = try #require(StateFile.decodeByDay(Data(text.utf8)), "a written state is read a day at a time")
        #expect(byDay.encoded() == text)
        let again = try StateFile.decode(Data(text.utf8), path: "state.json")
        #expect(again.encoded() == text)
        // Spaces and newlines between the members (a hand-edited file) change nothing.
        let spaced = text.replacingOccurrences(of: ",\"days\":{", with: ",\n  \"days\" : {\n ")
        #expect(StateFile.decodeByDay(Data(spaced.utf8))?.encoded() == text)
    }

    /// What the day-at-a-time reader does not take plainly goes to the whole-document decoder,
    /// which reads it or says what is wrong, as before.
    @Test func anythingElseIsReadWholeWithItsUsualError() throws {
        let text = try state().encoded()
        let firstDay = DayText.text(try state().days.keys.min()!)
        // An escaped key, a repeated day: the whole-document decoder's reading.
        let escaped = text.replacingOccurrences(of: "\"days\":{", with: "\"d\\u0061ys\":{")
        #expect(StateFile.decodeByDay(Data(escaped.utf8)) == nil)
        #expect(try StateFile.decode(Data(escaped.utf8), path: "s").encoded() == text)
        // Broken inside a day: the error names the day, as the whole-document decoder has it.
        let broken = text.replacingOccurrences(of: "\"\(firstDay)\":{\"answered_requests\":", with: "\"\(firstDay)\":{\"answered_requests\":\"x\",\"_\":")
        #expect(broken != text)
        #expect(StateFile.decodeByDay(Data(broken.utf8)) == nil)
        #expect(throws: CorsLogError.self) { try StateFile.decode(Data(broken.utf8), path: "s") }
        do {
            _ = try StateFile.decode(Data(broken.utf8), path: "s")
        } catch {
            #expect(error.message.contains(firstDay), "\(error.message)")
        }
        // Cut short, trailing junk, not an object.
        for bad in [String(text.dropLast(40)), text + "x", "[" + text + "]"] {
            #expect(StateFile.decodeByDay(Data(bad.utf8)) == nil)
            #expect(throws: CorsLogError.self) { try StateFile.decode(Data(bad.utf8), path: "s") }
        }
    }
}

/// The structural scan the day-at-a-time reader splits a state with.
@Suite struct JSONMembersTests {
    private func members(_ text: String) -> [String: String]? {
        let bytes = Array(text.utf8)
        guard let m = JSONMembers(bytes, in: 0..<bytes.count) else { return nil }
        return Dictionary(uniqueKeysWithValues: m.members.map {
            (String(decoding: $0.key, as: UTF8.self), String(decoding: bytes[$0.value], as: UTF8.self))
        })
    }

    @Test func valuesEndWhereTheirBracketsAndQuotesSay() {
        let m = members(#" { "a" : {"x":"}{\"]","y":[1,{"z":[]}]} , "b":[ "]", 2 ],"c":-1.5e3,"d":"q\"uote","e":null } "#)
        #expect(m?["a"] == #"{"x":"}{\"]","y":[1,{"z":[]}]}"#)
        #expect(m?["b"] == #"[ "]", 2 ]"#)
        #expect(m?["c"] == "-1.5e3")
        #expect(m?["d"] == #""q\"uote""#)
        #expect(m?["e"] == "null")
        #expect(members("{}")?.isEmpty == true)
    }

    @Test func whatItCannotSplitPlainlyIsNil() {
        for bad in [#"{"a":1"#, #"{"a":{"b":1}"#, #"{"a":"x}"#, #"{"a" 1}"#, #"{"a":1,}"#, #"{"a":1} x"#,
                    #"["a"]"#, #"{"\u0061":1}"#, #"{"a":}"#, ""] {
            #expect(members(bad) == nil, "\(bad)")
        }
    }
}
