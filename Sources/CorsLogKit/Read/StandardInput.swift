#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// Standard input, whose first bytes can be looked at before it is read.
///
/// How a file is read depends on whether it is gzip (zlib's inflate gets a thread of its
/// own, see `Analyzer`); a file is asked with `pread`, but a pipe cannot be read twice. So
/// the first two bytes of standard input are read ahead once, the first time anyone asks,
/// and handed back to the read of `-` in front of the rest: the reader sees every byte, in
/// order, exactly once.
enum StandardInput {
    /// The bytes read ahead and not yet handed back (nil: nothing read ahead).
    private static let state = Mutex<[UInt8]?>(nil)

    /// Whether standard input starts with gzip's magic bytes `1f 8b` (reads ahead up to two
    /// bytes the first time: this waits for them, or for the end of the input).
    static func startsWithGzipMagic() -> Bool {
        let head = state.withLock { peeked -> [UInt8] in
            if peeked == nil { peeked = PeekedDescriptor.readAhead(STDIN_FILENO, count: 2) }
            return peeked!
        }
        return head.count == 2 && head[0] == 0x1f && head[1] == 0x8b
    }

    /// Standard input as a byte source: the bytes read ahead (once), then the descriptor.
    static func source() -> ByteSource {
        let head = state.withLock { peeked -> [UInt8] in
            defer { peeked = [] }
            return peeked ?? []
        }
        return head.isEmpty ? .descriptor(STDIN_FILENO) : .peeked(head, position: 0, STDIN_FILENO)
    }
}

/// Reading ahead on a descriptor (`StandardInput`; tests use it on a pipe of their own).
enum PeekedDescriptor {
    /// Up to `count` bytes from `fd`: fewer only at the end of the input or on an error
    /// (which the real read then meets again and reports).
    static func readAhead(_ fd: Int32, count: Int) -> [UInt8] {
        var head = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            // safe because: got < count, the read writes at most count - got bytes at head[got...].
            let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, count - got) }
            if n > 0 { got += n; continue }
            if n < 0 && errno == EINTR { continue }
            break
        }
        return Array(head.prefix(got))
    }
}
