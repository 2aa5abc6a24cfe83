#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

#if canImport(Glibc)
private let systemRead = Glibc.read
#elseif canImport(Musl)
private let systemRead = Musl.read
#endif

/// Where raw input bytes come from: an open file descriptor (file or standard
/// input), bytes already in memory (tests, a replayed head), or bytes read ahead from a
/// descriptor followed by the descriptor's rest (`StandardInput`).
enum ByteSource {
    case descriptor(Int32)
    case memory([UInt8], position: Int)
    case peeked([UInt8], position: Int, Int32)

    /// Outcome of one read.
    enum ReadOutcome: Equatable {
        case bytes(Int)
        case endOfInput
        case failed(errno: Int32)
    }

    /// Reads at `offset` without moving the position (`pread(2)`); nil when the
    /// source cannot (a pipe).
    func read(at offset: UInt64, into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        switch self {
        case .descriptor(let fd):
            while true {
                // safe because: buffer is a live, writable region of buffer.count bytes.
                let n = pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
                if n >= 0 { return n }
                if errno == EINTR { continue }
                return nil
            }
        case .peeked(_, _, let fd):
            // The bytes read ahead are the descriptor's first ones: a file still has them at offset 0.
            return ByteSource.descriptor(fd).read(at: offset, into: buffer)
        case .memory(let bytes, _):
            guard offset < UInt64(bytes.count) else { return 0 }
            let n = min(buffer.count, bytes.count - Int(offset))
            bytes.withUnsafeBytes { source in
                // safe because: offset + n <= bytes.count and n <= buffer.count.
                buffer.baseAddress.unsafelyUnwrapped.copyMemory(from: source.baseAddress.unsafelyUnwrapped + Int(offset), byteCount: n)
            }
            return n
        }
    }

    /// Reads at most `buffer.count` bytes into `buffer` (one `read(2)` for a descriptor).
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> ReadOutcome {
        guard buffer.count > 0 else { return .bytes(0) }
        switch self {
        case .descriptor(let fd):
            while true {
                // safe because: buffer is a live, writable region of buffer.count bytes.
                let n = systemRead(fd, buffer.baseAddress, buffer.count)
                if n > 0 { return .bytes(n) }
                if n == 0 { return .endOfInput }
                let code = errno
                if code == EINTR { continue }
                return .failed(errno: code)
            }
        case .memory(let bytes, let position):
            let n = min(buffer.count, bytes.count - position)
            guard n > 0 else { return .endOfInput }
            bytes.withUnsafeBytes { source in
                // safe because: position + n <= bytes.count and n <= buffer.count.
                buffer.baseAddress.unsafelyUnwrapped.copyMemory(
                    from: source.baseAddress.unsafelyUnwrapped + position, byteCount: n)
            }
            self = .memory(bytes, position: position + n)
            return .bytes(n)
        case .peeked(let head, let position, let fd):
            let n = min(buffer.count, head.count - position)
            head.withUnsafeBytes { source in
                // safe because: position + n <= head.count and n <= buffer.count.
                buffer.baseAddress.unsafelyUnwrapped.copyMemory(
                    from: source.baseAddress.unsafelyUnwrapped + position, byteCount: n)
            }
            self = position + n < head.count ? .peeked(head, position: position + n, fd) : .descriptor(fd)
            return .bytes(n)
        }
    }
}
