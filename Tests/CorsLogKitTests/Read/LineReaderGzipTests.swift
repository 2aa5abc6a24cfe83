import Foundation
import Testing
@testable import CorsLogKit

@Suite struct LineReaderGzipTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test(arguments: [1, 7, 100, 1 << 20])
    func decodesOneMemberExactly(blockSize: Int) {
        let text = ReadFixture.logText(lines: 600)
        let gz = ReadFixture.gzip(text)
        let capture = ReadFixture.read(gz, name: "access.log", blockSize: blockSize)
        #expect(capture.lines == ReadFixture.referenceLines(text))
        #expect(capture.result.compressed)
        #expect(capture.result.members == 1)
        #expect(capture.result.inputBytes == UInt64(gz.count))
        #expect(capture.result.decodedBytes == UInt64(text.count))
        #expect(capture.result.error == nil)
    }

    @Test func aGzipStreamNamedLogIsDetectedByMagic() throws {
        let dir = try ReadFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("access.log")
        try Data(ReadFixture.gzip(bytes("GET /a\r\nGET /b\n"))).write(to: file)
        let capture = ReadFixture.read(path: file.path)
        #expect(capture.strings == ["GET /a", "GET /b"])
        #expect(capture.result.compressed)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/gzip")))
    func readsWhatTheGzipToolWrites() throws {
        let dir = try ReadFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = ReadFixture.logText(lines: 2_000)
        let file = dir.appendingPathComponent("access.log.1")
        try Data(text).write(to: file)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
        gzip.arguments = ["-9", file.path]  // replaces it with access.log.1.gz
        try gzip.run()
        gzip.waitUntilExit()
        #expect(gzip.terminationStatus == 0)
        let capture = ReadFixture.read(path: file.path + ".gz", blockSize: 4096)
        #expect(capture.lines == ReadFixture.referenceLines(text))
        #expect(capture.result.members == 1)
        #expect(capture.result.error == nil)
    }

    @Test(arguments: [1, 2, 3, 7, 13, 1 << 20])
    func readsConcatenatedMembersAndJoinsALineAcrossThem(blockSize: Int) {
        // `cat a.gz b.gz c.gz`: the line "spans-members" is cut between a and b; c is empty.
        let a = ReadFixture.gzip(bytes("first\r\nspans-"))
        let b = ReadFixture.gzip(bytes("members\nthird\n"))
        let c = ReadFixture.gzip([])
        let d = ReadFixture.gzip(bytes("last"))
        let capture = ReadFixture.read(a + b + c + d, blockSize: blockSize)
        #expect(capture.strings == ["first", "spans-members", "third", "last"])
        #expect(capture.numbers == [1, 2, 3, 4])
        #expect(capture.result.members == 4)
        #expect(capture.result.error == nil)
    }

    @Test func readsManySmallMembersAtEveryBlockAlignment() {
        // Member boundaries land everywhere relative to the input blocks,
        // including with one byte of the next magic left in a block.
        let text = ReadFixture.logText(lines: 60)
        var gz: [UInt8] = []
        var cut = 0
        var step = 1
        while cut < text.count {
            let end = min(text.count, cut + step)
            gz += ReadFixture.gzip(Array(text[cut..<end]))
            cut = end
            step = step % 97 + 13
        }
        for blockSize in 1...12 {
            let capture = ReadFixture.read(gz, blockSize: blockSize)
            #expect(capture.lines == ReadFixture.referenceLines(text), "blockSize \(blockSize)")
            #expect(capture.result.error == nil, "blockSize \(blockSize)")
        }
    }

    @Test func truncatedGzipKeepsEveryLineDecodedBeforeTheCut() {
        let text = ReadFixture.logText(lines: 2_000)
        let expected = ReadFixture.referenceLines(text)
        let gz = ReadFixture.gzip(text)
        let n = gz.count
        let cuts = [2, 5, 10, 18, n / 5, n / 3, n / 2, 2 * n / 3, n - 100, n - 9, n - 8, n - 4, n - 1]
        var previousLines = 0
        for cut in cuts {
            let capture = ReadFixture.read(Array(gz[0..<cut]), name: "logs/access.log.2.gz", blockSize: 4096)
            let error = capture.result.error
            #expect(error?.kind == .truncatedGzip, "cut \(cut)")
            #expect(error?.offset == UInt64(cut), "cut \(cut)")
            #expect(capture.result.inputBytes == UInt64(cut))
            #expect(capture.result.members == 0)
            // Complete lines are exact; the last one delivered may be cut short.
            let complete = capture.lines.dropLast()
            #expect(Array(complete) == Array(expected.prefix(complete.count)), "cut \(cut)")
            if let last = capture.lines.last {
                #expect(expected[capture.lines.count - 1].starts(with: last), "cut \(cut)")
            }
            #expect(capture.lines.count >= previousLines, "cut \(cut)")
            previousLines = capture.lines.count
            #expect(error?.description == "logs/access.log.2.gz: gzip data ends early (truncated) at compressed byte \(cut); the \(capture.lines.count) lines decoded before it were kept")
        }
        // Cut inside the 8-byte trailer: all data decoded, still reported.
        #expect(previousLines == expected.count)
        #expect(ReadFixture.read(Array(gz[0..<(n / 2)])).lines.count > 0)
    }

    @Test(arguments: [16, 64, 100])
    func cutInsideTheTrailerStillDeliversAllDataWithSmallBlocks(blockSize: Int) {
        // A long run compresses to a few long matches: zlib holds decoded bytes
        // back when the output block is full although the (cut) input is used up.
        let run = [UInt8](repeating: UInt8(ascii: "a"), count: 100_000)
        let text = bytes("start\n") + run
        let gz = ReadFixture.gzip(text)
        let capture = ReadFixture.read(Array(gz[0..<(gz.count - 8)]), blockSize: blockSize)
        // (lengths, not contents, so a failure does not print 100 KB)
        #expect(capture.lines.map(\.count) == [5, run.count])
        #expect(capture.lines.last?.allSatisfy { $0 == UInt8(ascii: "a") } == true)
        #expect(capture.result.decodedBytes == UInt64(text.count))
        #expect(capture.result.error?.kind == .truncatedGzip)
    }

    @Test func corruptDataInTheMiddleIsReportedAfterTheLinesBeforeIt() {
        let text = ReadFixture.logText(lines: 2_000)
        let expected = ReadFixture.referenceLines(text)
        var gz = ReadFixture.gzip(text)
        let middle = gz.count / 2
        for i in middle..<(middle + 8) { gz[i] ^= 0xa5 }
        let capture = ReadFixture.read(gz, blockSize: 4096)
        guard case .corruptGzip(let detail)? = capture.result.error?.kind else {
            Issue.record("expected corruptGzip, got \(String(describing: capture.result.error))")
            return
        }
        #expect(!detail.isEmpty)
        #expect(capture.result.error!.offset! > UInt64(middle))
        // The first lines came from bytes before the damage.
        #expect(capture.lines.count > 10)
        #expect(Array(capture.lines.prefix(10)) == Array(expected.prefix(10)))
        #expect(capture.result.error!.description.contains("gzip data is corrupt at compressed byte"))
    }

    @Test func corruptSecondMemberKeepsTheWholeFirstMember() {
        let first = ReadFixture.logText(lines: 300, seed: 7)
        let a = ReadFixture.gzip(first)
        var b = ReadFixture.gzip(bytes("never\nseen\n"))
        b[2] = 7  // compression method must be 8 (deflate)
        let capture = ReadFixture.read(a + b, name: "x.gz")
        #expect(capture.lines == ReadFixture.referenceLines(first))
        #expect(capture.result.members == 1)
        #expect(capture.result.error?.kind == .corruptGzip(detail: "unknown compression method"))
        #expect(capture.result.error?.offset ?? 0 >= UInt64(a.count))
    }

    @Test func wrongChecksumIsCorrupt() {
        var gz = ReadFixture.gzip(bytes("a\nb\n"))
        gz[gz.count - 8] ^= 0xff  // first byte of the CRC-32 in the trailer
        let capture = ReadFixture.read(gz)
        #expect(capture.strings == ["a", "b"])
        #expect(capture.result.error?.kind == .corruptGzip(detail: "incorrect data check"))
    }

    @Test(arguments: [1, 3, 1 << 20])
    func trailingGarbageIsReportedAtItsOffset(blockSize: Int) {
        let gz = ReadFixture.gzip(bytes("a\nb\n"))
        let capture = ReadFixture.read(gz + bytes("garbage\n"), name: "t.gz", blockSize: blockSize)
        #expect(capture.strings == ["a", "b"])
        #expect(capture.result.members == 1)
        #expect(capture.result.error?.kind == .trailingGarbage)
        #expect(capture.result.error?.offset == UInt64(gz.count))
    }

    @Test(arguments: [1, 3, 1 << 20])
    func zeroPaddingAfterTheLastMemberIsIgnored(blockSize: Int) {
        let gz = ReadFixture.gzip(bytes("a\nb\n"))
        let padded = ReadFixture.read(gz + [UInt8](repeating: 0, count: 1000), blockSize: blockSize)
        #expect(padded.strings == ["a", "b"])
        #expect(padded.result.error == nil)
        // ...but not padding followed by something else.
        let dirty = ReadFixture.read(gz + [0, 0, 0, 0x41], blockSize: blockSize)
        #expect(dirty.result.error?.kind == .trailingGarbage)
        #expect(dirty.result.error?.offset == UInt64(gz.count + 3))
    }

    @Test func oneByteOfAnotherMagicAtTheEndIsTruncated() {
        let gz = ReadFixture.gzip(bytes("a\n"))
        let capture = ReadFixture.read(gz + [0x1f])
        #expect(capture.strings == ["a"])
        #expect(capture.result.error?.kind == .truncatedGzip)
    }

    @Test func overlongLinesInsideGzipAreSkipped() {
        let huge = [UInt8](repeating: UInt8(ascii: "z"), count: 50_000)
        let text = bytes("before\n") + huge + bytes("\nafter\n")
        let capture = ReadFixture.read(ReadFixture.gzip(text), maxLineBytes: 100, blockSize: 512)
        #expect(capture.strings == ["before", "after"])
        #expect(capture.numbers == [1, 3])
        #expect(capture.overlong == [.init(line: 2, length: 50_000)])
        #expect(capture.peakCarryBytes <= 100)
    }
}
