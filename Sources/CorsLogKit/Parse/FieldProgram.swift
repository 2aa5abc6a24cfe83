/// A compiled nginx or Apache format: the literal the line starts with, then
/// per field the literal that ends it. Built once per format; `run` is the
/// per-line hot loop (no String, no regex, no allocation).
///
/// Extraction rule: a field ends where the whole next literal begins (the first
/// occurrence; inside a quoted field, occurrences escaped with a backslash are
/// skipped when the escaping writes them so). The last field, when no literal
/// follows it, runs to the first space, or to the end of the line when its
/// value may hold spaces. Text left after the format must start with a space
/// (`lastLineHadTrailingText`; `trailing` is set to where it starts), else the line fails.
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
        /// The closing literal's first byte, and its first eight bytes as a little-endian
        /// word with the mask of the bytes it has: one load and compare checks a match
        /// that `FieldSearch.scan` found (longer literals compare the rest byte by byte).
        var first: UInt8 = 0
        var literalWord: UInt64 = 0
        var literalMask: UInt64 = 0
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
            var segment = Segment(
                target: spec.target, timeShape: spec.timeShape,
                literalStart: literals.count, literalCount: after.count,
                escapeAware: quoted && escaping != .none,
                runsToEnd: after.isEmpty && spec.mayContainSpaces,
                unescapes: escaping != .none && spec.target != .skip && spec.target != .status && spec.target != .time)
            segment.first = after.first ?? 0
            for (j, b) in after.prefix(8).enumerated() {
                segment.literalWord |= UInt64(b) << UInt64(8 * j)
                segment.literalMask |= 0xFF << UInt64(8 * j)
            }
            segments.append(segment)
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

    private init(_ p: FieldProgram, segments: [Segment]) {
        literals = p.literals
        leadingCount = p.leadingCount
        self.segments = segments
        escaping = p.escaping
        strftime = p.strftime
        requestSetsMethod = p.requestSetsMethod
        requestSetsURI = p.requestSetsURI
        context = p.context
        fields = p.fields
    }

    /// The same program, with the fields of `targets` located (a line still has to fit them)
    /// but their values not taken: for values nobody reads, which then cost no empty-marker
    /// check, unescaping or store. `fields` stays the format's.
    func skippingValues(of targets: Set<FieldTarget>) -> FieldProgram {
        FieldProgram(self, segments: segments.map { s in
            guard targets.contains(s.target) else { return s }
            var skipped = s
            skipped.target = .skip
            skipped.unescapes = false
            return skipped
        })
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
        trailing: inout Int,
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
        trailing: inout Int,
        timeCache: inout TimeCache,
        _ body: (borrowing ParsedFields) -> Void
    ) -> ParseFailure? {
        var n = rawLine.count
        guard n > 0, let base = rawLine.baseAddress else { return ParseFailure(.emptyLine, offset: 0) }
        if base[n - 1] == 0x0D { n -= 1 }
        guard n > 0 else { return ParseFailure(.emptyLine, offset: 0) }
        let line = UnsafeBufferPointer(start: base, count: n)
        guard let scratchBase = scratch.baseAddress else { return ParseFailure(.emptyLine, offset: 0) }
        let escaping = self.escaping
        let requestSetsMethod = self.requestSetsMethod
        let requestSetsURI = self.requestSetsURI
        // One search for a backslash per line: without one (nearly every line) no
        // field needs the escape-aware literal search or unescaping.
        let lineHasBackslash = escaping != .none && FieldSearch.scan(base, UInt8(ascii: "\\"), from: 0, to: n) != nil

        let lits = tables.lits, segs = tables.segs
        do {
            do {
                let leading = UnsafeBufferPointer(rebasing: lits[0..<leadingCount])
                guard FieldSearch.matches(leading, in: line, at: 0) else { return fail(.leadingText, -1, 0) }
                var pos = leadingCount
                var used = 0
                var fields = ParsedFields()
                // Positions are plain offsets into `base[0..<n]` (no slices or ranges in this
                // loop: it runs for every field of every line).
                for k in 0..<segs.count {
                    let seg = segs[k]
                    let start = pos
                    let end: Int
                    if seg.literalCount == 0 {
                        end = seg.runsToEnd ? n : (FieldSearch.scan(base, UInt8(ascii: " "), from: start, to: n) ?? n)
                        pos = end
                    } else if seg.literalCount <= 8, start + 9 <= n, base[start] == UInt8(ascii: "-"),
                              seg.first != UInt8(ascii: "-"),
                              // safe because: start + 9 <= n, the eight bytes after the dash lie inside the line.
                              UInt64(littleEndian: UnsafeRawPointer(base + start + 1).loadUnaligned(as: UInt64.self))
                                & seg.literalMask == seg.literalWord {
                        // The empty marker `-` right before the closing literal (most optional
                        // fields): what `findLiteral` finds, as the literal cannot start at the
                        // dash, and a dash is no backslash, so the literal is not escaped.
                        end = start + 1
                        pos = end + seg.literalCount
                    } else {
                        guard let e = Self.findLiteral(seg, lits: lits, in: base, count: n, from: start,
                                                       escapeAware: seg.escapeAware && lineHasBackslash) else {
                            return fail(.missingLiteral, k, start)
                        }
                        end = e
                        pos = e + seg.literalCount
                    }
                    if seg.target == .skip { continue }

                    // The value: "-" is the servers' empty marker; escapes are undone
                    // into scratch only when a backslash is present.
                    // safe because: start <= end <= n, inside the line.
                    var valueBase = base + start
                    var valueCount = end - start
                    if valueCount == 1 && base[start] == UInt8(ascii: "-") {
                        valueCount = 0
                    } else if seg.unescapes, lineHasBackslash, FieldSearch.scan(base, UInt8(ascii: "\\"), from: start, to: end) != nil {
                        // safe because: scratch holds at least line.count bytes, and the
                        // values unescaped from one line never total more than the line.
                        let written = LogUnescape.unescape(escaping, UnsafeBufferPointer(start: valueBase, count: valueCount),
                                                           into: scratchBase + used)
                        valueBase = UnsafePointer(scratchBase + used)
                        valueCount = written
                        used += written
                    }
                    let value = ByteSlice(base: valueBase, count: valueCount)

                    switch seg.target {
                    case .skip: break
                    case .client: fields.clientAddress = value
                    case .time:
                        if valueCount > 0 {
                            let text = UnsafeBufferPointer(start: valueBase, count: valueCount)
                            if let t = timeCache.lookup(text) {
                                fields.time = t
                                break
                            }
                            let parsed = seg.timeShape == .strftime
                                ? strftime?.parse(text) : LogTime.parse(text, shape: seg.timeShape)
                            guard let t = parsed else {
                                return fail(.badTime, k, start)
                            }
                            timeCache.store(text, t)
                            fields.time = t
                        }
                    case .request:
                        guard requestSetsMethod || requestSetsURI else { break }
                        let text = UnsafeBufferPointer(start: valueBase, count: valueCount)
                        let (m, u) = RequestLine.split(text)
                        if requestSetsMethod { fields.method = ByteSlice(base: valueBase + m.lowerBound, count: m.count) }
                        if requestSetsURI { fields.uri = ByteSlice(base: valueBase + u.lowerBound, count: u.count) }
                    case .method:
                        fields.method = RequestLine.isToken(UnsafeBufferPointer(start: valueBase, count: valueCount)) ? value : .empty
                    case .uri: fields.uri = value
                    case .status: fields.status = RequestLine.status(UnsafeBufferPointer(start: valueBase, count: valueCount))
                    case .origin: fields.origin = value
                    case .referer: fields.referer = value
                    case .userAgent: fields.userAgent = value
                    case .requestMethodHeader: fields.requestMethodHeader = value
                    case .requestHeadersHeader: fields.requestHeadersHeader = value
                    case .allowOrigin: fields.allowOrigin = value
                    case .allowCredentials: fields.allowCredentials = value
                    case .host: fields.host = value
                    }
                }
                if pos < n {
                    guard line[pos] == UInt8(ascii: " ") else { return fail(.textAfterEnd, -1, pos) }
                    trailing = pos
                }
                body(fields)
                return nil
            }
        }
    }

    /// The first index `i` in `[from, count - literal length]` where `seg`'s closing literal
    /// starts in `base[0..<count]`. With `escapeAware`, a match preceded by an odd run of
    /// backslashes that starts at or after `from` (the field's start) is an escaped byte and
    /// is skipped (Apache `\"`, nginx `escape=json` `\"`; `\\"` is a real end).
    @inline(__always)
    private static func findLiteral(_ seg: Segment, lits: UnsafeBufferPointer<UInt8>, in base: UnsafePointer<UInt8>,
                                    count n: Int, from: Int, escapeAware: Bool) -> Int? {
        let length = seg.literalCount
        let lastStart = n - length
        var p = from
        while p <= lastStart {
            guard let i = FieldSearch.scan(base, seg.first, from: p, to: lastStart + 1) else { return nil }
            let matched: Bool
            if length <= 8 && i + 8 <= n {
                // safe because: i + 8 <= n, the eight bytes lie inside the line.
                let word = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                matched = word & seg.literalMask == seg.literalWord
            } else {
                var same = true
                for j in 1..<max(length, 1) where base[i + j] != lits[seg.literalStart + j] {
                    same = false
                    break
                }
                matched = same
            }
            if matched && (!escapeAware || FieldSearch.evenBackslashRun(in: UnsafeBufferPointer(start: base, count: n),
                                                                        before: i, notBefore: from)) {
                return i
            }
            p = i + 1
        }
        return nil
    }
}
