import CZlib

/// Owns one zlib inflate stream and its output block.
///
/// The `z_stream` lives in its own allocation because zlib remembers its
/// address (`inflateStateCheck` compares `state->strm` with the pointer it is
/// given), so it must never move. `deinit` calls `inflateEnd`.
final class GzipInflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutablePointer<UInt8>
    let outputCapacity: Int
    private var initialised = false

    /// One `inflate` call's outcome.
    struct Step {
        var consumed: Int
        var produced: Int
        /// zlib's return code: Z_OK, Z_STREAM_END, Z_BUF_ERROR, Z_DATA_ERROR, ...
        var status: Int32
    }

    /// gzip only (no zlib or raw deflate): windowBits 15 + 16.
    private static let gzipWindowBits: Int32 = 15 + 16

    /// Returns nil when zlib cannot set up a stream (out of memory).
    init?(outputCapacity: Int) {
        self.outputCapacity = max(outputCapacity, 1)
        self.stream = .allocate(capacity: 1)
        self.stream.initialize(to: z_stream())
        self.output = .allocate(capacity: self.outputCapacity)
        // safe because: stream points to a zeroed z_stream (zalloc/zfree/opaque
        // Z_NULL select zlib's allocator) that stays at this address until deinit.
        guard CZlib_inflateInit2(stream, Self.gzipWindowBits) == Z_OK else { return nil }
        initialised = true
    }

    deinit {
        if initialised { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    /// Starts the next gzip member (after `Z_STREAM_END`).
    func reset() {
        inflateReset(stream)
    }

    /// zlib's message for the last error, if any.
    var message: String {
        guard let text = stream.pointee.msg else { return "" }
        // safe because: msg is a NUL-terminated static string inside zlib.
        return String(cString: text)
    }

    /// Inflates from `input` into the output block once and hands what came
    /// out (possibly nothing) to `deliver`, also when zlib reports an error, so
    /// every byte decoded before a break reaches the caller.
    func inflate(_ input: UnsafeBufferPointer<UInt8>, deliver: (UnsafeBufferPointer<UInt8>) -> Void) -> Step {
        let inputCount = min(input.count, Int(UInt32.max))
        let outputCount = min(outputCapacity, Int(UInt32.max))
        // safe because: zlib only reads next_in (the non-const type is zlib's
        // API without z_const) and input stays valid for this call; next_out
        // points to outputCount writable bytes that we own. Neither pointer is
        // used by zlib after this call returns: the next call sets both again.
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        stream.pointee.avail_in = UInt32(inputCount)
        stream.pointee.next_out = output
        stream.pointee.avail_out = UInt32(outputCount)
        let status = CZlib.inflate(stream, Z_NO_FLUSH)
        let consumed = inputCount - Int(stream.pointee.avail_in)
        let produced = outputCount - Int(stream.pointee.avail_out)
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        if produced > 0 {
            // safe because: zlib wrote produced bytes at the start of output,
            // which is not touched again until the next inflate call.
            deliver(UnsafeBufferPointer(start: output, count: produced))
        }
        return Step(consumed: consumed, produced: produced, status: status)
    }
}
