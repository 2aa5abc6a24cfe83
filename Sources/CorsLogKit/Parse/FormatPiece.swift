/// One piece of a format definition after its syntax (nginx `$var`, Apache
/// `%x`) has been read: literal text, or a field.
enum FormatPiece: Sendable {
    case literal([UInt8])
    case field(FormatFieldSpec)
}

/// A field of a format definition and what corslog does with its value.
struct FormatFieldSpec: Sendable {
    /// As written: `$request`, `${http_origin}`, `%{Referer}i`, `%>s`.
    var name: String
    /// 1-based column in the definition.
    var column: Int
    var target: FieldTarget
    var timeShape: TimeShape = .any
    var strftime: StrftimePattern? = nil
    /// When two fields yield the same fact, the lower priority wins (`$request_uri` over `$uri`).
    var priority: Int = 0
    /// `$args`, `$is_args`, `$query_string`, `%q`: glued onto the field right
    /// before them (`$uri$is_args$args`, `%U%q`), which then spans both.
    var appendsToPrevious: Bool = false
    /// The value may hold spaces (headers, the request line); see `FieldTarget.mayContainSpaces`.
    var mayContainSpaces: Bool

    init(name: String, column: Int, target: FieldTarget, mayContainSpaces: Bool? = nil) {
        self.name = name
        self.column = column
        self.target = target
        self.mayContainSpaces = mayContainSpaces ?? target.mayContainSpaces
    }
}
