import CZlib
import Foundation
import Testing
@testable import CorsLogKit

/// What one read delivered, copied out of the closures.
struct ReadCapture {
    var result: FileReadResult
    var lines: [[UInt8]] = []
    var numbers: [Int] = []
    var overlong: [Overlong] = []
    var peakCarryBytes = 0

    struct Overlong: Equatable {
        var line: Int
        var length: Int
    }

    var strings: [String] { lines.map { String(decoding: $0, as: UTF8.self) } }
}

enum ReadFixture {
    /// Reads in-memory bytes and keeps copies of every line.
    static func read(_ bytes: [UInt8], name: String = "test.log",
                     maxLineBytes: Int = 1 << 20, blockSize: Int = 1 << 20,
                     decodeThread: Bool = false, inflate: InflateChoice = .zlib) -> ReadCapture {
        let reader = LineReader(maxLineBytes: maxLineBytes, blockSize: blockSize, decodeThread: decodeThread, inflate: inflate)
        var lines: [[UInt8]] = []
        var numbers: [Int] = []
        var overlong: [ReadCapture.Overlong] = []
        let (result, peak) = reader.run(
            source: .memory(bytes, position: 0), name: name,
            onLine: { line, number in lines.append(line.bytes); numbers.append(number) },
            onOverlongLine: { number, length in overlong.append(.init(line: number, length: length)) })
        return ReadCapture(result: result, lines: lines, numbers: numbers, overlong: overlong, peakCarryBytes: peak)
    }

    /// Reads a file through the descriptor path.
    static func read(path: String, maxLineBytes: Int = 1 << 20, blockSize: Int = 1 << 20) -> ReadCapture {
        let reader = LineReader(maxLineBytes: maxLineBytes, blockSize: blockSize)
        var lines: [[UInt8]] = []
        var numbers: [Int] = []
        var overlong: [ReadCapture.Overlong] = []
        let result = reader.read(
            path: path,
            onLine: { line, number in lines.append(line.bytes); numbers.append(number) },
            onOverlongLine: { number, length in overlong.append(.init(line: number, length: length)) })
        return ReadCapture(result: result, lines: lines, numbers: numbers, overlong: overlong)
    }

    /// A reference splitter written independently of LineSplitter: split on LF,
    /// drop one CR before each LF, no empty line after a final LF.
    static func referenceLines(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line -> [UInt8] in
            var line = Array(line)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            return line
        }
        if bytes.last == UInt8(ascii: "\n") || bytes.isEmpty { lines.removeLast() }
        return lines
    }

    /// Deterministic log-like text: `count` lines of varied length, some CRLF, some blank.
    static func logText(lines count: Int, seed: UInt64 = 1) -> [UInt8] {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        var out: [UInt8] = []
        for i in 0..<count {
            let r = next()
            if r % 17 == 0 {
                // blank line
            } else {
                out += Array("10.0.\(i % 256).\(r % 256) - - [01/Jan/2024:00:00:\(i % 60) +0000] \"GET /api/\(r % 1000) HTTP/1.1\" 200 \(r % 5000) \"https://app.example.com/\" \"Mozilla/5.0\"".utf8)
                out += Array(repeating: UInt8(ascii: "a") + UInt8(r % 26), count: Int(r % 200))
            }
            out += r % 3 == 0 ? [UInt8(ascii: "\r"), UInt8(ascii: "\n")] : [UInt8(ascii: "\n")]
        }
        return out
    }

    /// One gzip member of `bytes`, made by zlib's deflate.
    static func gzip(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        // zlib keeps the stream's address, so it gets its own allocation.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { deflateEnd(stream); stream.deinitialize(count: 1); stream.deallocate() }
        let status = deflateInit2_(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "deflateInit2_ failed: \(status)")
        var input = bytes
        var out = [UInt8](repeating: 0, count: Int(deflateBound(stream, UInt(bytes.count))) + 64)
        let produced = input.withUnsafeMutableBufferPointer { inBuffer in
            out.withUnsafeMutableBufferPointer { outBuffer in
                stream.pointee.next_in = inBuffer.baseAddress
                stream.pointee.avail_in = UInt32(inBuffer.count)
                stream.pointee.next_out = outBuffer.baseAddress
                stream.pointee.avail_out = UInt32(outBuffer.count)
                let result = deflate(stream, Z_FINISH)
                precondition(result == Z_STREAM_END, "deflate did not finish: \(result)")
                return outBuffer.count - Int(stream.pointee.avail_out)
            }
        }
        return Array(out[0..<produced])
    }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("corslog-read-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
