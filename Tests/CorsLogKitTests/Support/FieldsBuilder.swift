@testable import CorsLogKit

/// A log line's facts as text, turned into `ParsedFields` for the aggregation
/// and inference tests (the parsers have their own tests).
struct Line {
    var client = "198.51.100.1"
    var method = "GET"
    var uri = "/v1/orders"
    var origin = ""
    var referer = ""
    var acrm = ""
    var acrh = ""
    var acao = ""
    var acac = ""
    var host = ""
    var status = 200
    /// Day number after 2025-11-01 and seconds into it.
    var day = 0
    var second = 3600
    /// false: the log has no time field.
    var hasTime = true

    /// Calls `body` with the line as `ParsedFields`.
    func withFields(_ body: (ParsedFields) -> Void) {
        let parts = [client, method, uri, origin, referer, acrm, acrh, acao, acac, host]
        var bytes: [UInt8] = []
        var ranges: [(Int, Int)] = []
        for p in parts {
            ranges.append((bytes.count, p.utf8.count))
            bytes.append(contentsOf: p.utf8)
        }
        bytes.withUnsafeBufferPointer { buffer in
            let all = ByteSlice(buffer)
            func s(_ i: Int) -> ByteSlice { all.slice(ranges[i].0, ranges[i].0 + ranges[i].1) }
            var f = ParsedFields()
            f.clientAddress = s(0); f.method = s(1); f.uri = s(2); f.origin = s(3); f.referer = s(4)
            f.requestMethodHeader = s(5); f.requestHeadersHeader = s(6); f.allowOrigin = s(7)
            f.allowCredentials = s(8); f.host = s(9)
            f.status = status
            f.time = hasTime ? 1_761_955_200 + Int64(day) * 86_400 + Int64(second) : nil
            body(f)
        }
    }
}

extension EvidenceCollector {
    /// A collector for logs that carry Origin, ACRM, Host and the response's ACAO/ACAC
    /// (`allowOriginField: .absent` for a format without the response fields).
    static func forOriginLogs(sites: [String] = ["https://api.example.com"], capacity: Int = 20_000,
                              protected: [String] = [], allowOriginField: AnswerField = .logged) -> EvidenceCollector {
        EvidenceCollector(source: .originHeader, sites: sites.map(origin), protected: protected.map(origin),
                          capacity: capacity, hasRequestMethodField: true, hasHostField: true,
                          allowOriginField: allowOriginField)
    }

    mutating func add(_ line: Line) {
        line.withFields { add($0) }
    }

    mutating func add(_ lines: [Line]) {
        for l in lines { add(l) }
    }
}

/// An origin that the test knows to be valid.
func origin(_ s: String) -> Origin {
    guard case .origin(let o) = Origin.parse(s) else { fatalError("test origin \(s) does not parse") }
    return o
}

/// `count` requests from `clients` clients spread over `days` days.
func traffic(_ originText: String, clients: Int, days: Int, count: Int, method: String = "GET",
             acrh: String = "", preflight: Bool = false, acao: String = "*", acac: String = "") -> [Line] {
    var out: [Line] = []
    for i in 0..<count {
        let client = "203.0.113.\(i % max(clients, 1) + 1)"
        let day = i % max(days, 1)
        if preflight {
            out.append(Line(client: client, method: "OPTIONS", origin: originText, acrm: method, acrh: acrh,
                            acao: acao, acac: acac, host: "api.example.com", status: 204, day: day))
        }
        out.append(Line(client: client, method: method, origin: originText, acao: acao, acac: acac,
                        host: "api.example.com", day: day))
    }
    return out
}
