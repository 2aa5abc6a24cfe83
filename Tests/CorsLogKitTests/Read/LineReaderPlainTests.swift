import Foundation
import Testing
@testable import CorsLogKit

@Suite struct LineReaderPlainTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func splitsLFAndCRLFKeepsBlankLinesAndFinalLineWithoutNewline() {
        let capture = ReadFixture.read(bytes("one\r\ntwo\n\n\r\nthree\r\nlast"))
        #expect(capture.strings == ["one", "two", "", "", "three", "last"])
        #expect(capture.numbers == [1, 2, 3, 4, 5, 6])
        #expect(capture.result.lines == 6)
        #expect(capture.result.error == nil)
    }

    @Test func finalNewlineDoesNotAddAnEmptyLine() {
        #expect(ReadFixture.read(bytes("a\nb\n")).strings == ["a", "b"])
        #expect(ReadFixture.read(bytes("a\r\n")).strings == ["a"])
        #expect(ReadFixture.read(bytes("\n")).strings == [""])
        let empty = ReadFixture.read([])
        #expect(empty.lines.isEmpty)
        #expect(empty.result.lines == 0)
        #expect(empty.result.error == nil)
    }

    @Test func nonUTF8NULAndLoneCRPassThroughUntouched() {
        let line1: [UInt8] = [0xff, 0xfe, 0x00, 0xc3, 0x28, 0x41, 0x00]
        let line2: [UInt8] = [UInt8(ascii: "a"), UInt8(ascii: "\r"), UInt8(ascii: "b")]
        let line3: [UInt8] = [0x80, UInt8(ascii: "\r")]  // a CR at the very end, no LF: content
        let input = line1 + [10] + line2 + [10] + line3
        let capture = ReadFixture.read(input)
        #expect(capture.lines == [line1, line2, line3])
    }

    @Test func reportsPlainCounters() {
        let text = ReadFixture.logText(lines: 300)
        let capture = ReadFixture.read(text)
        #expect(capture.result.compressed == false)
        #expect(capture.result.members == 0)
        #expect(capture.result.inputBytes == UInt64(text.count))
        #expect(capture.result.decodedBytes == UInt64(text.count))
        #expect(capture.result.path == "test.log")
    }

    @Test(arguments: [1, 2, 3, 7, 64, 4096])
    func reassemblesLinesAcrossBlockBoundaries(blockSize: Int) {
        let text = ReadFixture.logText(lines: 400, seed: UInt64(blockSize))
        let expected = ReadFixture.referenceLines(text)
        let capture = ReadFixture.read(text, blockSize: blockSize)
        #expect(capture.lines == expected)
        #expect(capture.numbers == Array(1...expected.count))
        #expect(capture.result.overlongLines == 0)
    }

    @Test(arguments: [1, 5, 7, 63, 64, 65, 100, 1 << 16])
    func skipsOverlongLinesWithoutBufferingThem(blockSize: Int) {
        let max = 64
        let exact = [UInt8](repeating: UInt8(ascii: "e"), count: max)
        let justOver = [UInt8](repeating: UInt8(ascii: "o"), count: max + 1)
        let huge = [UInt8](repeating: UInt8(ascii: "x"), count: 10_000)
        var input = bytes("short1\n")
        input += huge + bytes("\r\n")            // 2: overlong, 10000
        input += bytes("short2\n")               // 3
        input += exact + bytes("\r\n")           // 4: exactly max, CRLF: delivered
        input += justOver + bytes("\n")          // 5: overlong, 65
        input += exact + bytes("\r") + bytes("x\n") // 6: CR inside: 66 bytes, overlong
        input += bytes("\n")                     // 7: blank
        input += exact + bytes("\n")             // 8: exactly max, LF
        input += huge                            // 9: final overlong line without newline

        let capture = ReadFixture.read(input, maxLineBytes: max, blockSize: blockSize)
        #expect(capture.lines == [bytes("short1"), bytes("short2"), exact, [], exact])
        #expect(capture.numbers == [1, 3, 4, 7, 8])
        #expect(capture.overlong == [.init(line: 2, length: 10_000), .init(line: 5, length: 65),
                                     .init(line: 6, length: 66), .init(line: 9, length: 10_000)])
        #expect(capture.result.lines == 5)
        #expect(capture.result.overlongLines == 4)
        #expect(capture.peakCarryBytes <= max)
    }

    @Test func finalLineOfExactlyMaxPlusCRIsOverlong() {
        // "e"*64 + CR at the end of input: the CR is content (no LF follows).
        let input = [UInt8](repeating: UInt8(ascii: "e"), count: 64) + [UInt8(ascii: "\r")]
        for blockSize in [1, 64, 65, 1024] {
            let capture = ReadFixture.read(input, maxLineBytes: 64, blockSize: blockSize)
            #expect(capture.lines.isEmpty)
            #expect(capture.overlong == [.init(line: 1, length: 65)])
        }
    }

    @Test func readsAFileThroughItsDescriptorLikeInMemoryBytes() throws {
        let dir = try ReadFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = ReadFixture.logText(lines: 500)
        let file = dir.appendingPathComponent("access.log")
        try Data(text).write(to: file)
        for blockSize in [7, 1 << 20] {
            let capture = ReadFixture.read(path: file.path, blockSize: blockSize)
            #expect(capture.lines == ReadFixture.referenceLines(text))
            #expect(capture.result.inputBytes == UInt64(text.count))
            #expect(capture.result.path == file.path)
            #expect(capture.result.error == nil)
        }
    }

    @Test func aGzNameHoldingPlainTextReadsAsPlain() throws {
        let dir = try ReadFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("access.log.2.gz")
        try Data("GET /a\nGET /b\n".utf8).write(to: file)
        let capture = ReadFixture.read(path: file.path)
        #expect(capture.strings == ["GET /a", "GET /b"])
        #expect(capture.result.compressed == false)
        #expect(capture.result.error == nil)
    }

    @Test func missingFileIsCannotOpenWithErrno() {
        let path = "/nonexistent-corslog-dir/x.log"
        let capture = ReadFixture.read(path: path)
        #expect(capture.lines.isEmpty)
        #expect(capture.result.error?.kind == .cannotOpen(errno: ENOENT))
        #expect(capture.result.error?.description == "\(path): cannot open: No such file or directory")
    }

    @Test(.enabled(if: geteuid() != 0, "root can read a mode-000 file"))
    func unreadableFileIsCannotOpenWithErrno() throws {
        let dir = try ReadFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("secret.log")
        try Data("x\n".utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: file.path)
        #expect(ReadFixture.read(path: file.path).result.error?.kind == .cannotOpen(errno: EACCES))
    }

    @Test func aDirectoryReachingReadIsReported() throws {
        let dir = try ReadFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let capture = ReadFixture.read(path: dir.path)
        #expect(capture.result.error?.kind == .isDirectory)
        #expect(capture.result.error?.description.hasPrefix(dir.path + ": is a directory") == true)
    }
}
