import Foundation
import Testing
@testable import CorsLogKit

/// A flood of distinct Origin values (anyone can send any Origin) must cost
/// bounded memory and leave the real origins' numbers exactly as they are
/// without the flood. The whole pipeline runs on a real file: 50,000 one-request
/// origins with `--max-origins 1000`, among the traffic of a few heavy hitters.
/// (The memory itself, in bytes, is measured by bench/run's flood check.)
@Suite struct OriginFloodTests {
    static let heavyHitters = ["https://app.example.com", "https://shop.partner.example", "https://dashboard.partner-two.io"]
    static let trusted = "https://trusted.partner.example"
    static let floodOrigins = 50_000
    static let floodInvalid = 2_000

    static func line(client: String, day: Int, second: Int, method: String, path: String, origin: String,
                     acrm: String = "-", acrh: String = "-") -> String {
        let t = String(format: "%02d/Nov/2025:%02d:%02d:%02d +0000", day, second / 3600 % 24, second / 60 % 60, second % 60)
        let status = method == "OPTIONS" ? "204 0" : "200 512"
        return "\(client) - - [\(t)] \"\(method) \(path) HTTP/1.1\" \(status) \"-\" \"Mozilla/5.0\" \"api.example.com\" \"\(origin)\" \"\(acrm)\" \"\(acrh)\" \"*\" \"-\""
    }

    /// The heavy hitters' traffic: app.example.com alone has 150 clients (beyond the
    /// exact count), 3,000 distinct paths and 100 distinct requested headers (beyond
    /// their caps); a rare origin with one request; a trusted one with one request.
    static func traffic() -> [String] {
        var lines: [String] = []
        for k in 0..<3_000 {
            let client = "10.0.\(k % 150).1", day = 1 + k % 5, path = "/v1/p\(k)x"
            if k % 2 == 0 {
                lines.append(line(client: client, day: day, second: k, method: "OPTIONS", path: path,
                                  origin: heavyHitters[0], acrm: "PUT", acrh: "content-type,x-h\(k / 2 % 100)"))
            } else {
                lines.append(line(client: client, day: day, second: k, method: "PUT", path: path, origin: heavyHitters[0]))
            }
            if k % 3 == 0 {
                lines.append(line(client: "198.51.100.\(k % 5)", day: 1 + k % 3, second: k, method: "GET",
                                  path: "/v1/products", origin: heavyHitters[1]))
            }
            if k % 6 == 0 {
                lines.append(line(client: "203.0.113.\(k % 4)", day: 2 + k % 2, second: k, method: "PATCH",
                                  path: "/v1/orders/\(1000 + k)", origin: heavyHitters[2]))
            }
        }
        lines.insert(line(client: "192.0.2.7", day: 3, second: 5, method: "GET", path: "/v1/products", origin: "https://rare.partner.example"), at: 10)
        lines.insert(line(client: "192.0.2.8", day: 3, second: 6, method: "GET", path: "/v1/products", origin: trusted), at: 20)
        return lines
    }

    /// The same traffic with the flood spread evenly through it.
    static func flooded() -> [String] {
        let base = traffic()
        var lines: [String] = []
        var f = 0, bad = 0
        for (i, l) in base.enumerated() {
            lines.append(l)
            let until = (i + 1) * floodOrigins / base.count
            while f < until {
                lines.append(line(client: "192.0.2.\(f % 250)", day: 4, second: f % 86_400, method: "GET",
                                  path: "/v1/f\(f)x", origin: "https://f\(f).flood.example"))
                f += 1
                if f % 25 == 0 && bad < floodInvalid {
                    lines.append(line(client: "192.0.2.99", day: 4, second: 0, method: "GET", path: "/",
                                      origin: "https://bad\(bad).flood.example/path"))
                    bad += 1
                }
            }
        }
        return lines
    }

    static func analyse(_ lines: [String]) throws -> (Analysis, Inference, [String: NSDictionary]) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-flood-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("access.log")
        try (lines.joined(separator: "\n") + "\n").write(to: log, atomically: true, encoding: .utf8)
        var input = InputSpec()
        input.paths = [log.path]
        input.format = "nginx-cors"
        input.maxOrigins = 1_000
        var spec = InferenceSpec()
        spec.sites = ["https://api.example.com"]
        spec.trust = [trusted]
        let (a, i) = try Pipeline.run(input, spec)
        let json = try JSONSerialization.jsonObject(with: Data(JSONReport(analysis: a, inference: i).encoded().utf8)) as! [String: Any]
        var entries: [String: NSDictionary] = [:]
        for entry in json["origins"] as! [[String: Any]] { entries[entry["origin"] as! String] = entry as NSDictionary }
        return (a, i, entries)
    }

    @Test func theHeavyHittersComeOutTheSameWithAndWithoutTheFloodAndTheCapHolds() throws {
        let (base, _, baseEntries) = try Self.analyse(Self.traffic())
        let (flood, _, floodEntries) = try Self.analyse(Self.flooded())
        #expect(!base.evidence.originCap.reached)

        // The real origins: the same statistics and the same JSON entries (decision included).
        for o in Self.heavyHitters + [Self.trusted] {
            #expect(flood.evidence.origins[origin(o)] != nil, "\(o) was dropped")
            #expect(flood.evidence.origins[origin(o)] == base.evidence.origins[origin(o)], "\(o)")
            #expect(floodEntries[o] == baseEntries[o], "\(o) in the JSON report")
        }
        #expect(floodEntries[Self.heavyHitters[0]]?["decision"] as? String == "allow")
        #expect(flood.evidence.origins[origin(Self.trusted)]?.requests == 1)

        // The cap is reported, and every request is accounted for.
        let cap = flood.evidence.originCap
        #expect(cap.reached)
        #expect(cap.capacity == 1_000)
        #expect(cap.prunes >= Self.floodOrigins / 1_000)
        #expect(cap.evictedOrigins >= Self.floodOrigins - 1_000)
        #expect(abs(cap.distinctOrigins.count - (Self.floodOrigins + 5)) < Self.floodOrigins / 10)
        let tracked = flood.evidence.origins.values.reduce(0) { $0 + $1.requests }
        #expect(tracked + cap.evictedRequests == base.evidence.crossOriginRequests + Self.floodOrigins)
        #expect(flood.evidence.invalid.requests == Self.floodInvalid)

        // Every memory-bounded structure is within its cap, in entries.
        #expect(flood.evidence.origins.count <= 1_000)
        #expect(flood.evidence.invalid.examples.count <= InvalidOrigins.maxExamples)
        #expect(flood.evidence.hosts.entries.count <= TopValues.capacity)
        let app = try #require(flood.evidence.origins[origin(Self.heavyHitters[0])])
        #expect(app.topPaths.entries.count == TopValues.capacity)
        #expect(app.headerSlots.count == OriginStats.maxHeaders)
        #expect(!app.clients.isExact)
        #expect(abs(app.clients.count - 150) < 30)
        for (_, s) in flood.evidence.origins {
            #expect(s.topPaths.entries.count <= TopValues.capacity)
            #expect(s.headerSlots.count <= OriginStats.maxHeaders)
            #expect(s.dailyRequests.count <= OriginStats.maxDays)
        }
    }
}
