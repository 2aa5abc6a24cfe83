import CorsLogKit

/// The reader on arbitrary bytes (gzip or not), twice: with large blocks and a
/// large line limit, and with small blocks and a small limit. Whatever the
/// block size, the same bytes must give the same lines and the same outcome.
enum GzipReaderFuzz {
    static func run(_ data: UnsafeRawBufferPointer) {
        let bytes = Array(data)
        let big = read(bytes, maxLineBytes: 1 << 14, blockSize: 1 << 14)
        let small = read(bytes, maxLineBytes: 1 << 14, blockSize: 61)
        let tiny = read(bytes, maxLineBytes: 40, blockSize: 61)
        FuzzTargets.check(big.lineHashes == small.lineHashes, "lines differ with block size 61")
        FuzzTargets.check(big.result.decodedBytes == small.result.decodedBytes, "decoded bytes differ with block size 61")
        FuzzTargets.check(big.result.error?.kind == small.result.error?.kind, "outcome differs with block size 61: \(String(describing: big.result.error)) / \(String(describing: small.result.error))")
        FuzzTargets.check(tiny.result.lines + tiny.result.overlongLines == big.result.lines + big.result.overlongLines,
                          "line count differs with a 40-byte line limit")
        FuzzTargets.check(tiny.longest <= 40, "a line over the limit was delivered")
        if let error = big.result.error { _ = error.description }
    }

    struct Outcome {
        var result: FileReadResult
        var lineHashes: [UInt64] = []
        var longest = 0
    }

    static func read(_ bytes: [UInt8], maxLineBytes: Int, blockSize: Int) -> Outcome {
        let reader = LineReader(maxLineBytes: maxLineBytes, blockSize: blockSize)
        var hashes: [UInt64] = []
        var longest = 0
        let result = reader.read(bytes: bytes, name: "fuzz.gz", onLine: { line, _ in
            hashes.append(line.fnv1a)
            longest = max(longest, line.count)
        }, onOverlongLine: { _, _ in hashes.append(0) })
        return Outcome(result: result, lineHashes: hashes, longest: longest)
    }
}
