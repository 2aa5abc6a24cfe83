import CIsal

/// One ISA-L inflate stream (`isal_inflate` with gzip header and trailer checks),
/// the same contract as `GzipInflater`: corrupt data is reported with zlib's words.
///
/// The state (about 170 KB: Huffman tables and the history window) is one
/// allocation owned by this object; ISA-L keeps no pointer into it between calls
/// other than its own fields.
final class IsalInflater: Inflater {
    private let library: IsalLibrary
    private let state: UnsafeMutableRawPointer
    var backend: InflateBackend { .isal }

    /// nil when the library is not loaded.
    init?() {
        guard let library = IsalLibrary.shared else { return nil }
        self.library = library
        let size = CIsal_state_size()
        self.state = .allocate(byteCount: size, alignment: 16)
        // safe because: state is size bytes, the layout of struct inflate_state,
        // zeroed before isal_inflate_init initialises it.
        state.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        CIsal_start(library.initialise, state)
    }

    deinit { state.deallocate() }

    func reset() {
        CIsal_start(library.initialise, state)
    }

    func inflate(_ input: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>) -> InflateStep {
        let inputCount = UInt32(min(input.count, Int(UInt32.max)))
        let outputCount = UInt32(min(output.count, Int(UInt32.max)))
        var consumed: UInt32 = 0, produced: UInt32 = 0
        var finished: Int32 = 0
        // safe because: input and output are valid for this call only, and CIsal_run
        // clears next_in/next_out before returning, so ISA-L keeps neither.
        let status = CIsal_run(library.inflate, state, input.baseAddress, inputCount,
                               output.baseAddress, outputCount, &consumed, &produced, &finished)
        let outcome: InflateStep.Status
        switch status {
        case CISAL_DECOMP_OK, CISAL_END_INPUT, CISAL_OUT_OVERFLOW:
            if finished != 0 {
                outcome = .memberEnd
            } else if consumed == 0 && produced == 0 && (input.count == 0 || output.count > 0) {
                outcome = .needsInput
            } else {
                outcome = .ok
            }
        case CISAL_NEED_DICT: outcome = .corrupt("stream needs a preset dictionary")
        case CISAL_INVALID_BLOCK: outcome = .corrupt("invalid block type")
        case CISAL_INVALID_SYMBOL: outcome = .corrupt("invalid code")
        case CISAL_INVALID_LOOKBACK: outcome = .corrupt("invalid distance too far back")
        case CISAL_INVALID_WRAPPER: outcome = .corrupt("incorrect header check")
        case CISAL_UNSUPPORTED_METHOD: outcome = .corrupt("unknown compression method")
        case CISAL_INCORRECT_CHECKSUM: outcome = .corrupt("incorrect data check")
        default: outcome = .corrupt("ISA-L error \(status)")
        }
        return InflateStep(consumed: Int(consumed), produced: Int(produced), status: outcome)
    }
}
