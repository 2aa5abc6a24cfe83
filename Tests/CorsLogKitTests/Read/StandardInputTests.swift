import Foundation
import Testing
@testable import CorsLogKit

/// Reading ahead on a pipe (what `StandardInput` does to standard input) and handing the
/// bytes back: the reader must see every byte once, in order.
@Suite struct StandardInputTests {
    /// Writes `bytes` into a new pipe from another thread; returns the read end.
    private func pipe(_ bytes: [UInt8]) -> (read: Int32, writer: Thread) {
        var fds: [Int32] = [0, 0]
        precondition(Glibc.pipe(&fds) == 0)
        let writeEnd = fds[1]
        let writer = Thread {
            var at = 0
            while at < bytes.count {
                let n = bytes[at...].withUnsafeBytes { Glibc.write(writeEnd, $0.baseAddress, min($0.count, 4096)) }
                if n <= 0 { break }
                at += n
            }
            close(writeEnd)
        }
        writer.start()
        return (fds[0], writer)
    }

    private func readThroughPeek(_ bytes: [UInt8], blockSize: Int = 1 << 20) -> (head: [UInt8], capture: ReadCapture) {
        let (fd, _) = pipe(bytes)
        defer { close(fd) }
        let head = PeekedDescriptor.readAhead(fd, count: 2)
        let source: ByteSource = head.isEmpty ? .descriptor(fd) : .peeked(head, position: 0, fd)
        var lines: [[UInt8]] = []
        let reader = LineReader(blockSize: blockSize)
        let (result, _) = reader.run(source: source, name: "-", onLine: { line, _ in lines.append(line.bytes) },
                                     onOverlongLine: { _, _ in })
        return (head, ReadCapture(result: result, lines: lines))
    }

    @Test(arguments: [1, 3, 1 << 20])
    func gzipReadAheadIsHandedBackToTheReader(blockSize: Int) {
        let text = ReadFixture.logText(lines: 800)
        let gz = ReadFixture.gzip(text)
        let (head, capture) = readThroughPeek(gz, blockSize: blockSize)
        #expect(head == [0x1f, 0x8b])
        #expect(capture.result.compressed)
        #expect(capture.result.error == nil)
        #expect(capture.result.inputBytes == UInt64(gz.count))
        #expect(capture.lines == ReadFixture.referenceLines(text))
    }

    @Test func plainReadAheadIsHandedBackToo() {
        let text = ReadFixture.logText(lines: 300)
        let (head, capture) = readThroughPeek(text)
        #expect(head == Array(text.prefix(2)))
        #expect(!capture.result.compressed)
        #expect(capture.lines == ReadFixture.referenceLines(text))
    }

    @Test func shortAndEmptyInputs() {
        let one = readThroughPeek(Array("x".utf8))
        #expect(one.head == Array("x".utf8))
        #expect(one.capture.lines == [Array("x".utf8)])
        let none = readThroughPeek([])
        #expect(none.head.isEmpty)
        #expect(none.capture.lines.isEmpty)
        #expect(none.capture.result.error == nil)
    }
}
