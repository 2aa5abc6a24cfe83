/// Whether a log format records a field: the response's `Access-Control-Allow-Origin`
/// (and `-Credentials`), which the policy audit reads, or a preflight's
/// `Access-Control-Request-Headers`, without which the proposal's headers are unknown.
package enum AnswerField: Sendable, Equatable {
    /// The format has no such field (`combined`): what the server answered cannot be told.
    case absent
    /// Every line has the field; an empty value (`-`) means the server sent no header.
    case logged
    /// JSON lines: a missing key reads as empty, so only a line with a value shows the field is logged.
    case whenPresent

    /// For a compiled format.
    package init(_ format: LogFormat, _ field: LogField = .allowOrigin) {
        if format.syntax == .json {
            self = .whenPresent
        } else {
            self = format.fields.contains(field) ? .logged : .absent
        }
    }
}
