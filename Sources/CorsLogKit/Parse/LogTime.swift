/// Timestamps as servers log them, turned into seconds since 1970-01-01T00:00:00Z
/// with plain integer arithmetic (no Foundation, no calendar objects per line).
/// Each parser returns nil when the bytes are not of its shape.
enum LogTime {
    // MARK: Calendar arithmetic

    /// Days from 1970-01-01 to the proleptic Gregorian date y-m-d
    /// (H. Hinnant's `days_from_civil`).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Seconds since the epoch for a local wall time and its UTC offset in seconds; nil if out of range.
    static func seconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, offset: Int) -> Int64? {
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year, month),
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        let days = daysFromCivil(year, month, day)
        return Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset)
    }

    // MARK: Small readers

    @inline(__always)
    static func digits(_ b: UnsafeBufferPointer<UInt8>, _ at: Int, _ count: Int) -> Int? {
        guard at >= 0, at + count <= b.count else { return nil }
        var v = 0
        for i in at..<(at + count) {
            let d = b[i] &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            v = v * 10 + Int(d)
        }
        return v
    }

    @inline(__always)
    static func isDigit(_ c: UInt8) -> Bool { c &- UInt8(ascii: "0") < 10 }

    /// `Jan`…`Dec` (ASCII case-insensitive) at `at`; 1…12.
    static func monthAbbreviation(_ b: UnsafeBufferPointer<UInt8>, _ at: Int) -> Int? {
        guard at + 3 <= b.count else { return nil }
        let c0 = b[at] | 0x20, c1 = b[at + 1] | 0x20, c2 = b[at + 2] | 0x20
        switch (c0, c1, c2) {
        case (0x6A, 0x61, 0x6E): return 1   // jan
        case (0x66, 0x65, 0x62): return 2   // feb
        case (0x6D, 0x61, 0x72): return 3   // mar
        case (0x61, 0x70, 0x72): return 4   // apr
        case (0x6D, 0x61, 0x79): return 5   // may
        case (0x6A, 0x75, 0x6E): return 6   // jun
        case (0x6A, 0x75, 0x6C): return 7   // jul
        case (0x61, 0x75, 0x67): return 8   // aug
        case (0x73, 0x65, 0x70): return 9   // sep
        case (0x6F, 0x63, 0x74): return 10  // oct
        case (0x6E, 0x6F, 0x76): return 11  // nov
        case (0x64, 0x65, 0x63): return 12  // dec
        default: return nil
        }
    }

    /// `+HHMM`, `-HHMM`, `+HH:MM`, `+HH` at `at`, as (seconds east of UTC, bytes read).
    static func numericOffset(_ b: UnsafeBufferPointer<UInt8>, _ at: Int) -> (Int, Int)? {
        guard at < b.count else { return nil }
        let sign: Int
        switch b[at] {
        case UInt8(ascii: "+"): sign = 1
        case UInt8(ascii: "-"): sign = -1
        default: return nil
        }
        guard let hh = digits(b, at + 1, 2), hh <= 23 else { return nil }
        var used = 3
        var mm = 0
        if at + 3 < b.count && b[at + 3] == UInt8(ascii: ":") {
            guard let m = digits(b, at + 4, 2) else { return nil }
            mm = m; used = 6
        } else if let m = digits(b, at + 3, 2) {
            mm = m; used = 5
        }
        guard mm <= 59 else { return nil }
        return (sign * (hh * 3600 + mm * 60), used)
    }

    // MARK: Shapes

    /// `DD/Mon/YYYY:HH:MM:SS ±HHMM` (nginx `$time_local`, the CLF `%t` without brackets).
    static func parseCLF(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard b.count == 26,
              let day = digits(b, 0, 2), b[2] == UInt8(ascii: "/"),
              let month = monthAbbreviation(b, 3), b[6] == UInt8(ascii: "/"),
              let year = digits(b, 7, 4), b[11] == UInt8(ascii: ":"),
              let hour = digits(b, 12, 2), b[14] == UInt8(ascii: ":"),
              let minute = digits(b, 15, 2), b[17] == UInt8(ascii: ":"),
              let second = digits(b, 18, 2), b[20] == UInt8(ascii: " "),
              let (offset, used) = numericOffset(b, 21), used == 5
        else { return nil }
        return seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: offset)
    }

    /// ISO 8601 / RFC 3339: `YYYY-MM-DD(T|t|space)HH:MM:SS[.fraction][Z|z|±HH:MM|±HHMM|±HH]`
    /// (no zone: UTC).
    static func parseISO8601(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard b.count >= 19,
              let year = digits(b, 0, 4), b[4] == UInt8(ascii: "-"),
              let month = digits(b, 5, 2), b[7] == UInt8(ascii: "-"),
              let day = digits(b, 8, 2),
              b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == UInt8(ascii: " "),
              let hour = digits(b, 11, 2), b[13] == UInt8(ascii: ":"),
              let minute = digits(b, 14, 2), b[16] == UInt8(ascii: ":"),
              let second = digits(b, 17, 2)
        else { return nil }
        var i = 19
        if i < b.count && (b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",")) {
            i += 1
            let fractionStart = i
            while i < b.count && isDigit(b[i]) { i += 1 }
            guard i > fractionStart else { return nil }
        }
        var offset = 0
        if i < b.count {
            if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
                i += 1
            } else if let (o, used) = numericOffset(b, i) {
                offset = o
                i += used
            } else {
                return nil
            }
        }
        guard i == b.count else { return nil }
        return seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: offset)
    }

    /// `digits[.digits][e±digits]` in units of 10^-`scaleDown` seconds, floored to whole seconds.
    static func parseEpoch(_ b: UnsafeBufferPointer<UInt8>, scaleDown: Int) -> Int64? {
        var i = 0
        var whole: Int64 = 0
        var wholeDigits = 0
        while i < b.count && isDigit(b[i]) {
            guard wholeDigits < 19 else { return nil }
            whole = whole * 10 + Int64(b[i] - UInt8(ascii: "0"))
            wholeDigits += 1
            i += 1
        }
        guard wholeDigits > 0 else { return nil }
        if i < b.count && b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.count && isDigit(b[i]) { i += 1 }
            guard i > start else { return nil }
        }
        if i < b.count && (b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E")) {
            // Exponent form (a float encoder): compute in Double.
            return parseEpochDouble(b, scaleDown: scaleDown)
        }
        guard i == b.count else { return nil }
        var divisor: Int64 = 1
        for _ in 0..<scaleDown { divisor *= 10 }
        return whole / divisor
    }

    private static func parseEpochDouble(_ b: UnsafeBufferPointer<UInt8>, scaleDown: Int) -> Int64? {
        var i = 0
        var mantissa = 0.0
        var exponent = 0
        while i < b.count && isDigit(b[i]) { mantissa = mantissa * 10 + Double(b[i] - 48); i += 1 }
        if i < b.count && b[i] == UInt8(ascii: ".") {
            i += 1
            while i < b.count && isDigit(b[i]) { mantissa = mantissa * 10 + Double(b[i] - 48); exponent -= 1; i += 1 }
        }
        guard i < b.count && (b[i] | 0x20) == UInt8(ascii: "e") else { return nil }
        i += 1
        var sign = 1
        if i < b.count && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) {
            sign = b[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
        }
        let start = i
        var e = 0
        while i < b.count && isDigit(b[i]) && e < 400 { e = e * 10 + Int(b[i] - 48); i += 1 }
        guard i > start, i == b.count else { return nil }
        exponent += sign * e - scaleDown
        var value = mantissa
        if exponent > 0 { for _ in 0..<exponent { value *= 10 } } else if exponent < 0 { for _ in 0..<(-exponent) { value /= 10 } }
        guard value.isFinite, value >= 0, value < 9.2e18 else { return nil }
        return Int64(value.rounded(.down))
    }

    /// `Wed, 08 Dec 2021 14:02:43 GMT` (RFC 1123; also `+0000` for the zone).
    static func parseRFC1123(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard b.count >= 29, b[3] == UInt8(ascii: ","), b[4] == UInt8(ascii: " "),
              let day = digits(b, 5, 2), b[7] == UInt8(ascii: " "),
              let month = monthAbbreviation(b, 8), b[11] == UInt8(ascii: " "),
              let year = digits(b, 12, 4), b[16] == UInt8(ascii: " "),
              let hour = digits(b, 17, 2), b[19] == UInt8(ascii: ":"),
              let minute = digits(b, 20, 2), b[22] == UInt8(ascii: ":"),
              let second = digits(b, 23, 2), b[25] == UInt8(ascii: " ")
        else { return nil }
        var offset = 0
        if b.count == 29 && (b[26] | 0x20, b[27] | 0x20, b[28] | 0x20) == (0x67, 0x6D, 0x74) {  // gmt
            offset = 0
        } else if b.count == 29 && (b[26] | 0x20, b[27] | 0x20, b[28] | 0x20) == (0x75, 0x74, 0x63) {  // utc
            offset = 0
        } else if let (o, used) = numericOffset(b, 26), 26 + used == b.count {
            offset = o
        } else {
            return nil
        }
        return seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: offset)
    }

    /// Tries ISO 8601, CLF (with or without `[…]`), epoch numbers (seconds, or
    /// milli/micro/nanoseconds told apart by their digit count) and RFC 1123.
    static func parseAny(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard b.count > 0 else { return nil }
        if b.count >= 10 && b[4] == UInt8(ascii: "-") { return parseISO8601(b) }
        if b.count == 28 && b[0] == UInt8(ascii: "[") && b[27] == UInt8(ascii: "]") {
            return parseCLF(UnsafeBufferPointer(rebasing: b[1..<27]))
        }
        if b.count == 26 && b[2] == UInt8(ascii: "/") { return parseCLF(b) }
        if isDigit(b[0]) { return parseEpochNumber(b) }
        return parseRFC1123(b)
    }

    /// An epoch number whose unit follows from its whole-digit count:
    /// up to 11 digits seconds, 12–14 milliseconds, 15–17 microseconds, more nanoseconds.
    static func parseEpochNumber(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        var wholeDigits = 0
        while wholeDigits < b.count && isDigit(b[wholeDigits]) { wholeDigits += 1 }
        let hasExponent = b.contains(UInt8(ascii: "e")) || b.contains(UInt8(ascii: "E"))
        let scale = hasExponent || wholeDigits <= 11 ? 0 : wholeDigits <= 14 ? 3 : wholeDigits <= 17 ? 6 : 9
        return parseEpoch(b, scaleDown: scale)
    }

    /// The shape a format field declared (`.strftime` needs its pattern: `StrftimePattern.parse`).
    @inline(__always)
    static func parse(_ b: UnsafeBufferPointer<UInt8>, shape: TimeShape) -> Int64? {
        switch shape {
        case .clf: parseCLF(b)
        case .iso8601: parseISO8601(b)
        case .epochSeconds: parseEpoch(b, scaleDown: 0)
        case .epochMillis: parseEpoch(b, scaleDown: 3)
        case .epochMicros: parseEpoch(b, scaleDown: 6)
        case .strftime: nil
        case .any: parseAny(b)
        }
    }
}
