import Foundation
import Testing
@testable import CorsLogKit

/// Resumed reads (`--state`): a read starts after the bytes an earlier one took,
/// numbers lines on from there, and keeps back a line still being written.
@Suite struct LineReaderResumeTests {
    private func file(_ bytes: [UInt8], gzip: Bool = false) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-resume-\(UUID().uuidString).log").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        if gzip {
            _ = try runProcess("/bin/gzip", ["-n", path])
            return path + ".gz"
        }
        return path
    }

    private func read(_ path: String, _ start: LineReader.Start) -> (FileReadResult, [String], [Int]) {
        var lines: [String] = [], numbers: [Int] = []
        let r = LineReader(blockSize: 7).read(path: path, from: start, onLine: { line, n in
            lines.append(String(decoding: line.bytes, as: UTF8.self)); numbers.append(n)
        }, onOverlongLine: { _, _ in })
        return (r, lines, numbers)
    }

    @Test(arguments: [false, true])
    func aReadResumesWhereTheLastStoppedAndHoldsAnUnfinishedLine(gzip: Bool) throws {
        let path = try file(Array("one\r\ntwo\nthree\nfou".utf8), gzip: gzip)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (first, lines, _) = read(path, LineReader.Start(holdUnterminatedTail: true))
        #expect(lines == ["one", "two", "three"])
        #expect(first.resumeOffset == 15, "through three's newline; fou waits")
        #expect(first.head.map { String(decoding: $0, as: UTF8.self) } == "one\r\ntwo\nthree\nfou")
        let (second, rest, numbers) = read(path, LineReader.Start(offset: 9, linesBefore: 2))
        #expect(rest == ["three", "fou"])
        #expect(numbers == [3, 4], "line numbers go on")
        #expect(second.resumeOffset == 18, "the whole file: the final line delivered without holding")
        #expect(second.compressed == gzip)
    }

    @Test func theHeadOfAGzipFileIsItsDecodedStart() throws {
        let text = (0..<2000).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let plain = try file(Array(text.utf8)), gz = try file(Array(text.utf8), gzip: true)
        defer { try? FileManager.default.removeItem(atPath: plain); try? FileManager.default.removeItem(atPath: gz) }
        let a = try #require(FileIdentity.of(path: plain)), b = try #require(FileIdentity.of(path: gz))
        #expect(a.head.count == LineReader.headBytes)
        #expect(a.head == b.head)
        #expect(!a.compressed && b.compressed)
        #expect(a.inode != b.inode)
    }
}
