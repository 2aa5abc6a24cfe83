/// A log layout corslog can read: a preset, an nginx `log_format`, an Apache
/// `LogFormat`, or JSON lines. It is compiled once, when made; `makeParser()`
/// hands out the per-thread `LineParser`s that read lines with it.
package struct LogFormat: Sendable {
    package enum Syntax: String, Sendable, Codable { case nginx, apache, json }

    /// The preset name (`combined`…), or `nginx log_format`, `nginx log_format main (nginx.conf:12)`, `Apache LogFormat`.
    package var name: String
    package var syntax: Syntax
    /// The definition as compiled (shown in the report).
    package var definition: String
    /// Which facts this format yields (`request` counts as method and uri too).
    package var fields: Set<LogField>
    /// How the values were escaped (nginx `escape=`; Apache's own; JSON).
    let escaping: LogEscaping
    let program: CompiledProgram

    enum CompiledProgram: Sendable {
        case fields(FieldProgram)
        case json(JSONLineProgram)
    }

    init(name: String, syntax: Syntax, definition: String, escaping: LogEscaping, program: CompiledProgram) {
        self.name = name
        self.syntax = syntax
        self.definition = definition
        self.escaping = escaping
        self.program = program
        switch program {
        case .fields(let p): fields = p.fields
        case .json(let j): fields = j.fields
        }
    }

    package func makeParser() -> LineParser {
        LineParser(program: program)
    }

    /// A parser for the evidence collector (and `verify`): the values no aggregation reads
    /// — the User-Agent, and the Referer when the format has Origin — are located but not
    /// taken (`FieldProgram.skippingValues`); every line fits or fails as with `makeParser()`.
    package func makeCollectingParser() -> LineParser {
        guard case .fields(let p) = program else { return makeParser() }
        var unread: Set<FieldTarget> = [.userAgent]
        if fields.contains(.origin) { unread.insert(.referer) }
        return LineParser(program: .fields(p.skippingValues(of: unread)))
    }

    /// JSON lines. `keys`: per field, extra key paths tried before the defaults
    /// (dotted paths into nested objects, keys matched ignoring case, e.g.
    /// `"request.headers.Origin"`). The defaults cover nginx variable names
    /// without `$`, Traefik, Caddy and generic names (`JSONLineProgram.defaultKeys`).
    package static func json(keys: [LogField: [String]] = [:]) -> LogFormat {
        let program = JSONLineProgram(keys: keys)
        var definition = "JSON lines"
        let custom = keys.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
        if !custom.isEmpty {
            definition += " (" + custom.map { "\($0.key.rawValue): \($0.value.joined(separator: ", "))" }.joined(separator: "; ") + ", then the defaults)"
        }
        return LogFormat(name: "json", syntax: .json, definition: definition, escaping: .json, program: .json(program))
    }

    /// Compiles a bare nginx or Apache format string.
    static func compile(
        format: [UInt8], syntax: Syntax, escaping: LogEscaping, name: String, location: String
    ) throws(FormatError) -> LogFormat {
        let pieces: [FormatPiece]
        switch syntax {
        case .nginx: pieces = try NginxFormatSyntax.pieces(format, location: location)
        case .apache: pieces = try ApacheFormatSyntax.pieces(format, location: location)
        case .json: return json()
        }
        let program = try FormatCompiler.compile(pieces, escaping: escaping, location: location)
        return LogFormat(name: name, syntax: syntax, definition: String(decoding: format, as: UTF8.self),
                         escaping: escaping, program: .fields(program))
    }
}
