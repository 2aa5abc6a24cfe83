/// Consecutive lines of one file, copied out of the decoded blocks, and what a
/// parser found in each: `ParseAhead` parses batches on worker threads while the
/// reading thread aggregates the ones before, in order.
///
/// The fields are kept as spans (offset, length) into `bytes`, or into `scratch`
/// for the values a parser unescaped, so a batch holds no pointer and can move
/// between threads; `forEachParsed` turns them back into `ParsedFields`.
struct LineBatch: Sendable {
    /// The lines' bytes, one after another (no terminators).
    private(set) var bytes: [UInt8] = []
    /// Where each line ends in `bytes`, and its line number in the file.
    private(set) var ends: [Int] = []
    private(set) var numbers: [Int] = []
    /// Per line after `parse`: what the parser found (`.blank` and `.failed` have no fields).
    private(set) var records: [Record] = []
    /// Why the failed lines failed, in line order.
    private(set) var failures: [ParseFailure] = []
    /// Unescaped values.
    private var scratch: [UInt8] = []
    /// After `parse` with a probe: the lines that fit a preset recording Origin (`RicherFormatProbe`).
    private(set) var richerFormatLines: RicherFormatLines? = nil

    /// Reserves room for `bytes` bytes of lines (so filling the batch never doubles its buffer).
    init(reserving capacity: Int) {
        bytes.reserveCapacity(capacity)
        let lines = capacity / 256
        ends.reserveCapacity(lines)
        numbers.reserveCapacity(lines)
        records.reserveCapacity(lines)
    }

    var isEmpty: Bool { ends.isEmpty }
    var lineCount: Int { ends.count }
    /// Bytes the line buffer holds room for (grown past its reservation by a long line).
    var byteCapacity: Int { bytes.capacity }
    var byteCount: Int { bytes.count }

    mutating func append(_ line: ByteSlice, number: Int) {
        line.withBuffer { bytes.append(contentsOf: $0) }
        ends.append(bytes.count)
        numbers.append(number)
    }

    /// Empties the batch, keeping its buffers.
    mutating func clear() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        numbers.removeAll(keepingCapacity: true)
        records.removeAll(keepingCapacity: true)
        failures.removeAll(keepingCapacity: true)
        scratch.removeAll(keepingCapacity: true)
        richerFormatLines = nil
    }

    /// Parses every line with `parser` (blank lines — spaces, tabs, CR — are only marked);
    /// with `source`, also what the collector derives from each line's fields
    /// (`EvidenceCollector.precompute`), so the thread aggregating in order does less.
    mutating func parse(with parser: inout LineParser, source: OriginSource? = nil) {
        var none: RicherFormatProbe? = nil
        parse(with: &parser, source: source, probe: &none)
    }

    /// With `probe`, the lines left with text after the format are probed (`richerFormatLines`).
    mutating func parse(with parser: inout LineParser, source: OriginSource? = nil, probe: inout RicherFormatProbe?) {
        records.removeAll(keepingCapacity: true)
        failures.removeAll(keepingCapacity: true)
        scratch.removeAll(keepingCapacity: true)
        var records = self.records, failures = self.failures, scratch = self.scratch
        var richer: RicherFormatLines? = nil
        self.records = []; self.failures = []; self.scratch = []
        // Blank lines are marked here; the others go to the parser in one call.
        var nonBlank: [Int32] = []
        nonBlank.reserveCapacity(ends.count)
        var maxLength = 0
        bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress
            var start = 0
            for (i, end) in ends.enumerated() {
                // safe because: [start, end) lies inside buffer, which lives for this closure.
                let line = ByteSlice(base: base.map { $0 + start }, count: end - start)
                if Self.isBlank(line) {
                    records.append(Record(kind: .blank))
                } else {
                    records.append(Record(kind: .failed))
                    nonBlank.append(Int32(i))
                    maxLength = max(maxLength, end - start)
                }
                start = end
            }
            parser.parseEach(count: nonBlank.count, maxLength: maxLength, line: { k in
                let i = Int(nonBlank[k])
                let start = i == 0 ? 0 : ends[i - 1]
                // safe because: as above.
                return ByteSlice(base: base.map { $0 + start }, count: ends[i] - start)
            }, parsed: { k, f in
                let i = Int(nonBlank[k])
                let start = i == 0 ? 0 : ends[i - 1]
                var record = Record(kind: .parsed)
                record.fields(f, lineBase: base!, lineStart: start, lineEnd: ends[i], scratch: &scratch)
                if let source, let pre = EvidenceCollector.precompute(f, source: source) {
                    record.precomputed(pre, lineBase: base!, lineStart: start, lineEnd: ends[i], scratch: &scratch)
                }
                records[i] = record
            }, failed: { _, failure in
                failures.append(failure)   // in line order, as `forEachLine` reads them
            }, trailing: { k in
                let i = Int(nonBlank[k])
                let start = i == 0 ? 0 : ends[i - 1]
                // safe because: as above.
                guard probe != nil, let preset = probe!.fit(ByteSlice(base: base.map { $0 + start }, count: ends[i] - start)) else { return }
                RicherFormatLines.add(RicherFormatLines(line: numbers[i], preset: preset), to: &richer)
            })
        }
        self.records = records
        self.failures = failures
        self.scratch = scratch
        self.richerFormatLines = richer
    }

    /// One line of a parsed batch, in line order.
    enum Line {
        /// Its fields (valid only during the call).
        case parsed(ParsedFields)
        /// Only spaces, tabs or CR.
        case blank
        /// It did not fit the format: its line number and why.
        case failed(Int, ParseFailure)
    }

    /// Calls `body` for each line, in order (after `parse`).
    func forEachLine(_ body: (Line) -> Void) {
        precondition(records.count == ends.count, "LineBatch: forEachLine before parse")
        bytes.withUnsafeBufferPointer { b in
            scratch.withUnsafeBufferPointer { s in
                var nextFailure = 0
                for i in records.indices {
                    let r = records[i]
                    switch r.kind {
                    case .blank: body(.blank)
                    case .failed:
                        body(.failed(numbers[i], failures[nextFailure]))
                        nextFailure += 1
                    case .parsed: body(.parsed(r.fields(bytes: b, scratch: s)))
                    }
                }
            }
        }
    }

    static func isBlank(_ line: ByteSlice) -> Bool {
        for i in 0..<line.count where line[i] != UInt8(ascii: " ") && line[i] != UInt8(ascii: "\t") && line[i] != UInt8(ascii: "\r") {
            return false
        }
        return true
    }

    /// Where a value lies: `start` ≥ 0 in the lines' bytes, < 0 at `-start - 1` in the scratch.
    struct Span: Sendable {
        var start: Int32 = 0
        var count: Int32 = 0
    }

    /// One line's fields as spans (see `ParsedFields`).
    ///
    /// Copied once per line on the reading thread: the small values fill the first eight
    /// bytes (before `time`), so the record stays 144 bytes.
    struct Record: Sendable {
        enum Kind: UInt8, Sendable { case parsed, blank, failed }
        var kind: Kind
        var hasTime = false
        var status: Int16 = -1
        /// Whether the parse thread computed `ParsedFields.Precomputed`, and its methods.
        var hasPrecomputed = false
        var preMethod: HTTPMethod? = nil
        var preRequestMethod: HTTPMethod? = nil
        var time: Int64 = 0
        var clientAddress = Span(), method = Span(), uri = Span(), origin = Span(), referer = Span(), userAgent = Span()
        var requestMethodHeader = Span(), requestHeadersHeader = Span(), allowOrigin = Span(), allowCredentials = Span(), host = Span()

        /// `ParsedFields.Precomputed`'s other values (when `hasPrecomputed`).
        var rawOrigin = Span()
        var rawOriginHash: UInt64 = 0, clientHash: UInt64 = 0, pathHash: UInt64 = 0, requestHeadersHash: UInt64 = 0

        init(kind: Kind) { self.kind = kind }

        /// The span of `s`, which points into the line `[lineStart, lineEnd)` of the batch
        /// (at `lineBase`) or into the parser's scratch (then copied into `scratch`).
        @inline(__always)
        private static func span(_ s: ByteSlice, lineBase: UnsafePointer<UInt8>, lineStart: Int, lineEnd: Int,
                                 scratch: inout [UInt8]) -> Span {
            guard let p = s.base else { return Span() }   // nil: an empty slice
            let offset = lineBase.distance(to: p)
            // Inside the line (nearly always): offset in [lineStart, lineEnd - count], as
            // unsigned compares. The line lies in a batch far below 2 GiB, so both values
            // fit 32 bits.
            let room = lineEnd &- lineStart &- s.count
            if room >= 0 && UInt(bitPattern: offset &- lineStart) <= UInt(bitPattern: room) {
                return Span(start: Int32(truncatingIfNeeded: offset), count: Int32(truncatingIfNeeded: s.count))
            }
            let at = scratch.count
            s.withBuffer { scratch.append(contentsOf: $0) }
            return Span(start: -Int32(at) - 1, count: Int32(s.count))
        }

        mutating func precomputed(_ p: ParsedFields.Precomputed, lineBase: UnsafePointer<UInt8>, lineStart: Int, lineEnd: Int,
                                  scratch: inout [UInt8]) {
            rawOrigin = Self.span(p.rawOrigin, lineBase: lineBase, lineStart: lineStart, lineEnd: lineEnd, scratch: &scratch)
            rawOriginHash = p.rawOriginHash
            clientHash = p.clientHash
            pathHash = p.pathHash
            requestHeadersHash = p.requestHeadersHash
            preMethod = p.method
            preRequestMethod = p.requestMethod
            hasPrecomputed = true
        }

        /// Records `f`'s slices as spans (see `span`).
        mutating func fields(_ f: borrowing ParsedFields, lineBase: UnsafePointer<UInt8>, lineStart: Int, lineEnd: Int,
                             scratch: inout [UInt8]) {
            func span(_ s: ByteSlice) -> Span {
                Self.span(s, lineBase: lineBase, lineStart: lineStart, lineEnd: lineEnd, scratch: &scratch)
            }
            status = Int16(clamping: f.status)
            if let t = f.time { hasTime = true; time = t }
            clientAddress = span(f.clientAddress)
            method = span(f.method)
            uri = span(f.uri)
            origin = span(f.origin)
            referer = span(f.referer)
            userAgent = span(f.userAgent)
            requestMethodHeader = span(f.requestMethodHeader)
            requestHeadersHeader = span(f.requestHeadersHeader)
            allowOrigin = span(f.allowOrigin)
            allowCredentials = span(f.allowCredentials)
            host = span(f.host)
        }

        /// The fields again, as slices of `bytes` and `scratch` (valid while those are).
        @inline(__always)
        func fields(bytes: UnsafeBufferPointer<UInt8>, scratch: UnsafeBufferPointer<UInt8>) -> ParsedFields {
            let lineBytes = bytes.baseAddress, scratchBytes = scratch.baseAddress
            @inline(__always)
            func slice(_ s: Span) -> ByteSlice {
                // safe because: spans were made from these buffers' own offsets (`fields(_:…)`),
                // and the buffers are not changed between parse and this call; an empty span
                // makes an empty slice (`ByteSlice.init` drops its base).
                if s.start >= 0 { return ByteSlice(base: lineBytes.map { $0 + Int(s.start) }, count: Int(s.count)) }
                return ByteSlice(base: scratchBytes.map { $0 + Int(-s.start - 1) }, count: Int(s.count))
            }
            var f = ParsedFields()
            f.status = Int(status)
            f.time = hasTime ? time : nil
            f.clientAddress = slice(clientAddress)
            f.method = slice(method)
            f.uri = slice(uri)
            f.origin = slice(origin)
            f.referer = slice(referer)
            f.userAgent = slice(userAgent)
            f.requestMethodHeader = slice(requestMethodHeader)
            f.requestHeadersHeader = slice(requestHeadersHeader)
            f.allowOrigin = slice(allowOrigin)
            f.allowCredentials = slice(allowCredentials)
            f.host = slice(host)
            if hasPrecomputed {
                f.precomputed = ParsedFields.Precomputed(
                    rawOrigin: slice(rawOrigin), rawOriginHash: rawOriginHash, clientHash: clientHash, pathHash: pathHash,
                    requestHeadersHash: requestHeadersHash, method: preMethod, requestMethod: preRequestMethod)
            }
            return f
        }
    }
}
