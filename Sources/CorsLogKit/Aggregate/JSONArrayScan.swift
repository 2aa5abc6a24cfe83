/// Finds, in a JSON document fed in pieces, the elements of the one array at a key path —
/// their byte ranges in the document — and keeps the rest of the document with that array
/// emptied: what `JSONPieces.split` gives, without the whole document in memory (`merge`
/// reads a summary file this way, 1 MiB at a time, then each origin's entry on its own).
///
/// A structural scan only, as `JSONMembers`: the rest and every element are decoded by
/// `JSONDecoder` afterwards, which judges them. What it does not take plainly — a key with
/// an escape, the path twice, anything but objects in the array — makes it fail, and the
/// caller reads the document whole, whose decoder then says what is wrong.
struct JSONArrayScan {
    private let path: [[UInt8]]
    private enum Container {
        /// `key`: the member being read (nil before its key has been read).
        case object(key: [UInt8]?)
        case array
    }
    private var stack: [Container] = []
    /// The keys that lead to the container at each depth (objects' current keys).
    private var inString = false
    private var escaped = false
    /// The key being read, when the string is a key.
    private var key: [UInt8]? = nil
    private var offset = 0
    /// Depth of the array at `path` while it is open.
    private var targetDepth: Int? = nil
    private var elementStart: Int? = nil
    private var found = false
    private(set) var failed = false
    /// The elements' ranges in the document.
    private(set) var elements: [Range<Int>] = []
    /// The document without the array's elements.
    private(set) var rest: [UInt8] = []

    init(path: [String]) {
        self.path = path.map { Array($0.utf8) }
    }

    /// True once the document has been fed whole and the array was found once.
    var succeeded: Bool { !failed && found && stack.isEmpty && !inString }

    mutating func feed(_ bytes: some Collection<UInt8>) {
        guard !failed else { return }
        for b in bytes {
            scan(b)
            if failed { return }
            offset += 1
        }
    }

    private var insideTarget: Bool { targetDepth.map { stack.count >= $0 } ?? false }

    private mutating func scan(_ b: UInt8) {
        let keep = !insideTarget || (stack.count == targetDepth! && b == UInt8(ascii: "]"))
        defer { if keep { rest.append(b) } }
        if inString {
            if escaped {
                escaped = false
            } else if b == UInt8(ascii: "\\") {
                escaped = true
                if key != nil { failed = true }   // an escaped key: not plainly ours
            } else if b == UInt8(ascii: "\"") {
                inString = false
                if let k = key, case .object = stack.last {
                    stack[stack.count - 1] = .object(key: k)
                    key = nil
                }
            } else if key != nil {
                key!.append(b)
            }
            return
        }
        switch b {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: ":"):
            return
        case UInt8(ascii: "\""):
            inString = true
            if case .object(let k) = stack.last, k == nil { key = [] }   // a member's key
            else if stack.count == targetDepth { failed = true }         // a string element
        case UInt8(ascii: ","):
            if case .object = stack.last { stack[stack.count - 1] = .object(key: nil) }
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            if stack.count == targetDepth {
                guard b == UInt8(ascii: "{") else { failed = true; return }
                elementStart = offset
            }
            let isTarget = b == UInt8(ascii: "[") && targetDepth == nil && leadsToTarget()
            stack.append(b == UInt8(ascii: "{") ? .object(key: nil) : .array)
            if isTarget {
                guard !found else { failed = true; return }   // the path twice
                found = true
                targetDepth = stack.count
            }
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            guard !stack.isEmpty else { failed = true; return }
            if stack.count == targetDepth {
                targetDepth = nil   // the array closes
            }
            stack.removeLast()
            if stack.count == targetDepth, let start = elementStart {
                elements.append(start..<(offset + 1))
                elementStart = nil
            }
        default:
            if stack.count == targetDepth { failed = true }   // a number, true, false or null element
        }
    }

    /// Whether an array opened now is the value at `path`: the objects on the stack are
    /// reading exactly the path's keys.
    private func leadsToTarget() -> Bool {
        guard stack.count == path.count else { return false }
        for (container, key) in zip(stack, path) {
            guard case .object(let k) = container, k == key else { return false }
        }
        return true
    }
}
