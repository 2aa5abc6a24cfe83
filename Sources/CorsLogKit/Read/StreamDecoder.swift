/// Turns one input (plain or gzip) into decoded bytes, block after block: the
/// part of `LineReader` that can run on a thread of its own.
///
/// gzip is recognised by its magic bytes; concatenated members are decoded one
/// after the other; between members only another member's magic or all-zero
/// padding to the end is accepted.
final class StreamDecoder: @unchecked Sendable {
    // @unchecked Sendable, safe because: the decoder is used by one thread at a time —
    // the decode thread from `runAndClose` until `LineReader.run` joins it, and only
    // then does the reading thread look at `outcome`.

    struct Outcome {
        var compressed = false
        var members = 0
        /// Decoded bytes (gzip).
        var decoded: UInt64 = 0
        var inputBytes: UInt64 = 0
        var failure: (kind: InputError.Kind, offset: UInt64)? = nil
        var backend: InflateBackend? = nil
    }

    private let input: InputBuffer
    private let seeked: Bool
    private let choice: InflateChoice
    private(set) var outcome = Outcome()

    init(input: InputBuffer, seeked: Bool, inflate: InflateChoice, blockSize: Int) {
        self.input = input
        self.seeked = seeked
        self.choice = inflate
    }

    /// Decodes everything into the ring's blocks, then closes it (always, so the reader never waits forever).
    func runAndClose(into ring: BlockRing) {
        var current = ring.emptyBlock()
        let filled = decode(into: ring.buffer(current)) { filled in
            ring.publish(current, count: filled)
            current = ring.emptyBlock()
            return ring.buffer(current)
        }
        outcome = filled.outcome
        ring.publish(current, count: filled.lastBlockCount)
        ring.close()
    }

    /// Decodes into `first`; `emit(count)` is called with each full block and returns the block to fill next.
    /// Returns what happened and how many bytes the last block holds (not yet emitted).
    func decode(into first: UnsafeMutableBufferPointer<UInt8>,
                emit: (Int) -> UnsafeMutableBufferPointer<UInt8>) -> (outcome: Outcome, lastBlockCount: Int) {
        // Output keeps emit only while this call runs.
        withoutActuallyEscaping(emit) { emit in decode(Output(block: first, emit: emit)) }
    }

    private func decode(_ output: Output) -> (outcome: Outcome, lastBlockCount: Int) {
        var out = output
        var result = Outcome()
        // Magic detection needs the first two bytes (a read may return fewer).
        while input.available < 2 && !input.atEnd {
            if case .failed(let code) = input.refill() {
                result.failure = (.readFailed(errno: code), input.bytesRead)
                break
            }
        }
        if result.failure == nil {
            result.compressed = input.available >= 2 && input.peek(0) == 0x1f && input.peek(1) == 0x8b && !seeked
            if result.compressed {
                result.failure = inflateAll(&out, &result)
            } else {
                result.failure = copyPlain(&out)
            }
        }
        result.inputBytes = input.bytesRead
        return (result, out.filled)
    }

    /// The block being filled.
    private struct Output {
        var block: UnsafeMutableBufferPointer<UInt8>
        var filled = 0
        let emit: (Int) -> UnsafeMutableBufferPointer<UInt8>

        init(block: UnsafeMutableBufferPointer<UInt8>, emit: @escaping (Int) -> UnsafeMutableBufferPointer<UInt8>) {
            self.block = block
            self.emit = emit
        }

        /// The free part of the block.
        var space: UnsafeMutableBufferPointer<UInt8> { UnsafeMutableBufferPointer(rebasing: block[filled...]) }

        mutating func advance(_ n: Int) {
            filled += n
            if filled == block.count {
                block = emit(filled)
                filled = 0
            }
        }
    }

    /// Plain input: the bytes read for the magic, then reads straight into the blocks.
    private func copyPlain(_ out: inout Output) -> (kind: InputError.Kind, offset: UInt64)? {
        while input.available > 0 {
            let n = min(input.available, out.space.count)
            input.withAvailable { bytes in
                // safe because: n bytes are available and n fit in the free space.
                UnsafeMutableRawPointer(out.space.baseAddress!).copyMemory(from: bytes.baseAddress!, byteCount: n)
            }
            input.consume(n)
            out.advance(n)
        }
        while true {
            switch input.readBypassing(into: out.space) {
            case .bytes(let n): out.advance(n)
            case .endOfInput: return nil
            case .failed(let code): return (.readFailed(errno: code), input.bytesRead)
            }
        }
    }

    /// gzip input: inflate member after member.
    private func inflateAll(_ out: inout Output, _ result: inout Outcome) -> (kind: InputError.Kind, offset: UInt64)? {
        guard let inflater = choice.makeInflater() else {
            return (.corruptGzip(detail: "the inflater could not start (out of memory)"), 0)
        }
        result.backend = inflater.backend
        var inMember = true
        // The inflater may hold decoded bytes back when the output block fills; call it
        // again before asking for more input (or calling a short input truncated).
        var outputWasFull = false
        var memberStart: UInt64 = 0

        while true {
            if inMember {
                if input.available == 0 && !outputWasFull {
                    switch input.refill() {
                    case .bytes: break
                    case .endOfInput: return (.truncatedGzip, input.bytesRead)
                    case .failed(let code): return (.readFailed(errno: code), input.bytesRead)
                    }
                }
                let space = out.space
                let step = input.withAvailable { bytes in inflater.inflate(bytes, into: space) }
                input.consume(step.consumed)
                result.decoded += UInt64(step.produced)
                outputWasFull = step.produced == space.count
                out.advance(step.produced)
                switch step.status {
                case .ok:
                    continue
                case .memberEnd:
                    result.members += 1
                    inMember = false
                case .needsInput:
                    // No progress possible: it needs more input. With input
                    // still pending that would loop forever, so call it corrupt.
                    if input.available > 0 && step.consumed == 0 && step.produced == 0 {
                        return (.corruptGzip(detail: "zlib made no progress"), input.consumedOffset)
                    }
                case .corrupt(let detail):
                    if inflater.backend != .zlib, let zlib = zlibVerdict(memberStart: memberStart) {
                        return (.corruptGzip(detail: zlib.detail), zlib.offset)
                    }
                    return (.corruptGzip(detail: detail), input.consumedOffset)
                }
            } else {
                // Between members: need two bytes to see the magic.
                while input.available < 2 && !input.atEnd {
                    if case .failed(let code) = input.refill() {
                        return (.readFailed(errno: code), input.bytesRead)
                    }
                }
                if input.available == 0 { return nil }
                let first = input.peek(0)
                if first == 0 {
                    return skipZeroPadding()
                } else if input.available >= 2 && first == 0x1f && input.peek(1) == 0x8b {
                    inflater.reset()
                    memberStart = input.consumedOffset
                    inMember = true
                    outputWasFull = false
                } else if input.available == 1 && first == 0x1f {
                    // One byte of a next member's magic, then the end.
                    return (.truncatedGzip, input.bytesRead)
                } else {
                    return (.trailingGarbage, input.consumedOffset)
                }
            }
        }
    }

    /// ISA-L reads a header or trailer field whole before checking it, so it stops a
    /// few bytes later than zlib: the damaged member is decoded again with zlib
    /// (output dropped) for zlib's error and offset, so both backends report the same.
    /// nil when the source cannot be reread (a pipe) or zlib finds nothing wrong.
    private func zlibVerdict(memberStart: UInt64) -> (detail: String, offset: UInt64)? {
        guard let zlib = GzipInflater() else { return nil }
        let chunk = 1 << 16
        let inBuffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: chunk)
        let outBuffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: chunk)
        defer { inBuffer.deallocate(); outBuffer.deallocate() }
        var offset = memberStart
        while true {
            guard let n = input.read(at: offset, into: UnsafeMutableRawBufferPointer(inBuffer)), n > 0 else { return nil }
            var used = 0
            while true {
                let step = zlib.inflate(UnsafeBufferPointer(rebasing: inBuffer[used..<n]), into: outBuffer)
                used += step.consumed
                switch step.status {
                case .corrupt(let detail): return (detail, offset + UInt64(used))
                case .memberEnd: return nil
                case .needsInput where step.consumed == 0 && step.produced == 0: return nil
                default: break
                }
                if used == n && step.produced < outBuffer.count { break }
            }
            offset += UInt64(n)
        }
    }

    /// Consumes zero bytes to the end of input; any other byte is garbage.
    private func skipZeroPadding() -> (kind: InputError.Kind, offset: UInt64)? {
        while true {
            let nonZero = input.withAvailable { bytes in bytes.firstIndex { $0 != 0 } }
            if let nonZero {
                input.consume(nonZero)
                return (.trailingGarbage, input.consumedOffset)
            }
            input.consume(input.available)
            switch input.refill() {
            case .bytes: continue
            case .endOfInput: return nil
            case .failed(let code): return (.readFailed(errno: code), input.bytesRead)
            }
        }
    }
}
