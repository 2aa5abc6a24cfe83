/// A log-format definition corslog cannot use. The message says where
/// (`file:line` for a config file, else `in --format`), which column or text,
/// and what was expected.
package struct FormatError: Error, Sendable, CustomStringConvertible {
    package var message: String

    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }
}
