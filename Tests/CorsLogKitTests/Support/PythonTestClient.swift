import Foundation
import Testing
@testable import CorsLogKit

/// A request for a framework's own test client (`Tests/Python/cors_client.py`).
struct ClientRequest: Encodable {
    var method = "GET"
    var path: String
    var headers: [[String]] = []

    static func get(_ path: String, origin: String?) -> ClientRequest {
        ClientRequest(path: path, headers: origin.map { [["Origin", $0]] } ?? [])
    }

    static func preflight(_ path: String, origin: String, method: String = "PUT", headers: String? = nil) -> ClientRequest {
        var h = [["Origin", origin], ["Access-Control-Request-Method", method]]
        if let headers { h.append(["Access-Control-Request-Headers", headers]) }
        return ClientRequest(method: "OPTIONS", path: path, headers: h)
    }
}

/// A rendered standalone Python app (Flask or Django) driven by the framework's
/// test client in the project's venv: the real library decides every header.
enum PythonTestClient {
    static let driver = PackagePaths.root.appendingPathComponent("Tests/Python/cors_client.py").path

    private struct Input: Encodable {
        var requests: [ClientRequest]
        var stock_middleware: Bool
        var signal_allows_all: Bool
    }

    private struct Output: Decodable {
        var status: Int
        var headers: [[String]]
    }

    /// Writes `app` to a temporary file and sends `requests` through it, in order.
    static func run(_ app: String, _ requests: [ClientRequest], stockMiddleware: Bool = false,
                    signalAllowsAll: Bool = false) throws -> [HTTPResponse] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-py-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("app.py")
        try app.write(to: file, atomically: true, encoding: .utf8)
        let input = try JSONEncoder().encode(Input(requests: requests, stock_middleware: stockMiddleware,
                                                   signal_allows_all: signalAllowsAll))
        let r = try runProcess(RealLibraries.python, [driver, file.path], stdin: input)
        guard r.status == 0, let out = try? JSONDecoder().decode([Output].self, from: Data(r.out.utf8)) else {
            throw CorsLogError(.dataError, "cors_client.py failed (\(r.status)): \(r.err)")
        }
        return out.map { HTTPResponse(status: $0.status, headers: $0.headers.map { ($0[0].lowercased(), $0[1]) }) }
    }

    /// One request.
    static func send(_ app: String, _ request: ClientRequest, stockMiddleware: Bool = false,
                     signalAllowsAll: Bool = false) throws -> HTTPResponse {
        try run(app, [request], stockMiddleware: stockMiddleware, signalAllowsAll: signalAllowsAll)[0]
    }

    /// `ScannerProbes.refused`, each as a GET and as a preflight to `path`: none may get a CORS header.
    static func expectNoScannerProbeGetsCORS(_ app: String, path: String = "/",
                                             sourceLocation: SourceLocation = #_sourceLocation) throws {
        let requests = ScannerProbes.refused.flatMap {
            [ClientRequest.get(path, origin: $0), .preflight(path, origin: $0, headers: "authorization")]
        }
        let responses = try run(app, requests)
        for (request, response) in zip(requests, responses) {
            #expect(!response.hasCORSHeaders, "\(request.method) from \(request.headers[0][1]) got \(response.headers)",
                    sourceLocation: sourceLocation)
        }
    }
}

/// Policies the Python targets' real-library tests share.
enum PythonPolicies {
    static let context = RenderContext(lines: 12_345, firstSeen: 1_761_955_200, lastSeen: 1_762_473_600)

    static func options(port: Int = 18080) throws -> StandaloneOptions {
        try StandaloneOptions.make(listen: "127.0.0.1:\(port)", accessLog: "/tmp/corslog-try.log").get()
    }

    /// The shape of `NginxRealServerTests.pathRulesAndPatternsApplyWhereTheySay`.
    static func pathRules(credentials: Bool = false) throws -> Policy {
        let pattern = try OriginPattern.parse("https://*.partner.example", psl: PublicSuffixList.bundled).get()
        return Policy(
            defaults: CORSRule(origins: [origin("https://app.example.com")], methods: [.put],
                               headers: [HeaderName("content-type")!], credentials: credentials, maxAge: 600),
            paths: [PathRule(prefix: PathPrefix("/admin/")!,
                             rule: CORSRule(origins: [origin("https://admin.example.com")], methods: [.delete], maxAge: 60)),
                    PathRule(prefix: PathPrefix("/public/")!,
                             rule: CORSRule(origins: [], patterns: [pattern], exposeHeaders: [HeaderName("x-request-id")!],
                                            maxAge: 7200))])
    }
}
