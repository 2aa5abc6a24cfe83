import CorsLogKit

/// The format-definition compiler: the input up to its first NUL byte is a
/// definition, tried as `--format` text and as a config file (`--format-file`);
/// what compiles then parses the rest of the input (its lines), or fixed sample
/// lines when there is no NUL.
enum FormatDefinitionFuzz {
    static let sampleLines: [[UInt8]] = [
        #"192.0.2.66 - - [05/Nov/2025:00:00:00 +0000] "OPTIONS /v1/orders HTTP/1.1" 204 0 "-" "curl/8.5.0" "api.example.com" "https://app.example.com" "PUT" "x-forged-header" "*" "-""#,
        #"api.example.com:443 203.0.113.33 - - [01/Nov/2025:00:08:32 +0000] "GET /v1/orders?x=1 HTTP/1.1" 200 2622 "https://app.example.com/" "Mozilla/5.0 \"x\"""#,
        #"{"time_iso8601":"2025-11-01T00:08:32+00:00","remote_addr":"203.0.113.33","request_method":"GET","http_origin":"https://app.example.com"}"#,
        "",
    ].map { Array($0.utf8) }

    static func run(_ data: UnsafeRawBufferPointer) {
        let split = data.firstIndex(of: 0) ?? data.count
        let text = String(decoding: data[0..<split], as: UTF8.self)
        var lines: [[UInt8]] = sampleLines
        if split < data.count {
            lines = FuzzTargets.lines(UnsafeRawBufferPointer(rebasing: data[(split + 1)...])).map { Array($0) }
        }
        var formats: [LogFormat] = []
        do { formats.append(try LogFormat.parse(definition: text)) } catch { _ = error.description }
        do { formats.append(try LogFormat.parse(configText: text, file: "fuzz.conf", name: nil)) } catch { _ = error.description }
        do { formats.append(try LogFormat.parse(configText: text, file: "fuzz.conf", name: "main")) } catch { _ = error.description }
        for format in formats {
            var parser = format.makeParser()
            for line in lines {
                line.withUnsafeBufferPointer { buffer in
                    if let failure = parser.parse(ByteSlice(buffer), { _ in }) { _ = failure.description }
                }
            }
        }
    }
}
