#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CZlib

/// What tells one log file's data from another's across runs, whatever its name:
/// the file system's identity (device, inode, size, modification time) and the
/// first decoded bytes (at most `LineReader.headBytes`). logrotate renames
/// `access.log` to `access.log.1` (same inode) and later compresses it to
/// `access.log.2.gz` (new inode, same decoded head): both are recognised as data
/// already read, so a run reads only what is new.
package struct FileIdentity: Sendable, Equatable {
    package var device: UInt64
    package var inode: UInt64
    /// Bytes on disk (compressed size for gzip).
    package var size: UInt64
    /// Seconds since 1970 of the last modification.
    package var modified: Int64
    package var compressed: Bool
    /// The first decoded bytes (at most `LineReader.headBytes`).
    package var head: [UInt8]

    /// Reads the identity of the file at `path`; nil when it cannot be opened
    /// (the read that follows reports why). Standard input has none.
    package static func of(path: String) -> FileIdentity? {
        guard path != "-" else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        let reader = LineReader(maxLineBytes: 1, blockSize: 64 << 10)
        let head = reader.decodedHead(fd: fd)
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: UInt64(info.st_size),
                            modified: Int64(info.st_mtim.tv_sec), compressed: head.compressed, head: head.bytes)
    }

    /// FNV-1a of the first `length` head bytes.
    package func headHash(length: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in head.prefix(length) { h ^= UInt64(b); h &*= 0x0000_0100_0000_01b3 }
        return h
    }

    /// The same file system object, unchanged since `other` was taken.
    package func isUnchanged(since other: FileIdentity) -> Bool {
        device == other.device && inode == other.inode && size == other.size && modified == other.modified
    }
}

extension LineReader {
    /// The first `headBytes` decoded bytes of the open file (from offset 0,
    /// without moving its position), and whether it is gzip.
    func decodedHead(fd: Int32) -> (bytes: [UInt8], compressed: Bool) {
        var raw = [UInt8](repeating: 0, count: blockSize)
        let n = raw.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return ([], false) }
        raw.removeSubrange(n...)
        guard n >= 2, raw[0] == 0x1f, raw[1] == 0x8b else {
            return (Array(raw.prefix(Self.headBytes)), false)
        }
        // Inflate the first block only: a gzip header and 64 KiB of deflate data
        // decode to far more than headBytes for any log.
        var out = [UInt8](repeating: 0, count: Self.headBytes)
        var filled = 0
        guard let inflater = GzipInflater() else { return ([], true) }
        raw.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                var offset = 0
                while filled < output.count && offset < input.count {
                    let step = inflater.inflate(UnsafeBufferPointer(rebasing: input[offset...]),
                                                into: UnsafeMutableBufferPointer(rebasing: output[filled...]))
                    offset += step.consumed
                    filled += step.produced
                    if step.status != .ok || (step.consumed == 0 && step.produced == 0) { break }
                }
            }
        }
        out.removeSubrange(filled...)
        return (Array(out.prefix(Self.headBytes)), true)
    }
}
