/// Reads lines with one compiled format. It owns a scratch buffer for
/// unescaped values, so keep one per thread and reuse it for every line.
package struct LineParser {
    let program: LogFormat.CompiledProgram
    private var scratch: [UInt8] = []
    private var timeCache = TimeCache()
    /// After `parse`: where the text left after the format starts in the line (0: none).
    package private(set) var lastLineTrailingStart = 0
    package var lastLineHadTrailingText: Bool { lastLineTrailingStart > 0 }

    init(program: LogFormat.CompiledProgram) {
        self.program = program
    }

    /// Parses one line (no terminator; one trailing `\r` is ignored). On success calls
    /// `body` once with the fields (valid only during the call) and returns nil;
    /// otherwise returns why the line does not fit the format.
    package mutating func parse(_ line: ByteSlice, _ body: (borrowing ParsedFields) -> Void) -> ParseFailure? {
        if scratch.count < line.count {
            scratch = [UInt8](repeating: 0, count: Swift.max(line.count, scratch.count * 2, 1024))
        }
        let program = self.program
        var trailing = 0
        let failure = scratch.withUnsafeMutableBufferPointer { scratch -> ParseFailure? in
            line.withBuffer { bytes -> ParseFailure? in
                switch program {
                case .fields(let p): p.run(bytes, scratch: scratch, trailing: &trailing, timeCache: &self.timeCache, body)
                case .json(let j): JSONLineScanner.run(bytes, program: j, scratch: scratch, body)
                }
            }
        }
        lastLineTrailingStart = failure == nil ? trailing : 0
        return failure
    }

    /// Parses lines `0..<count` (`line(i)`, none longer than `maxLength`) as `parse` does,
    /// calling `parsed(i, fields)` or `failed(i, why)` for each, and `trailing(i)` after
    /// `parsed` when text was left after the format (`lastLineHadTrailingText`); the
    /// compiled tables and the scratch buffer are held once for all of them.
    mutating func parseEach(count: Int, maxLength: Int, line: (Int) -> ByteSlice,
                            parsed: (Int, borrowing ParsedFields) -> Void, failed: (Int, ParseFailure) -> Void,
                            trailing onTrailing: (Int) -> Void = { _ in }) {
        guard case .fields(let p) = program else {
            for i in 0..<count {
                if let failure = parse(line(i), { parsed(i, $0) }) { failed(i, failure) }
            }
            return
        }
        if scratch.count < maxLength {
            scratch = [UInt8](repeating: 0, count: Swift.max(maxLength, scratch.count * 2, 1024))
        }
        var timeCache = self.timeCache
        var trailing = 0
        p.withTables { tables in
            scratch.withUnsafeMutableBufferPointer { scratch in
                for i in 0..<count {
                    let failure = line(i).withBuffer { bytes in
                        p.run(bytes, tables: tables, scratch: scratch, trailing: &trailing, timeCache: &timeCache) { parsed(i, $0) }
                    }
                    if let failure {
                        failed(i, failure)
                    } else if trailing > 0 {
                        trailing = 0
                        onTrailing(i)
                    }
                }
            }
        }
        self.timeCache = timeCache
        lastLineTrailingStart = 0
    }
}
