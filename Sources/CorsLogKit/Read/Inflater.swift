/// One streaming gzip inflater (zlib or ISA-L): the decoder calls it with the
/// input it has and the free part of its output block.
protocol Inflater: AnyObject {
    var backend: InflateBackend { get }
    /// Inflates once from `input` into `output`.
    func inflate(_ input: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>) -> InflateStep
    /// Starts the next gzip member (after `.memberEnd`).
    func reset()
}

/// One inflate call's outcome.
struct InflateStep {
    enum Status: Equatable {
        /// Progress made; call again.
        case ok
        /// The gzip member ended (trailer checked).
        case memberEnd
        /// No progress possible without more input.
        case needsInput
        /// The data is corrupt (zlib's wording for the reason).
        case corrupt(String)
    }
    var consumed: Int
    var produced: Int
    var status: Status
}
