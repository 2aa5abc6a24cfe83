#if canImport(Glibc)
import Glibc
#endif

/// Writes whole strings to the standard streams.
package enum FileOutput {
    package static func standardOutput(_ text: String) { write(text, to: 1) }
    package static func standardError(_ text: String) { write(text, to: 2) }

    private static func write(_ text: String, to fd: Int32) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                // safe because: the pointer stays inside `buffer`, valid for this closure.
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { return }
                offset += n
            }
        }
    }
}

/// The working directory, for making relative paths absolute.
package enum FileSystemPath {
    package static var current: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        // safe because: getcwd writes at most buffer.count bytes, NUL-terminated.
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
