/// The key paths a JSON-lines format reads, compiled into a tree of
/// case-insensitive keys with a small hash table per object level.
final class JSONLineProgram: Sendable {
    struct Binding: Sendable {
        let target: FieldTarget
        /// Lower wins: the caller's keys first, then the defaults in order.
        let priority: UInt8
    }

    /// A key level while building; flattened into the arrays below.
    private struct Node {
        /// The key, lower-cased ASCII.
        var key: [UInt8]
        var hash: UInt64
        var bindings: [Binding] = []
        var children: [Int32] = []
    }

    // The tree, flattened so the per-line lookups read plain arrays. Node 0 is the root.
    /// Per node: its key's bytes (lower-cased) are `keyBytes[keyStart[n] ..< keyStart[n + 1]]`.
    let keyBytes: [UInt8]
    let keyStart: [Int]
    let keyHash: [UInt64]
    /// Per node: its open-addressing table of children is `table[tableStart[n] ..< tableStart[n + 1]]`
    /// (a power of two long, or empty; -1 is a free slot).
    let table: [Int32]
    let tableStart: [Int]
    /// Per node: the facts its value gives are `bindings[bindingStart[n] ..< bindingStart[n + 1]]`.
    let bindings: [Binding]
    let bindingStart: [Int]
    let context: FailureContext
    /// The keys the caller added, for `LogFormat.definition`.
    let customKeys: [LogField: [String]]

    /// Defaults per fact, tried after the caller's keys, in this order: nginx
    /// variable names, then Traefik, Caddy, and generic names.
    static let defaultKeys: [(LogField, [String])] = [
        (.clientAddress, ["remote_addr", "ClientHost", "request.client_ip", "request.remote_ip", "client_ip", "remote_ip", "ClientAddr"]),
        (.time, ["time_iso8601", "time_local", "msec", "StartUTC", "time", "ts", "timestamp", "@timestamp"]),
        (.request, ["request"]),
        (.method, ["request_method", "RequestMethod", "request.method", "method"]),
        (.uri, ["request_uri", "uri", "RequestPath", "request.uri", "path"]),
        (.status, ["status", "DownstreamStatus", "status_code"]),
        (.origin, ["http_origin", "request_Origin", "request.headers.Origin", "origin"]),
        (.referer, ["http_referer", "request_Referer", "request.headers.Referer", "referer", "referrer"]),
        (.userAgent, ["http_user_agent", "request_User-Agent", "request.headers.User-Agent", "user_agent"]),
        (.requestMethodHeader, ["http_access_control_request_method", "request_Access-Control-Request-Method",
                                "request.headers.Access-Control-Request-Method"]),
        (.requestHeadersHeader, ["http_access_control_request_headers", "request_Access-Control-Request-Headers",
                                 "request.headers.Access-Control-Request-Headers"]),
        (.allowOrigin, ["sent_http_access_control_allow_origin", "downstream_Access-Control-Allow-Origin",
                        "resp_headers.Access-Control-Allow-Origin", "origin_Access-Control-Allow-Origin"]),
        (.allowCredentials, ["sent_http_access_control_allow_credentials", "downstream_Access-Control-Allow-Credentials",
                             "resp_headers.Access-Control-Allow-Credentials", "origin_Access-Control-Allow-Credentials"]),
        (.host, ["host", "http_host", "RequestHost", "request.host"]),
    ]

    init(keys: [LogField: [String]]) {
        customKeys = keys
        var nodes = [Node(key: [], hash: 0)]
        func add(path: String, target: FieldTarget, priority: Int) {
            var node = 0
            for component in path.split(separator: ".", omittingEmptySubsequences: true) {
                let key = Array(component.utf8).map(\.asciiLowercased)
                if let existing = nodes[node].children.first(where: { nodes[Int($0)].key == key }) {
                    node = Int(existing)
                } else {
                    nodes.append(Node(key: key, hash: JSONLineProgram.hash(key)))
                    nodes[node].children.append(Int32(nodes.count - 1))
                    node = nodes.count - 1
                }
            }
            guard node != 0, !nodes[node].bindings.contains(where: { $0.target == target }) else { return }
            nodes[node].bindings.append(Binding(target: target, priority: UInt8(min(priority, 255))))
        }
        for (field, defaults) in JSONLineProgram.defaultKeys {
            let paths = (keys[field] ?? []) + defaults
            for (p, path) in paths.enumerated() { add(path: path, target: FieldTarget(field), priority: p) }
        }
        var keyBytes: [UInt8] = [], keyStart: [Int] = [], keyHash: [UInt64] = []
        var table: [Int32] = [], tableStart: [Int] = []
        var bindings: [Binding] = [], bindingStart: [Int] = []
        for node in nodes {
            keyStart.append(keyBytes.count)
            keyBytes += node.key
            keyHash.append(node.hash)
            bindingStart.append(bindings.count)
            bindings += node.bindings
            tableStart.append(table.count)
            guard !node.children.isEmpty else { continue }
            var size = 4
            while size < node.children.count * 2 { size *= 2 }
            var slots = [Int32](repeating: -1, count: size)
            for child in node.children {
                var slot = Int(truncatingIfNeeded: nodes[Int(child)].hash) & (size - 1)
                while slots[slot] >= 0 { slot = (slot + 1) & (size - 1) }
                slots[slot] = child
            }
            table += slots
        }
        keyStart.append(keyBytes.count)
        bindingStart.append(bindings.count)
        tableStart.append(table.count)
        (self.keyBytes, self.keyStart, self.keyHash) = (keyBytes, keyStart, keyHash)
        (self.table, self.tableStart) = (table, tableStart)
        (self.bindings, self.bindingStart) = (bindings, bindingStart)
        let names = FieldTarget.allCases.map { $0.logField?.rawValue ?? "skip" }
        context = FailureContext(fieldNames: names, literalsAfter: [],
                                 timeExamples: FieldTarget.allCases.map { $0 == .time ? TimeShape.any.example : nil },
                                 leading: "{")
    }

    /// FNV-1a over ASCII-lower-cased bytes.
    @inline(__always)
    static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b.asciiLowercased)
            h &*= 0x0000_0100_0000_01b3
        }
        return h
    }

    /// The child of `node` whose key equals `key` ignoring ASCII case, or -1.
    @inline(__always)
    func child(of node: Int32, key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32 {
        let start = tableStart[Int(node)]
        let size = tableStart[Int(node) + 1] - start
        guard size > 0 else { return -1 }
        let mask = size - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let c = table[start + slot]
            if c < 0 { return -1 }
            let k = Int(c)
            let kStart = keyStart[k]
            if keyHash[k] == hash && keyStart[k + 1] - kStart == key.count {
                var same = true
                for i in 0..<key.count where key[i].asciiLowercased != keyBytes[kStart + i] { same = false; break }
                if same { return c }
            }
            slot = (slot + 1) & mask
        }
    }

    /// The bindings of `node` as an index range into `bindings`.
    @inline(__always)
    func bindingRange(of node: Int32) -> Range<Int> {
        bindingStart[Int(node)]..<bindingStart[Int(node) + 1]
    }

    /// Like `child`, and when that fails for a key with dots (`"request.method"` written flat), walks it as a path.
    func lookup(_ node: Int32, key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32 {
        let direct = child(of: node, key: key, hash: hash)
        guard direct < 0, key.contains(UInt8(ascii: ".")) else { return direct }
        var current = node
        var start = 0
        for i in 0...key.count where i == key.count || key[i] == UInt8(ascii: ".") {
            let part = UnsafeBufferPointer(rebasing: key[start..<i])
            current = child(of: current, key: part, hash: JSONLineProgram.hash(part))
            if current < 0 { return -1 }
            start = i + 1
        }
        return current
    }

    var fields: Set<LogField> { Set(LogField.allCases) }
}
