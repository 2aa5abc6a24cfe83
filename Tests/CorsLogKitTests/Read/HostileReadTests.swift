import Foundation
import Testing
@testable import CorsLogKit

/// The reader on input made to hurt it: gzip cut or damaged at many offsets,
/// gzip bombs, a 100 MB line, a file no one (not even root) can read. It must
/// keep what it decoded, say where it broke, and stay in constant memory.
/// (LineReaderGzipTests and LineReaderPlainTests cover the ordinary cases.)
@Suite struct HostileReadTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func gzipCutAtEveryNthByteKeepsTheLinesBeforeTheCutAndNamesTheOffset() {
        let text = ReadFixture.logText(lines: 1_500, seed: 11)
        let expected = ReadFixture.referenceLines(text)
        let gz = ReadFixture.gzip(text)
        var previous = 0
        var cuts = 0
        // (One byte cannot be told from plain text: gzip is recognised by two.)
        for cut in stride(from: 2, to: gz.count, by: max(1, gz.count / 300)) {
            let capture = ReadFixture.read(Array(gz[0..<cut]), name: "cut.gz", blockSize: 4096)
            #expect(capture.result.error?.kind == .truncatedGzip, "cut \(cut)")
            #expect(capture.result.error?.offset == UInt64(cut), "cut \(cut)")
            #expect(capture.result.error?.description.contains("at compressed byte \(cut);") == true, "cut \(cut)")
            // Every complete line is the original; the last one may be cut short.
            let complete = capture.lines.dropLast()
            #expect(Array(complete) == Array(expected.prefix(complete.count)), "cut \(cut)")
            if let last = capture.lines.last { #expect(expected[capture.lines.count - 1].starts(with: last), "cut \(cut)") }
            #expect(capture.lines.count >= previous, "cut \(cut): fewer lines than a shorter cut")
            previous = capture.lines.count
            cuts += 1
        }
        #expect(cuts >= 300)
        #expect(previous > expected.count * 9 / 10, "a cut near the end keeps nearly everything")
    }

    @Test func gzipWithAByteFlippedAtEveryNthOffsetIsReportedAtOrAfterTheDamage() {
        let text = ReadFixture.logText(lines: 1_500, seed: 12)
        let expected = ReadFixture.referenceLines(text)
        let gz = ReadFixture.gzip(text)
        // Bytes 4–9 (MTIME, XFL, OS) may be anything; from byte 10 on, the deflate
        // data and the CRC-32/length trailer are checked.
        for offset in stride(from: 10, to: gz.count, by: max(1, gz.count / 250)) {
            var damaged = gz
            damaged[offset] ^= 0x5a
            let capture = ReadFixture.read(damaged, name: "bad.gz", blockSize: 4096)
            guard let error = capture.result.error else {
                // A changed match distance inside a run of one byte can decode to
                // the same bytes (the CRC-32 then agrees): only then is there no error.
                #expect(capture.lines == expected, "byte \(offset) flipped: no error, but other lines")
                continue
            }
            switch error.kind {
            case .corruptGzip, .truncatedGzip, .trailingGarbage: break
            default: Issue.record("byte \(offset) flipped: \(error)")
            }
            #expect(error.offset! > UInt64(offset), "byte \(offset) flipped, reported at \(error.offset!)")
            #expect(error.description.contains("at compressed byte \(error.offset!)"))
            #expect(capture.lines.count < expected.count + 1_000_000)
        }
        // A bad header is caught before any data.
        var header = gz
        header[3] = 0xe0  // reserved FLG bits
        let bad = ReadFixture.read(header)
        #expect(bad.lines.isEmpty)
        #expect(bad.result.error?.kind == .corruptGzip(detail: "unknown header flags set"))
    }

    /// `members` copies of one gzip member of `unit` repeated `repeats` times (a
    /// bomb: deflate's best ratio is about 1030:1, so 1 GB takes about 1 MB).
    private func bomb(unit: [UInt8], repeats: Int, members: Int) -> (gz: [UInt8], decoded: UInt64) {
        var plain: [UInt8] = []
        plain.reserveCapacity(unit.count * repeats)
        for _ in 0..<repeats { plain += unit }
        let member = ReadFixture.gzip(plain, level: 9)
        var gz: [UInt8] = []
        gz.reserveCapacity(member.count * members)
        for _ in 0..<members { gz += member }
        return (gz, UInt64(plain.count) * UInt64(members))
    }

    @Test func aGzipBombOfZerosIsStreamedInConstantMemory() {
        // 512 MiB of NUL bytes and no newline from a 520 kB file: one line, far over the limit.
        let (gz, decoded) = bomb(unit: [UInt8](repeating: 0, count: 1 << 20), repeats: 64, members: 8)
        #expect(gz.count < 600_000)
        #expect(decoded == 1 << 29)
        let capture = ReadFixture.read(gz, name: "bomb.gz")
        #expect(capture.result.error == nil)
        #expect(capture.result.decodedBytes == decoded)
        #expect(capture.result.members == 8)
        #expect(capture.lines.isEmpty)
        #expect(capture.overlong == [.init(line: 1, length: 1 << 29)])
        #expect(capture.peakCarryBytes <= 1 << 20, "the carry never holds more than --max-line-bytes")
    }

    @Test func aGzipBombOfOneRepeatedLineDeliversEveryLine() {
        // 128 MiB of one 64-byte line: 2 Mi lines from a file of about 390 kB.
        let line = bytes("192.0.2.1 - - [01/Nov/2025:00:00:00 +0000] \"GET / HTTP/1.1\" 200\n")
        #expect(line.count == 64)
        let (gz, decoded) = bomb(unit: line, repeats: 1 << 18, members: 8)
        #expect(gz.count < 400_000)
        let reader = LineReader()
        var lines = 0
        var allSame = true
        let (result, peak) = reader.run(source: .memory(gz, position: 0), name: "lines.gz", onLine: { slice, _ in
            lines += 1
            if slice.count != 63 { allSame = false }
        }, onOverlongLine: { _, _ in allSame = false })
        #expect(result.error == nil)
        #expect(result.decodedBytes == decoded)
        #expect(lines == 1 << 21)
        #expect(allSame)
        #expect(peak <= 63, "lines inside one block are never copied; one cut by a block boundary is")
    }

    @Test func aLineOf100MBIsSkippedAndCountedWithoutBeingBuffered() {
        let huge = [UInt8](repeating: UInt8(ascii: "x"), count: 100 << 20)
        let input = bytes("before\n") + huge + bytes("\r\nafter\n")
        let capture = ReadFixture.read(input)
        #expect(capture.strings == ["before", "after"])
        #expect(capture.numbers == [1, 3])
        #expect(capture.overlong == [.init(line: 2, length: 100 << 20)])
        #expect(capture.peakCarryBytes <= 1 << 20)
        let gz = ReadFixture.read(ReadFixture.gzip(input, level: 1), blockSize: 1 << 16)
        #expect(gz.strings == ["before", "after"])
        #expect(gz.overlong == [.init(line: 2, length: 100 << 20)])
        #expect(gz.peakCarryBytes <= 1 << 20)
    }

    @Test func aFileWhoseReadFailsKeepsNothingAndSaysWhy() {
        // Root can read a mode-000 file, but nobody can read /proc/self/mem at
        // address 0 (unmapped): open succeeds and read(2) fails with EIO.
        let capture = ReadFixture.read(path: "/proc/self/mem")
        #expect(capture.lines.isEmpty)
        #expect(capture.result.error?.kind == .readFailed(errno: EIO))
        #expect(capture.result.error?.description == "/proc/self/mem: read failed at byte 0: Input/output error; the 0 lines decoded before it were kept")
    }

    @Test func aSymbolicLinkLoopCannotBeOpened() throws {
        let dir = try ReadFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let loop = dir.appendingPathComponent("loop.log").path
        #expect(symlink(loop, loop) == 0)
        let capture = ReadFixture.read(path: loop)
        #expect(capture.result.error?.kind == .cannotOpen(errno: ELOOP))
        #expect(capture.result.error?.description == "\(loop): cannot open: Too many levels of symbolic links")
    }
}
