/// The members of a JSON object, found without decoding them: each key's raw bytes and
/// the byte range of its value, so that a large document can be decoded a member at a time
/// (`StateFile.decode`: `JSONDecoder` keeps a map of ≈ 9 bytes per byte of the whole
/// document, 75 MB for a state at the origin cap).
///
/// A structural scan only: strings (with their escapes) are skipped, brackets counted.
/// Anything it does not understand — a key with an escape, a value that does not end —
/// gives nil, and the caller decodes the whole document as before, whose decoder then
/// reports what is wrong.
///
///     object = ws "{" ws [ member *( ws "," ws member ) ] ws "}" ws
///     member = string ws ":" ws value
struct JSONMembers {
    struct Member {
        var key: [UInt8]
        var value: Range<Int>
    }

    private(set) var members: [Member] = []

    /// The members of the object filling `bytes[range]`, in order; nil if it is not one.
    init?(_ bytes: [UInt8], in range: Range<Int>) {
        var i = Self.skipSpace(bytes, range.lowerBound, range.upperBound)
        let end = range.upperBound
        guard i < end, bytes[i] == UInt8(ascii: "{") else { return nil }
        i = Self.skipSpace(bytes, i + 1, end)
        if i < end, bytes[i] == UInt8(ascii: "}") {
            guard Self.skipSpace(bytes, i + 1, end) == end else { return nil }
            return
        }
        while true {
            guard i < end, bytes[i] == UInt8(ascii: "\""), let keyEnd = Self.stringEnd(bytes, i, end) else { return nil }
            let key = Array(bytes[(i + 1)..<(keyEnd - 1)])
            if key.contains(UInt8(ascii: "\\")) { return nil }
            i = Self.skipSpace(bytes, keyEnd, end)
            guard i < end, bytes[i] == UInt8(ascii: ":") else { return nil }
            let start = Self.skipSpace(bytes, i + 1, end)
            guard let valueEnd = Self.valueEnd(bytes, start, end) else { return nil }
            members.append(Member(key: key, value: start..<valueEnd))
            i = Self.skipSpace(bytes, valueEnd, end)
            guard i < end else { return nil }
            if bytes[i] == UInt8(ascii: ",") {
                i = Self.skipSpace(bytes, i + 1, end)
                continue
            }
            guard bytes[i] == UInt8(ascii: "}"), Self.skipSpace(bytes, i + 1, end) == end else { return nil }
            return
        }
    }

    /// The keys, as text (they hold no escapes).
    var keys: [String] { members.map { String(decoding: $0.key, as: UTF8.self) } }

    /// The value of the member `key`, if it is there once.
    func value(_ key: String) -> Range<Int>? {
        let k = Array(key.utf8)
        let found = members.filter { $0.key == k }
        return found.count == 1 ? found[0].value : nil
    }

    /// The byte ranges of the elements of the array filling `bytes[range]`; nil if it is not one.
    ///
    ///     array = ws "[" ws [ value *( ws "," ws value ) ] ws "]" ws
    static func elements(_ bytes: [UInt8], in range: Range<Int>) -> [Range<Int>]? {
        let end = range.upperBound
        var i = skipSpace(bytes, range.lowerBound, end)
        guard i < end, bytes[i] == UInt8(ascii: "[") else { return nil }
        i = skipSpace(bytes, i + 1, end)
        var out: [Range<Int>] = []
        if i < end, bytes[i] == UInt8(ascii: "]") {
            return skipSpace(bytes, i + 1, end) == end ? out : nil
        }
        while true {
            guard let valueEnd = valueEnd(bytes, i, end) else { return nil }
            out.append(i..<valueEnd)
            i = skipSpace(bytes, valueEnd, end)
            guard i < end else { return nil }
            if bytes[i] == UInt8(ascii: ",") {
                i = skipSpace(bytes, i + 1, end)
                continue
            }
            guard bytes[i] == UInt8(ascii: "]"), skipSpace(bytes, i + 1, end) == end else { return nil }
            return out
        }
    }

    /// The range of the value reached by `path` (member keys, object within object) in the
    /// document `bytes`; nil if any step is missing, repeated or not plainly an object.
    static func value(at path: [String], in bytes: [UInt8]) -> Range<Int>? {
        var range = 0..<bytes.count
        for key in path {
            guard let object = JSONMembers(bytes, in: range), let next = object.value(key) else { return nil }
            range = next
        }
        return range
    }

    private static func skipSpace(_ b: [UInt8], _ from: Int, _ end: Int) -> Int {
        var i = from
        while i < end {
            switch b[i] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): i += 1
            default: return i
            }
        }
        return i
    }

    /// Just past the closing quote of the string opening at `at`.
    private static func stringEnd(_ b: [UInt8], _ at: Int, _ end: Int) -> Int? {
        var i = at + 1
        while i < end {
            switch b[i] {
            case UInt8(ascii: "\\"): i += 2
            case UInt8(ascii: "\""): return i + 1
            default: i += 1
            }
        }
        return nil
    }

    /// Just past the value starting at `at`: an object or array to its matching bracket,
    /// a string to its quote, anything else up to the next `,` `}` `]` or space.
    private static func valueEnd(_ b: [UInt8], _ at: Int, _ end: Int) -> Int? {
        guard at < end else { return nil }
        switch b[at] {
        case UInt8(ascii: "\""):
            return stringEnd(b, at, end)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var i = at
            while i < end {
                switch b[i] {
                case UInt8(ascii: "\""):
                    guard let e = stringEnd(b, i, end) else { return nil }
                    i = e
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return i + 1 }
                default:
                    break
                }
                i += 1
            }
            return nil
        default:
            var i = at
            while i < end {
                switch b[i] {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"),
                     UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                    return i > at ? i : nil
                default:
                    i += 1
                }
            }
            return i > at ? i : nil
        }
    }
}
