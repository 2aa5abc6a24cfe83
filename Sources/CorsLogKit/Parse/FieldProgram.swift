/// A compiled nginx or Apache format: the literal the line starts with, then
/// per field the literal that ends it. Built once per format; `run` is the
/// per-line hot loop (no String, no regex, no allocation).
///
/// Extraction rule: a field ends where the whole next literal begins (the first
/// occurrence; inside a quoted field, occurrences escaped with a backslash are
/// skipped when the escaping writes them so). The last field, when no literal
/// follows it, runs to the first space, or to the end of the line when its
/// value may hold spaces. Text left after the format must start with a space
/// (`lastLineHadTrailingText`), else the line fails.
final class FieldProgram: Sendable {
    struct Segment: Sendable {
        var target: FieldTarget
        var timeShape: TimeShape
        var literalStart: Int
        var literalCount: Int
        var escapeAware: Bool
        var runsToEnd: Bool
        /// Whether escapes in the value are undone (not for status and time, whose
        /// valid values never hold a backslash).
        var unescapes: Bool
    }

    /// `literals[0..<leadingCount]` is the leading literal; each segment's closing literal follows.
    let literals: [UInt8]
    let leadingCount: Int
    let segments: [Segment]
    let escaping: LogEscaping
    let strftime: StrftimePattern?
    /// `$request` supplies method / target only when the format has no field of its own for them.
    let requestSetsMethod: Bool
    let requestSetsURI: Bool
    let context: FailureContext
    let fields: Set<LogField>

    init(leading: [UInt8], fields specs: [(spec: FormatFieldSpec, literalAfter: [UInt8])], escaping: LogEscaping) {
        var literals = leading
        var segments: [Segment] = []
        var previousLiteral = leading
        for (spec, after) in specs {
            let quoted = previousLiteral.last == UInt8(ascii: "\"") && after.first == UInt8(ascii: "\"")
            segments.append(Segment(
                target: spec.target, timeShape: spec.timeShape,
                literalStart: literals.count, literalCount: after.count,
                escapeAware: quoted && escaping != .none,
                runsToEnd: after.isEmpty && spec.mayContainSpaces,
                unescapes: escaping != .none && spec.target != .skip && spec.target != .status && spec.target != .time))
            literals += after
            previousLiteral = after
        }
        self.literals = literals
        self.leadingCount = leading.count
        self.segments = segments
        self.escaping = escaping
        self.strftime = specs.first { $0.spec.target == .time && $0.spec.timeShape == .strftime }?.spec.strftime
        let targets = Set(specs.map(\.spec.target))
        self.requestSetsMethod = !targets.contains(.method)
        self.requestSetsURI = !targets.contains(.uri)
        var fields = Set(targets.compactMap(\.logField))
        if targets.contains(.request) { fields.formUnion([.method, .uri]) }
        self.fields = fields
        self.context = FailureContext(
            fieldNames: specs.map(\.spec.name),
            literalsAfter: specs.map { FailureContext.printable($0.literalAfter) },
            timeExamples: specs.map { $0.spec.target == .time ? $0.spec.timeShape.example : nil },
            leading: FailureContext.printable(leading))
    }

    @inline(__always)
    private func fail(_ kind: ParseFailure.Kind, _ field: Int, _ offset: Int) -> ParseFailure {
        ParseFailure(kind, field: field, offset: offset, context: context)
    }

    /// The compiled literals and segments as buffers, valid inside `withTables` only.
    struct Tables {
        fileprivate let lits: UnsafeBufferPointer<UInt8>
        fileprivate let segs: UnsafeBufferPointer<Segment>
    }

    /// Runs `body` with the tables held once, for a loop over many lines (`run(_:tables:…)`
    /// then costs no reference counting per line).
    func withTables<R>(_ body: (Tables) -> R) -> R {
        // safe because: the buffers do not escape `body` (Tables is used only inside it).
        literals.withUnsafeBufferPointer { lits in
            segments.withUnsafeBufferPointer { segs in body(Tables(lits: lits, segs: segs)) }
        }
    }

    /// Parses `rawLine` (no terminator; one trailing CR is ignored). Unescaped values go to
    /// `scratch`, which must be at least as long as the line.
    func run(
        _ rawLine: UnsafeBufferPointer<UInt8>,
        scratch: UnsafeMutableBufferPointer<UInt8>,
        trailing: inout Bool,
        timeCache: inout TimeCache,
        _ body: (borrowing ParsedFields) -> Void
    ) -> ParseFailure? {
        withTables { run(rawLine, tables: $0, scratch: scratch, trailing: &trailing, timeCache: &timeCache, body) }
    }

    /// `run` with the tables of `withTables`.
    @inline(__always)
    func run(
        _ rawLine: UnsafeBufferPointer<UInt8>,
        tables: Tables,
        scratch: UnsafeMutableBufferPointer<UInt8>,
        trailing: inout Bool,
        timeCache: inout TimeCache,
        _ body: (borrowing ParsedFields) -> Void
    ) -> ParseFailure? {
        var n = rawLine.count
        if n > 0 && rawLine[n - 1] == 0x0D { n -= 1 }
        guard n > 0 else { return ParseFailure(.emptyLine, offset: 0) }
        let line = UnsafeBufferPointer(rebasing: rawLine[0..<n])
        guard let scratchBase = scratch.baseAddress else { return ParseFailure(.emptyLine, offset: 0) }
        let escaping = self.escaping
        let requestSetsMethod = self.requestSetsMethod
        let requestSetsURI = self.requestSetsURI
        // One search for a backslash per line: without one (nearly every line) no
        // field needs the escape-aware literal search or unescaping.
        let lineHasBackslash = escaping != .none
            && FieldSearch.index(of: UInt8(ascii: "\\"), in: line, from: 0, to: n) != nil

        let lits = tables.lits, segs = tables.segs
        do {
            do {
                let leading = UnsafeBufferPointer(rebasing: lits[0..<leadingCount])
                guard FieldSearch.matches(leading, in: line, at: 0) else { return fail(.leadingText, -1, 0) }
                var pos = leadingCount
                var used = 0
                var fields = ParsedFields()
                for k in 0..<segs.count {
                    let seg = segs[k]
                    let start = pos
                    let end: Int
                    if seg.literalCount == 0 {
                        end = seg.runsToEnd ? n : (FieldSearch.index(of: UInt8(ascii: " "), in: line, from: start, to: n) ?? n)
                        pos = end
                    } else {
                        let literal = UnsafeBufferPointer(rebasing: lits[seg.literalStart..<(seg.literalStart + seg.literalCount)])
                        guard let e = FieldSearch.find(literal, in: line, from: start, to: n, fieldStart: start, escapeAware: seg.escapeAware && lineHasBackslash) else {
                            return fail(.missingLiteral, k, start)
                        }
                        end = e
                        pos = e + seg.literalCount
                    }
                    if seg.target == .skip { continue }

                    // The value: "-" is the servers' empty marker; escapes are undone
                    // into scratch only when a backslash is present.
                    var value = UnsafeBufferPointer(rebasing: line[start..<end])
                    if value.count == 1 && value[0] == UInt8(ascii: "-") {
                        value = UnsafeBufferPointer(start: nil, count: 0)
                    } else if seg.unescapes, lineHasBackslash, FieldSearch.index(of: UInt8(ascii: "\\"), in: line, from: start, to: end) != nil {
                        // safe because: scratch holds at least line.count bytes, and the
                        // values unescaped from one line never total more than the line.
                        let written = LogUnescape.unescape(escaping, value, into: scratchBase + used)
                        value = UnsafeBufferPointer(start: scratchBase + used, count: written)
                        used += written
                    }

                    switch seg.target {
                    case .skip: break
                    case .client: fields.clientAddress = ByteSlice(value)
                    case .time:
                        if value.count > 0 {
                            if let t = timeCache.lookup(value) {
                                fields.time = t
                                break
                            }
                            let parsed = seg.timeShape == .strftime
                                ? strftime?.parse(value) : LogTime.parse(value, shape: seg.timeShape)
                            guard let t = parsed else {
                                return fail(.badTime, k, start)
                            }
                            timeCache.store(value, t)
                            fields.time = t
                        }
                    case .request:
                        guard requestSetsMethod || requestSetsURI else { break }
                        let (m, u) = RequestLine.split(value)
                        if requestSetsMethod { fields.method = ByteSlice(UnsafeBufferPointer(rebasing: value[m])) }
                        if requestSetsURI { fields.uri = ByteSlice(UnsafeBufferPointer(rebasing: value[u])) }
                    case .method: fields.method = RequestLine.isToken(value) ? ByteSlice(value) : .empty
                    case .uri: fields.uri = ByteSlice(value)
                    case .status: fields.status = RequestLine.status(value)
                    case .origin: fields.origin = ByteSlice(value)
                    case .referer: fields.referer = ByteSlice(value)
                    case .userAgent: fields.userAgent = ByteSlice(value)
                    case .requestMethodHeader: fields.requestMethodHeader = ByteSlice(value)
                    case .requestHeadersHeader: fields.requestHeadersHeader = ByteSlice(value)
                    case .allowOrigin: fields.allowOrigin = ByteSlice(value)
                    case .allowCredentials: fields.allowCredentials = ByteSlice(value)
                    case .host: fields.host = ByteSlice(value)
                    }
                }
                if pos < n {
                    guard line[pos] == UInt8(ascii: " ") else { return fail(.textAfterEnd, -1, pos) }
                    trailing = true
                }
                body(fields)
                return nil
            }
        }
    }
}
