/// The raw-input block: one fixed allocation that `read(2)` fills and the
/// line splitter (plain) or zlib (gzip) drains. Unconsumed bytes (at most a few,
/// when looking for the next gzip member's magic) are moved to the front
/// before the next read, so the buffer never grows.
final class InputBuffer {
    private var source: ByteSource
    /// Owned for the buffer's lifetime (freed in deinit); only lent out
    /// through `withAvailable` and to `ByteSource.read` for one call.
    private let storage: UnsafeMutableBufferPointer<UInt8>
    private(set) var start = 0
    private(set) var end = 0
    /// Bytes read from the source so far.
    private(set) var bytesRead: UInt64 = 0
    /// The source reported end of input; it is not asked again.
    private(set) var atEnd = false

    init(source: ByteSource, capacity: Int) {
        self.source = source
        self.storage = .allocate(capacity: max(capacity, 2))
    }

    deinit { storage.deallocate() }

    /// Bytes read but not yet consumed.
    var available: Int { end - start }

    /// Offset in the input of the first unconsumed byte.
    var consumedOffset: UInt64 { bytesRead - UInt64(available) }

    /// The unconsumed byte at `index` (0 = the next one).
    func peek(_ index: Int) -> UInt8 {
        precondition(index >= 0 && index < available, "InputBuffer.peek out of range")
        return storage[start + index]
    }

    /// Runs `body` over the unconsumed bytes.
    func withAvailable<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        // safe because: [start, end) lies inside the allocation and holds bytes
        // written by read; the pointer does not escape body, and the buffer is
        // not refilled while body runs.
        body(UnsafeBufferPointer(rebasing: storage[start..<end]))
    }

    func consume(_ count: Int) {
        precondition(count >= 0 && count <= available, "InputBuffer.consume out of range")
        start += count
        if start == end { start = 0; end = 0 }
    }

    /// Moves unconsumed bytes to the front and reads once into the free space.
    func refill() -> ByteSource.ReadOutcome {
        if atEnd { return .endOfInput }
        if start > 0 {
            let pending = available
            if pending > 0 {
                // safe because: both ranges lie inside the allocation, and raw
                // copyMemory allows overlapping ranges (memmove).
                UnsafeMutableRawPointer(storage.baseAddress.unsafelyUnwrapped).copyMemory(
                    from: storage.baseAddress.unsafelyUnwrapped + start, byteCount: pending)
            }
            start = 0
            end = pending
        }
        // safe because: [end, capacity) lies inside the allocation and the
        // source writes at most that many bytes during the call.
        let outcome = source.read(into: UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: storage[end...])))
        switch outcome {
        case .bytes(let n):
            end += n
            bytesRead += UInt64(n)
        case .endOfInput:
            atEnd = true
        case .failed:
            break
        }
        return outcome
    }

    /// Reads at `offset` of the source without moving it (nil: not seekable).
    func read(at offset: UInt64, into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        source.read(at: offset, into: buffer)
    }

    /// With nothing pending: reads once straight into `buffer` (plain input goes
    /// to the decoded block without a copy), counting the bytes as read.
    func readBypassing(into buffer: UnsafeMutableBufferPointer<UInt8>) -> ByteSource.ReadOutcome {
        precondition(available == 0, "InputBuffer.readBypassing with bytes pending")
        if atEnd { return .endOfInput }
        // safe because: buffer is writable for buffer.count bytes during the call.
        let outcome = source.read(into: UnsafeMutableRawBufferPointer(buffer))
        switch outcome {
        case .bytes(let n): bytesRead += UInt64(n)
        case .endOfInput: atEnd = true
        case .failed: break
        }
        return outcome
    }
}
