import CZlib

/// Owns one zlib inflate stream.
///
/// The `z_stream` lives in its own allocation because zlib remembers its
/// address (`inflateStateCheck` compares `state->strm` with the pointer it is
/// given), so it must never move. `deinit` calls `inflateEnd`.
final class GzipInflater: Inflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private var initialised = false
    var backend: InflateBackend { .zlib }

    /// gzip only (no zlib or raw deflate): windowBits 15 + 16.
    private static let gzipWindowBits: Int32 = 15 + 16

    /// Returns nil when zlib cannot set up a stream (out of memory).
    init?() {
        self.stream = .allocate(capacity: 1)
        self.stream.initialize(to: z_stream())
        // safe because: stream points to a zeroed z_stream (zalloc/zfree/opaque
        // Z_NULL select zlib's allocator) that stays at this address until deinit.
        guard CZlib_inflateInit2(stream, Self.gzipWindowBits) == Z_OK else { return nil }
        initialised = true
    }

    deinit {
        if initialised { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    func reset() {
        inflateReset(stream)
    }

    /// zlib's message for the last error, if any.
    private var message: String {
        guard let text = stream.pointee.msg else { return "" }
        // safe because: msg is a NUL-terminated static string inside zlib.
        return String(cString: text)
    }

    func inflate(_ input: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>) -> InflateStep {
        let inputCount = min(input.count, Int(UInt32.max))
        let outputCount = min(output.count, Int(UInt32.max))
        // safe because: zlib only reads next_in (the non-const type is zlib's
        // API without z_const) and input stays valid for this call; next_out
        // points to outputCount writable bytes the caller lends for this call.
        // Neither pointer is used by zlib after this call returns: both are reset.
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        stream.pointee.avail_in = UInt32(inputCount)
        stream.pointee.next_out = output.baseAddress
        stream.pointee.avail_out = UInt32(outputCount)
        let status = CZlib.inflate(stream, Z_NO_FLUSH)
        let consumed = inputCount - Int(stream.pointee.avail_in)
        let produced = outputCount - Int(stream.pointee.avail_out)
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        stream.pointee.next_out = nil
        stream.pointee.avail_out = 0
        let outcome: InflateStep.Status
        switch status {
        case Z_OK: outcome = .ok
        case Z_STREAM_END: outcome = .memberEnd
        case Z_BUF_ERROR: outcome = .needsInput
        case Z_NEED_DICT: outcome = .corrupt("stream needs a preset dictionary")
        case Z_MEM_ERROR: outcome = .corrupt("zlib ran out of memory")
        default:
            let detail = message
            outcome = .corrupt(detail.isEmpty ? "zlib error \(status)" : detail)
        }
        return InflateStep(consumed: consumed, produced: produced, status: outcome)
    }
}
