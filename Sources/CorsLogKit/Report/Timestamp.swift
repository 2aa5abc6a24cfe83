/// UTC timestamps as ISO 8601 text, without Foundation's formatters.
enum Timestamp {
    /// `2026-11-20T10:00:00Z`.
    static func iso8601(_ seconds: Int64) -> String {
        let (y, m, d, rest) = civil(seconds)
        let hh = rest / 3600, mm = (rest % 3600) / 60, ss = rest % 60
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(hh, 2)):\(pad(mm, 2)):\(pad(ss, 2))Z"
    }

    /// `2026-11-20`.
    static func day(_ seconds: Int64) -> String {
        let (y, m, d, _) = civil(seconds)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// Year, month, day and seconds into the day (H. Hinnant's civil_from_days).
    private static func civil(_ seconds: Int64) -> (Int, Int, Int, Int) {
        var days = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (Int(y), Int(m), Int(d), Int(rest))
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        String(v).leftPadded(width)
    }
}

/// UTC days as `YYYY-MM-DD`.
enum DayText {
    static func text(_ day: Int32) -> String { Timestamp.day(Int64(day) * 86_400) }

    static func parse(_ text: String) -> Int32? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        let day = LogTime.daysFromCivil(y, m, d)
        // 2025-02-31 would roll over to March: only dates that print back as written.
        guard text == Timestamp.day(Int64(day) * 86_400) else { return nil }
        return Int32(day)
    }
}
