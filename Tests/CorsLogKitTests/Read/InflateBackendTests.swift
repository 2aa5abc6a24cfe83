import CIsal
import Foundation
import Testing
@testable import CorsLogKit

/// zlib and ISA-L, with and without the decode thread, deliver the same lines, counts,
/// errors and offsets — on good, multi-member, truncated and corrupt gzip alike.
@Suite struct InflateBackendTests {
    /// Every input the gzip tests use, damaged in each way they damage it.
    static func fixtures() -> [(String, [UInt8])] {
        let text = ReadFixture.logText(lines: 2_000)
        let gz = ReadFixture.gzip(text)
        let n = gz.count
        var out: [(String, [UInt8])] = [("one member", gz)]
        for cut in [2, 5, 10, 18, n / 5, n / 3, n / 2, 2 * n / 3, n - 100, n - 9, n - 8, n - 4, n - 1] {
            out.append(("cut at \(cut)", Array(gz[0..<cut])))
        }
        var corrupt = gz
        for i in (n / 2)..<(n / 2 + 8) { corrupt[i] ^= 0xa5 }
        out.append(("corrupt middle", corrupt))
        let first = ReadFixture.gzip(ReadFixture.logText(lines: 300, seed: 7))
        var second = ReadFixture.gzip(Array("never\nseen\n".utf8))
        second[2] = 7
        out.append(("corrupt second member", first + second))
        var checksum = ReadFixture.gzip(Array("a\nb\n".utf8))
        checksum[checksum.count - 8] ^= 0xff
        out.append(("wrong checksum", checksum))
        out.append(("many members", (0..<50).flatMap { ReadFixture.gzip(Array("member \($0)\nline".utf8) + ($0 % 2 == 0 ? [10] : [])) }))
        out.append(("trailing garbage", gz + Array("junk".utf8)))
        out.append(("zero padding", gz + [UInt8](repeating: 0, count: 1000)))
        out.append(("one byte of another magic", gz + [0x1f]))
        let run = Array("start\n".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 100_000)
        out.append(("long run cut in the trailer", Array(ReadFixture.gzip(run).dropLast(8))))
        return out
    }

    static func same(_ a: ReadCapture, _ b: ReadCapture) -> Bool {
        var ra = a.result, rb = b.result
        ra.inflate = nil
        rb.inflate = nil
        return ra == rb && a.lines == b.lines && a.numbers == b.numbers && a.overlong == b.overlong
    }

    @Test(arguments: [16, 4096, 1 << 20])
    func zlibWithTheDecodeThreadIsTheSame(blockSize: Int) {
        for (name, bytes) in Self.fixtures() {
            let reference = ReadFixture.read(bytes, name: "x.gz", maxLineBytes: 300, blockSize: blockSize)
            let threaded = ReadFixture.read(bytes, name: "x.gz", maxLineBytes: 300, blockSize: blockSize, decodeThread: true)
            #expect(Self.same(reference, threaded), "\(name), blockSize \(blockSize)")
        }
    }

    @Test(arguments: [16, 4096, 1 << 20])
    func isalGivesTheSameLinesAndErrorsAsZlib(blockSize: Int) {
        guard ParallelReadTests.isalAvailable else { return }
        for (name, bytes) in Self.fixtures() {
            let zlib = ReadFixture.read(bytes, name: "x.gz", maxLineBytes: 300, blockSize: blockSize)
            for decodeThread in [false, true] {
                let isal = ReadFixture.read(bytes, name: "x.gz", maxLineBytes: 300, blockSize: blockSize,
                                            decodeThread: decodeThread, inflate: .isal)
                let detail = "\(name), blockSize \(blockSize), decode thread \(decodeThread): "
                    + "zlib \(zlib.lines.count) lines, \(String(describing: zlib.result.error)); "
                    + "isa-l \(isal.lines.count) lines, \(String(describing: isal.result.error))"
                #expect(Self.same(zlib, isal), "\(detail)")
                if name == "one member" { #expect(isal.result.inflate == .isal) }
            }
        }
    }

    /// The copy of `struct inflate_state` in CIsal matches Debian's libisal-dev header.
    @Test func theStateLayoutMatchesTheInstalledHeader() throws {
        let header = "/usr/include/isa-l/igzip_lib.h"
        let compiler = ["/usr/bin/cc", "/opt/swift/usr/bin/clang", "/usr/bin/clang"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard FileManager.default.fileExists(atPath: header), let compiler else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                Issue.record("\(header) (Debian libisal-dev) and a C compiler are required under CI=true")
            } else {
                print("InflateBackendTests: \(header) not found (apt-get install libisal-dev): layout not checked")
            }
            return
        }
        let dir = try ReadFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = dir.appendingPathComponent("layout.c")
        try """
        #include <stdio.h>
        #include <stddef.h>
        #include <isa-l/igzip_lib.h>
        int main(void) {
            printf("%zu %zu %zu %zu %zu %zu %zu %zu %zu %zu\\n", sizeof(struct inflate_state),
                offsetof(struct inflate_state, next_out), offsetof(struct inflate_state, avail_out),
                offsetof(struct inflate_state, total_out), offsetof(struct inflate_state, next_in),
                offsetof(struct inflate_state, avail_in), offsetof(struct inflate_state, block_state),
                offsetof(struct inflate_state, crc_flag), offsetof(struct inflate_state, hist_bits),
                offsetof(struct inflate_state, tmp_out_buffer));
            printf("%d %d %d\\n", ISAL_GZIP, ISAL_BLOCK_FINISH, ISAL_INCORRECT_CHECKSUM);
            return 0;
        }
        """.write(to: source, atomically: true, encoding: .utf8)
        let binary = dir.appendingPathComponent("layout").path
        let build = try runProcess(compiler, [source.path, "-o", binary])
        #expect(build.status == 0, "\(build.err)")
        let run = try runProcess(binary, [])
        let ours = (0..<10).map { String(CIsal_layout(Int32($0))) }.joined(separator: " ")
            + "\n\(CISAL_GZIP) \(CISAL_BLOCK_FINISH) \(CISAL_INCORRECT_CHECKSUM)\n"
        #expect(run.out == ours)
    }
}
