/// Reads lines with one compiled format. It owns a scratch buffer for
/// unescaped values, so keep one per thread and reuse it for every line.
package struct LineParser {
    let program: LogFormat.CompiledProgram
    private var scratch: [UInt8] = []
    private var timeCache = TimeCache()
    package private(set) var lastLineHadTrailingText = false

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
        var trailing = false
        let failure = scratch.withUnsafeMutableBufferPointer { scratch -> ParseFailure? in
            line.withBuffer { bytes -> ParseFailure? in
                switch program {
                case .fields(let p): p.run(bytes, scratch: scratch, trailing: &trailing, timeCache: &self.timeCache, body)
                case .json(let j): JSONLineScanner.run(bytes, program: j, scratch: scratch, body)
                }
            }
        }
        lastLineHadTrailingText = failure == nil && trailing
        return failure
    }
}
