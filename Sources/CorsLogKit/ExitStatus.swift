/// corslog's exit codes (documented in the README). sysexits(3) where they fit.
package enum ExitStatus: Int32, Sendable {
    /// Everything was read and the report written.
    case ok = 0
    /// `check`: a finding of a kind `--fail-on` counts: the policy should change.
    /// It wins over `partialInput` (the report names the input errors), so a
    /// cron wrapper never misses it.
    case policyShouldChange = 1
    /// The report was written, but some input could not be read whole (a
    /// missing or unreadable file, a truncated or corrupt gzip): the report
    /// covers everything before each break.
    case partialInput = 3
    /// The command line is wrong (EX_USAGE).
    case usage = 64
    /// The input or a definition is not what was expected: no line matched the
    /// format, a format definition or origin list does not parse (EX_DATAERR).
    case dataError = 65
    /// No input could be opened at all (EX_NOINPUT).
    case noInput = 66
    /// An output file (`--write-policy`, `--summary-out`, `--state`) could not be written (EX_CANTCREAT).
    case cannotCreate = 73
    /// Another run holds the state file's lock: try again later (EX_TEMPFAIL).
    case busy = 75
}

/// An error corslog reports to a person: what went wrong, where, and what to do.
package struct CorsLogError: Error, Sendable, CustomStringConvertible {
    package var status: ExitStatus
    package var message: String
    package var description: String { message }

    package init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }
}
