/// The part of strftime(3) an Apache `%{pattern}t` uses for dates, compiled
/// into steps that read a logged time back.
///
/// Supported: `%Y %y %m %d %e %H %M %S %b %h %B %a %A %z %Z %T %F %D %R %s %% %n %t`
/// and literal bytes. A pattern with anything else (or without a full date,
/// unless it is `%s`) does not compile: the field is then kept but skipped.
/// Without `%z` the time is read as UTC.
struct StrftimePattern: Sendable {
    enum Step: Sendable, Equatable {
        case literal(UInt8)
        case year4, year2, month, day, daySpacePadded, hour, minute, second
        case monthName, letters, offset, zoneName, epoch, whitespace
    }
    let steps: [Step]

    init?(_ pattern: String) {
        guard let steps = Self.steps(Array(pattern.utf8)) else { return nil }
        let hasDate = (steps.contains(.year4) || steps.contains(.year2))
            && (steps.contains(.month) || steps.contains(.monthName))
            && (steps.contains(.day) || steps.contains(.daySpacePadded))
        guard hasDate || steps.contains(.epoch) else { return nil }
        self.steps = steps
    }

    /// The steps of a pattern, or nil for a conversion outside the supported set.
    /// (Not checked for a full date: `%T` and `%R` expand through here.)
    private static func steps(_ p: [UInt8]) -> [Step]? {
        var steps: [Step] = []
        var i = 0
        while i < p.count {
            guard p[i] == UInt8(ascii: "%") else { steps.append(.literal(p[i])); i += 1; continue }
            guard i + 1 < p.count else { return nil }
            var c = p[i + 1]
            i += 2
            // glibc flags and the E/O modifiers change padding or locale only.
            while c == UInt8(ascii: "-") || c == UInt8(ascii: "_") || c == UInt8(ascii: "0") || c == UInt8(ascii: "E") || c == UInt8(ascii: "O") {
                guard i < p.count else { return nil }
                c = p[i]; i += 1
            }
            switch c {
            case UInt8(ascii: "Y"): steps.append(.year4)
            case UInt8(ascii: "y"): steps.append(.year2)
            case UInt8(ascii: "m"): steps.append(.month)
            case UInt8(ascii: "d"): steps.append(.day)
            case UInt8(ascii: "e"): steps.append(.daySpacePadded)
            case UInt8(ascii: "H"): steps.append(.hour)
            case UInt8(ascii: "M"): steps.append(.minute)
            case UInt8(ascii: "S"): steps.append(.second)
            case UInt8(ascii: "b"), UInt8(ascii: "h"): steps.append(.monthName)
            case UInt8(ascii: "B"), UInt8(ascii: "a"), UInt8(ascii: "A"), UInt8(ascii: "p"): steps.append(.letters)
            case UInt8(ascii: "z"): steps.append(.offset)
            case UInt8(ascii: "Z"): steps.append(.zoneName)
            case UInt8(ascii: "s"): steps.append(.epoch)
            case UInt8(ascii: "n"), UInt8(ascii: "t"): steps.append(.whitespace)
            case UInt8(ascii: "%"): steps.append(.literal(UInt8(ascii: "%")))
            case UInt8(ascii: "T"): steps += [.hour, .literal(UInt8(ascii: ":")), .minute, .literal(UInt8(ascii: ":")), .second]
            case UInt8(ascii: "F"): steps += [.year4, .literal(UInt8(ascii: "-")), .month, .literal(UInt8(ascii: "-")), .day]
            case UInt8(ascii: "D"): steps += [.month, .literal(UInt8(ascii: "/")), .day, .literal(UInt8(ascii: "/")), .year2]
            case UInt8(ascii: "R"): steps += [.hour, .literal(UInt8(ascii: ":")), .minute]
            default: return nil
            }
        }
        return steps
    }

    func parse(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        var year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, offset = 0
        var epoch: Int64? = nil
        func number(_ maxDigits: Int, allowSpace: Bool = false) -> Int? {
            if allowSpace && i < b.count && b[i] == UInt8(ascii: " ") { i += 1 }
            var v = 0
            let start = i
            while i < b.count && i - start < maxDigits && LogTime.isDigit(b[i]) {
                v = v * 10 + Int(b[i] - 48); i += 1
            }
            return i > start ? v : nil
        }
        for step in steps {
            switch step {
            case .literal(let c):
                guard i < b.count && b[i] == c else { return nil }
                i += 1
            case .whitespace:
                while i < b.count && (b[i] == 0x20 || b[i] == 0x09) { i += 1 }
            case .year4:
                guard let v = number(4) else { return nil }
                year = v
            case .year2:
                guard let v = number(2) else { return nil }
                year = v < 69 ? 2000 + v : 1900 + v
            case .month:
                guard let v = number(2) else { return nil }
                month = v
            case .day:
                guard let v = number(2) else { return nil }
                day = v
            case .daySpacePadded:
                guard let v = number(2, allowSpace: true) else { return nil }
                day = v
            case .hour:
                guard let v = number(2) else { return nil }
                hour = v
            case .minute:
                guard let v = number(2) else { return nil }
                minute = v
            case .second:
                guard let v = number(2) else { return nil }
                second = v
            case .monthName:
                guard let m = LogTime.monthAbbreviation(b, i) else { return nil }
                month = m
                i += 3
                while i < b.count && (b[i] | 0x20) >= UInt8(ascii: "a") && (b[i] | 0x20) <= UInt8(ascii: "z") { i += 1 }
            case .letters, .zoneName:
                let start = i
                while i < b.count && (b[i] | 0x20) >= UInt8(ascii: "a") && (b[i] | 0x20) <= UInt8(ascii: "z") { i += 1 }
                guard i > start else { return nil }
            case .offset:
                guard let (o, used) = LogTime.numericOffset(b, i) else { return nil }
                offset = o
                i += used
            case .epoch:
                let start = i
                while i < b.count && LogTime.isDigit(b[i]) { i += 1 }
                guard i > start, let v = LogTime.parseEpoch(UnsafeBufferPointer(rebasing: b[start..<i]), scaleDown: 0) else { return nil }
                epoch = v
            }
        }
        guard i == b.count else { return nil }
        if let epoch { return epoch }
        return LogTime.seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: offset)
    }
}
