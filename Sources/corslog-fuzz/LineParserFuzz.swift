import CorsLogKit

/// The per-line hot path of each syntax: every line of the input through the
/// presets (and an `escape=json` nginx format), the fields into an
/// `EvidenceCollector` with a tiny origin cap (so pruning runs too), each
/// failure's message built, and the first lines through format detection.
enum LineParserFuzz {
    static let nginxFormats: [LogFormat] = [
        LogFormat.preset("nginx-cors")!,
        LogFormat.preset("combined")!,
        try! LogFormat.parse(definition: #"log_format j escape=json '$remote_addr - $remote_user [$time_iso8601] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$host" "$http_origin" "$http_access_control_request_method" "$http_access_control_request_headers" "$sent_http_access_control_allow_origin" $msec';"#),
    ]
    static let apacheFormats: [LogFormat] = [
        LogFormat.preset("apache-cors")!,
        LogFormat.preset("vhost_combined")!,
        try! LogFormat.parse(definition: #"%a %{%Y-%m-%dT%H:%M:%S}t %m %U%q %>s "%{Origin}i" "%{Access-Control-Request-Headers}i""#),
    ]
    static let jsonFormats: [LogFormat] = [
        LogFormat.preset("json")!,
        LogFormat.json(keys: [.origin: ["request.headers.Origin", "a.b.c"], .time: ["ts"]]),
    ]
    static let site = Origin.parse("https://api.example.com").origin!

    static func nginx(_ data: UnsafeRawBufferPointer) { run(data, nginxFormats) }
    static func apache(_ data: UnsafeRawBufferPointer) { run(data, apacheFormats) }
    static func json(_ data: UnsafeRawBufferPointer) { run(data, jsonFormats) }

    /// The values aggregation reads, as bytes (the Referer only in Referer mode).
    static func readValues(_ f: borrowing ParsedFields, referer: Bool) -> [[UInt8]] {
        [f.clientAddress.bytes, f.method.bytes, f.uri.bytes, f.origin.bytes, f.requestMethodHeader.bytes,
         f.requestHeadersHeader.bytes, f.allowOrigin.bytes, f.allowCredentials.bytes, f.host.bytes,
         referer ? f.referer.bytes : [], Array(String(f.status).utf8), Array(String(describing: f.time).utf8)]
    }

    static func run(_ data: UnsafeRawBufferPointer, _ formats: [LogFormat]) {
        let lines = FuzzTargets.lines(data)
        for format in formats {
            var parser = format.makeParser()
            var collecting = format.makeCollectingParser()
            let refererRead = !format.fields.contains(.origin)
            var collector = EvidenceCollector(
                source: format.fields.contains(.origin) ? .originHeader : .referer, sites: [site], capacity: 16,
                hasRequestMethodField: format.fields.contains(.requestMethodHeader),
                requestHeadersField: AnswerField(format, .requestHeadersHeader), hasHostField: format.fields.contains(.host),
                allowOriginField: AnswerField(format),
                credentialsField: AnswerField(format, .allowCredentials), cacheEntries: 8)
            for line in lines {
                let slice = ByteSlice(line.assumingMemoryBound(to: UInt8.self))
                var full: [[UInt8]]? = nil, taken: [[UInt8]]? = nil
                let failure = parser.parse(slice) { fields in
                    FuzzTargets.check(fields.status >= -1, "status \(fields.status)")
                    collector.add(fields)
                    full = Self.readValues(fields, referer: refererRead)
                }
                if let failure { _ = failure.description }
                // The collector's parser: the same fit and the same values, the unread ones aside.
                let other = collecting.parse(slice) { fields in
                    // (JSON lines take every value: their scanner has no such shortcut.)
                    FuzzTargets.check(format.syntax == .json || (fields.userAgent.isEmpty && (refererRead || fields.referer.isEmpty)),
                                      "an unread value was taken")
                    taken = Self.readValues(fields, referer: refererRead)
                }
                FuzzTargets.check(failure?.description == other?.description && full == taken,
                                  "the collecting parser differs: \(String(describing: failure)) / \(String(describing: other))")
            }
            let evidence = collector.finish()
            FuzzTargets.check(evidence.otherMethodExamples.count <= 8
                              && evidence.otherMethodExamples.allSatisfy { $0.unicodeScalars.allSatisfy { ($0.value >= 0x20 && $0.value < 0x7f) || $0 == "…" } },
                              "unprintable or too many method examples \(evidence.otherMethodExamples)")
            FuzzTargets.check(evidence.preflightsWithoutRequestHeaders == 0 || AnswerField(format, .requestHeadersHeader) != .logged,
                              "preflights counted without the header for a format that logs it")
            for origin in evidence.origins.keys {
                FuzzTargets.check(origin.serialized.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7f && $0 != 0x22 && $0 != 0x5c },
                                  "unsafe byte in a tracked origin \(origin.serialized.debugDescription)")
            }
        }
        let sample = lines.prefix(8).map { Array($0) }
        _ = FormatDetector.detect(sample)
    }
}

extension OriginValue {
    var origin: Origin? {
        if case .origin(let o) = self { return o }
        return nil
    }
}
