/// The per-line JSON scanner: walks one line's JSON (RFC 8259: objects,
/// arrays, strings, numbers, `true` / `false` / `null`, nested) without building
/// anything, and notes where the values of the program's key paths lie. Only the
/// winning values are unescaped, into the scratch buffer, at the end.
struct JSONLineScanner {
    static let maxDepth = 64

    struct Slot {
        var start = 0
        var end = 0
        var priority: UInt8 = 255
        var isString = false
        var isSet = false
    }

    let line: UnsafeBufferPointer<UInt8>
    let program: JSONLineProgram
    let slots: UnsafeMutableBufferPointer<Slot>
    let scratch: UnsafeMutableBufferPointer<UInt8>
    var i = 0
    var failure: ParseFailure? = nil

    /// Parses `rawLine`; `scratch` must be at least as long as the line.
    static func run(
        _ rawLine: UnsafeBufferPointer<UInt8>,
        program: JSONLineProgram,
        scratch: UnsafeMutableBufferPointer<UInt8>,
        _ body: (borrowing ParsedFields) -> Void
    ) -> ParseFailure? {
        withUnsafeTemporaryAllocation(of: Slot.self, capacity: FieldTarget.allCases.count) { slots in
            // safe because: the temporary slots live for this closure only and are
            // initialised here before any read.
            _ = slots.initialize(from: repeatElement(Slot(), count: slots.count))
            var scanner = JSONLineScanner(line: rawLine, program: program, slots: slots, scratch: scratch)
            return scanner.scanLine(body)
        }
    }

    private mutating func fail(_ kind: ParseFailure.Kind, at offset: Int, field: Int = -1) -> Bool {
        if failure == nil { failure = ParseFailure(kind, field: field, offset: offset, context: program.context) }
        return false
    }

    private mutating func scanLine(_ body: (borrowing ParsedFields) -> Void) -> ParseFailure? {
        skipSpace()
        guard i < line.count, line[i] == UInt8(ascii: "{") else { return ParseFailure(.notJSONObject, offset: i) }
        guard object(0, 1) else { return failure }
        skipSpace()
        guard i == line.count else { return ParseFailure(.textAfterJSON, offset: i) }
        return emit(body)
    }

    @inline(__always)
    private mutating func skipSpace() {
        while i < line.count {
            switch line[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return
            }
        }
    }

    /// `i` at `"`: the content range, with `i` after the closing quote.
    @inline(__always)
    private mutating func string() -> Range<Int>? {
        let start = i + 1
        var p = start
        while let q = FieldSearch.index(of: UInt8(ascii: "\""), in: line, from: p, to: line.count) {
            if FieldSearch.evenBackslashRun(in: line, before: q, notBefore: start) {
                i = q + 1
                return start..<q
            }
            p = q + 1
        }
        _ = fail(.badJSON, at: line.count)
        return nil
    }

    /// `object = "{" ws [ string ws ":" value *( "," ws string ws ":" value ) ] "}"`.
    private mutating func object(_ node: Int32, _ depth: Int) -> Bool {
        guard depth <= JSONLineScanner.maxDepth else { return fail(.jsonTooDeep, at: i) }
        i += 1
        skipSpace()
        if i < line.count && line[i] == UInt8(ascii: "}") { i += 1; return true }
        while true {
            guard i < line.count, line[i] == UInt8(ascii: "\"") else { return fail(.badJSON, at: i) }
            guard let key = string() else { return false }
            var child: Int32 = -1
            if node >= 0 { child = lookup(node, key) }
            skipSpace()
            guard i < line.count, line[i] == UInt8(ascii: ":") else { return fail(.badJSON, at: i) }
            i += 1
            guard value(child, depth) else { return false }
            skipSpace()
            guard i < line.count else { return fail(.badJSON, at: i) }
            if line[i] == UInt8(ascii: ",") {
                i += 1
                skipSpace()
            } else if line[i] == UInt8(ascii: "}") {
                i += 1
                return true
            } else {
                return fail(.badJSON, at: i)
            }
        }
    }

    /// `array = "[" ws [ value *( "," value ) ] "]"`. When `node` reads a value,
    /// its first element is taken if it is a string (Caddy logs each header as an array).
    private mutating func array(_ node: Int32, _ depth: Int) -> Bool {
        guard depth <= JSONLineScanner.maxDepth else { return fail(.jsonTooDeep, at: i) }
        i += 1
        skipSpace()
        if i < line.count && line[i] == UInt8(ascii: "]") { i += 1; return true }
        var first = true
        while true {
            skipSpace()
            let takeThis = first && node >= 0 && i < line.count && line[i] == UInt8(ascii: "\"")
            guard value(takeThis ? node : -1, depth) else { return false }
            first = false
            skipSpace()
            guard i < line.count else { return fail(.badJSON, at: i) }
            if line[i] == UInt8(ascii: ",") {
                i += 1
            } else if line[i] == UInt8(ascii: "]") {
                i += 1
                return true
            } else {
                return fail(.badJSON, at: i)
            }
        }
    }

    private mutating func value(_ node: Int32, _ depth: Int) -> Bool {
        skipSpace()
        guard i < line.count else { return fail(.badJSON, at: i) }
        let c = line[i]
        switch c {
        case UInt8(ascii: "{"):
            return object(node, depth + 1)
        case UInt8(ascii: "["):
            return array(node, depth + 1)
        case UInt8(ascii: "\""):
            guard let r = string() else { return false }
            if node >= 0 { record(node, r, isString: true) }
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = i
            while i < line.count && JSONLineScanner.isNumberByte(line[i]) { i += 1 }
            if node >= 0 { record(node, start..<i, isString: false) }
            return true
        case UInt8(ascii: "t"): return word("true")
        case UInt8(ascii: "f"): return word("false")
        case UInt8(ascii: "n"): return word("null")
        default:
            return fail(.badJSON, at: i)
        }
    }

    @inline(__always)
    static func isNumberByte(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
             UInt8(ascii: "e"), UInt8(ascii: "E"):
            true
        default:
            false
        }
    }

    private mutating func word(_ w: StaticString) -> Bool {
        let n = w.utf8CodeUnitCount
        guard i + n <= line.count else { return fail(.badJSON, at: i) }
        for k in 0..<n where line[i + k] != w.utf8Start[k] { return fail(.badJSON, at: i + k) }
        i += n
        return true
    }

    private func lookup(_ node: Int32, _ key: Range<Int>) -> Int32 {
        var raw = UnsafeBufferPointer(rebasing: line[key])
        if FieldSearch.index(of: UInt8(ascii: "\\"), in: line, from: key.lowerBound, to: key.upperBound) != nil,
           let base = scratch.baseAddress {
            // safe because: scratch is at least as long as the line; keys are looked up
            // before any value is unescaped, so this region is free.
            let n = LogUnescape.json(raw, into: base)
            raw = UnsafeBufferPointer(start: base, count: n)
        }
        return program.lookup(node, key: raw, hash: JSONLineProgram.hash(raw))
    }

    private func record(_ node: Int32, _ range: Range<Int>, isString: Bool) {
        for b in program.bindingRange(of: node) {
            let binding = program.bindings[b]
            let t = Int(binding.target.rawValue)
            if binding.priority < slots[t].priority {
                slots[t] = Slot(start: range.lowerBound, end: range.upperBound, priority: binding.priority, isString: isString, isSet: true)
            }
        }
    }

    /// Unescapes the winners, applies the field rules, and calls `body`.
    private func emit(_ body: (borrowing ParsedFields) -> Void) -> ParseFailure? {
        guard let scratchBase = scratch.baseAddress else { return ParseFailure(.emptyLine, offset: 0) }
        var used = 0
        var fields = ParsedFields()
        var request: UnsafeBufferPointer<UInt8>? = nil
        for target in FieldTarget.allCases where target != .skip {
            let slot = slots[Int(target.rawValue)]
            guard slot.isSet else { continue }
            var v = UnsafeBufferPointer(rebasing: line[slot.start..<slot.end])
            if v.count == 1 && v[0] == UInt8(ascii: "-") {
                v = UnsafeBufferPointer(start: nil, count: 0)
            } else if slot.isString,
                      FieldSearch.index(of: UInt8(ascii: "\\"), in: line, from: slot.start, to: slot.end) != nil {
                // safe because: scratch holds at least line.count bytes and the
                // unescaped values together are never longer than the line.
                let n = LogUnescape.json(v, into: scratchBase + used)
                v = UnsafeBufferPointer(start: scratchBase + used, count: n)
                used += n
            }
            switch target {
            case .skip: break
            case .client: fields.clientAddress = ByteSlice(v)
            case .time:
                if v.count > 0 {
                    guard let t = slot.isString ? LogTime.parseAny(v) : LogTime.parseEpochNumber(v) else {
                        return ParseFailure(.badTime, field: Int(target.rawValue), offset: slot.start, context: program.context)
                    }
                    fields.time = t
                }
            case .request: request = v
            case .method: fields.method = RequestLine.isToken(v) ? ByteSlice(v) : .empty
            case .uri: fields.uri = ByteSlice(v)
            case .status: fields.status = RequestLine.status(v)
            case .origin: fields.origin = ByteSlice(v)
            case .referer: fields.referer = ByteSlice(v)
            case .userAgent: fields.userAgent = ByteSlice(v)
            case .requestMethodHeader: fields.requestMethodHeader = ByteSlice(v)
            case .requestHeadersHeader: fields.requestHeadersHeader = ByteSlice(v)
            case .allowOrigin: fields.allowOrigin = ByteSlice(v)
            case .allowCredentials: fields.allowCredentials = ByteSlice(v)
            case .host: fields.host = ByteSlice(v)
            }
        }
        if let request {
            let (m, u) = RequestLine.split(request)
            if !slots[Int(FieldTarget.method.rawValue)].isSet { fields.method = ByteSlice(UnsafeBufferPointer(rebasing: request[m])) }
            if !slots[Int(FieldTarget.uri.rawValue)].isSet { fields.uri = ByteSlice(UnsafeBufferPointer(rebasing: request[u])) }
        }
        body(fields)
        return nil
    }
}
