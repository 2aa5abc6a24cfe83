/// The most frequent values (an origin's paths, the logged hosts) in bounded
/// memory: Space-Saving with a handful of counters, a value stored as text only
/// while it holds a slot.
///
/// The values come from the log, so they are shown in reports (escaped there)
/// and never reach generated configuration.
struct TopValues: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        var hash: UInt64
        var text: String
        var count: Int
    }
    static let capacity = 8
    static let maxTextBytes = 200
    private(set) var entries: [Entry] = []

    /// Counts one occurrence of `value`.
    mutating func add(_ value: ByteSlice) {
        add(hash: value.fnv1a, count: 1) { Self.displayText(value) }
    }

    mutating func add(hash: UInt64, count: Int, text: () -> String) {
        for i in entries.indices where entries[i].hash == hash {
            entries[i].count += count
            return
        }
        if entries.count < Self.capacity {
            entries.append(Entry(hash: hash, text: text(), count: count))
            return
        }
        var minIndex = 0
        for i in entries.indices where entries[i].count < entries[minIndex].count { minIndex = i }
        entries[minIndex] = Entry(hash: hash, text: text(), count: entries[minIndex].count + count)
    }

    mutating func merge(_ other: TopValues) {
        for e in other.entries { add(hash: e.hash, count: e.count) { e.text } }
    }

    /// Every occurrence counted (Space-Saving's counts sum to it: a replaced entry's count is inherited).
    var total: Int { entries.reduce(0) { $0 + $1.count } }

    /// Sorted by count (descending), then text.
    var sorted: [Entry] {
        entries.sorted { $0.count != $1.count ? $0.count > $1.count : $0.text < $1.text }
    }

    /// The value as printable text: at most `maxTextBytes` bytes, bytes outside
    /// printable ASCII shown as `\xHH`.
    static func displayText(_ bytes: ByteSlice) -> String {
        var out = ""
        let n = min(bytes.count, maxTextBytes)
        out.reserveCapacity(n)
        for i in 0..<n {
            let b = bytes[i]
            if b >= 0x20 && b < 0x7f && b != UInt8(ascii: "\\") {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                out += "\\x" + String(b, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        if bytes.count > maxTextBytes { out += "…" }
        return out
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
